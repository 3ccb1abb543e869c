// Where new rooms go when two processes share Redis and both place rooms in a burst (quick
// play through a load balancer, two classes starting at once). Each process's room count is
// refreshed only once a second, so without sharing what they just placed, both would send
// every room of the burst to the same emptiest process.
import { LocalPresence } from '@colyseus/core';
import { describe, expect, it } from 'vitest';
import { PLACING_KEY, RECENT_MS, spreadRooms } from '../server/scale-out.js';

/** Two processes whose published room counts stay as they were (a refresh has not come yet). */
const stale = async () => [
  { processId: 'a', roomCount: 0 },
  { processId: 'b', roomCount: 0 },
];
/** The same, process b already holding four rooms. */
const uneven = async () => [
  { processId: 'a', roomCount: 0 },
  { processId: 'b', roomCount: 4 },
];

describe('spreading a burst of new rooms over two processes', () => {
  it('sends them half to each, when both processes place rooms at once', async () => {
    const presence = new LocalPresence();
    const timers: (() => void)[] = [];
    const later = (fn: () => void) => void timers.push(fn);
    const t = 1_000_000;
    const onA = spreadRooms({ presence, processes: stale, now: () => t, later });
    const onB = spreadRooms({ presence, processes: stale, now: () => t, later });
    const placed: string[] = [];
    // Twenty rooms asked of the two processes in turn, one after another.
    for (let i = 0; i < 20; i++) placed.push(await (i % 2 === 0 ? onA : onB)('cluster', {}));
    const on = (id: string) => placed.filter((p) => p === id).length;
    expect([on('a'), on('b')]).toEqual([10, 10]);
    // Once the placements are no longer recent, they stop counting.
    await new Promise((r) => setImmediate(r));
    expect(timers).toHaveLength(20);
    for (const fn of timers) fn();
    await new Promise((r) => setImmediate(r));
    const left = await presence.hgetall(PLACING_KEY);
    expect(Object.values(left).map(Number).every((n) => n === 0)).toBe(true);
  });

  it('evens the processes out, when both place rooms at once and one already holds more', async () => {
    const presence = new LocalPresence();
    const onA = spreadRooms({ presence, processes: uneven, now: () => 7, later: () => undefined });
    const onB = spreadRooms({ presence, processes: uneven, now: () => 7, later: () => undefined });
    const placed: string[] = [];
    for (let i = 0; i < 12; i++) placed.push(await (i % 2 === 0 ? onA : onB)('cluster', {}));
    // Sixteen rooms in all: eight on each.
    expect([placed.filter((p) => p === 'a').length, 4 + placed.filter((p) => p === 'b').length]).toEqual([8, 8]);
  });

  it('without shared presence (one process), still spreads its own burst', async () => {
    let t = 0;
    const choose = spreadRooms({ processes: stale, now: () => t });
    const placed: string[] = [];
    for (let i = 0; i < 6; i++) placed.push(await choose('cluster', {}));
    expect(placed.filter((p) => p === 'a').length).toBe(3);
    // Past RECENT_MS the burst is forgotten: the published counts decide again.
    t += RECENT_MS + 1;
    expect(await choose('cluster', {})).toBe('a');
  });

  it('goes on from its own placements when presence fails', async () => {
    const broken = new LocalPresence();
    broken.hgetall = async () => {
      throw new Error('Redis away');
    };
    broken.hincrby = async () => {
      throw new Error('Redis away');
    };
    const choose = spreadRooms({ presence: broken, processes: stale, now: () => 5 });
    const placed = [await choose('cluster', {}), await choose('cluster', {})];
    expect(placed.sort()).toEqual(['a', 'b']);
  });
});
