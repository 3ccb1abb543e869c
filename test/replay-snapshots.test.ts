// The replay player's snapshot cache (shared/replay/snapshots.ts): a snapshot restores to the
// very state it was kept from and never changes afterwards, neighbours share what did not
// change, and past its byte budget the cache thins out around the current position.
import { describe, expect, it } from 'vitest';
import { TickRunner } from '../shared/round/runner.js';
import { createSim } from '../shared/sim/engine.js';
import { stateHash } from '../shared/sim/summary.js';
import { copyState, literalShapesKnown, SnapshotCache } from '../shared/replay/snapshots.js';
import { kernelsKnown } from '../shared/replay/kernels.js';
import type { SimState } from '../shared/sim/state.js';

const opts = { scenario: 'bank', preset: 'cp', chaos: 'normal', seed: 3, durationMs: 20_000, recordHistory: false } as const;

describe('the snapshot cache', () => {
  it('restores the very state it kept, however the live state moves on', () => {
    const sim = createSim(opts);
    const runner = new TickRunner(sim);
    const cache = new SnapshotCache({ budget: Infinity, every: 40, near: 1200, endTick: runner.endTick });
    const hashes = new Map<number, string>();
    for (const tick of [40, 80, 120]) {
      runner.runTo(tick);
      cache.keep(tick, sim.S);
      hashes.set(tick, stateHash(sim.S));
    }
    runner.runTo(200);
    for (const [tick, hash] of hashes) {
      const snap = cache.atOrBefore(tick + 39)!;
      expect(snap.tick).toBe(tick);
      expect(stateHash(copyState(snap.state)), `snapshot at ${tick}`).toBe(hash);
    }
    expect(cache.atOrBefore(39)).toBeNull();
    // A restored state is a working copy: changing it leaves the snapshot as it was.
    const restored = copyState(cache.atOrBefore(80)!.state);
    restored.nodes[0]!.drained = !restored.nodes[0]!.drained;
    expect(stateHash(copyState(cache.atOrBefore(80)!.state))).toBe(hashes.get(80));
    // A live state copies to the same state.
    expect(stateHash(copyState(sim.S))).toBe(stateHash(sim.S));
  });

  it('restores into a working state it replaces: refills its long arrays, and lands on the very state kept', () => {
    const sim = createSim(opts);
    const runner = new TickRunner(sim);
    const cache = new SnapshotCache({ budget: Infinity, every: 40, near: 1200, endTick: runner.endTick });
    const hashes = new Map<number, string>();
    for (const tick of [40, 200, 360]) {
      runner.runTo(tick);
      cache.keep(tick, sim.S);
      hashes.set(tick, stateHash(sim.S));
    }
    // A working state restored again and again, back and forth, run on a little in between.
    let work = copyState(cache.atOrBefore(360)!.state);
    const long = work.judge.top;
    expect(long.length).toBeGreaterThanOrEqual(1024);
    for (const tick of [40, 360, 200, 40, 200]) {
      work = copyState(cache.atOrBefore(tick)!.state, work);
      expect(stateHash(work), `restored at ${tick}`).toBe(hashes.get(tick));
      // The same array, refilled: no fresh memory for it.
      expect(work.judge.top).toBe(long);
      new TickRunner({ S: work, sc: sim.sc, log: null }, { startTick: tick }).runTo(tick + 30);
    }
    // The snapshots are as they were kept, and the live state too.
    for (const [tick, hash] of hashes) expect(stateHash(copyState(cache.atOrBefore(tick)!.state))).toBe(hash);
    expect(stateHash(sim.S)).toBe(hashes.get(360));
  });

  it('keeps a tick once, and a neighbour costs less than the first snapshot', () => {
    const sim = createSim(opts);
    const runner = new TickRunner(sim);
    const cache = new SnapshotCache({ budget: Infinity, every: 20, near: 1200, endTick: runner.endTick });
    runner.runTo(100);
    cache.keep(100, sim.S);
    const first = cache.stats.bytes;
    cache.keep(100, sim.S);
    expect(cache.stats).toMatchObject({ snapshots: 1, ticks: [100], bytes: first });
    runner.runTo(120);
    cache.keep(120, sim.S);
    expect(cache.stats.bytes - first).toBeGreaterThan(0);
    expect(cache.stats.bytes - first).toBeLessThan(first);
    expect(cache.stats.peakBytes).toBe(cache.stats.bytes);
  });

  it('past its budget, drops snapshots far from the current position first', () => {
    const sim = createSim(opts);
    const runner = new TickRunner(sim);
    const cache = new SnapshotCache({ budget: 0, every: 20, near: 100, endTick: runner.endTick });
    const all = new SnapshotCache({ budget: Infinity, every: 20, near: 100, endTick: runner.endTick });
    for (let tick = 20; tick <= 400; tick += 20) {
      runner.runTo(tick);
      cache.keep(tick, sim.S);
      all.keep(tick, sim.S);
      // Over any budget, one snapshot stays.
      expect(cache.stats.snapshots).toBe(1);
    }
    // A budget for about half of what the twenty snapshots take (how much a state changes
    // between two snapshots follows the scenario's traffic), yet room for more than one.
    const budget = all.stats.bytes / 2;
    expect(all.stats.snapshots).toBe(20);
    expect(budget).toBeGreaterThan(cache.stats.peakBytes);
    const roomy = new SnapshotCache({ budget, every: 20, near: 100, endTick: runner.endTick });
    const again = createSim(opts);
    const r2 = new TickRunner(again);
    for (let tick = 20; tick <= 400; tick += 20) {
      r2.runTo(tick);
      roomy.keep(tick, again.S);
      expect(roomy.stats.bytes).toBeLessThanOrEqual(budget);
    }
    const kept = roomy.stats.ticks;
    expect(kept.length).toBeGreaterThan(1);
    expect(kept.length).toBeLessThan(20);
    // Dense where the viewer is (tick 400), sparse far from it.
    expect(kept.at(-1)! - kept.at(-2)!).toBeLessThanOrEqual(kept[1]! - kept[0]!);
  });

  it('spaces the snapshots by the simulation work between them: closer where a second costs more', () => {
    // Stand-in states whose work (events scheduled so far) grows with the square of the
    // tick, as traffic that ramps up; each the same size, so the budget holds about five.
    const at = (tick: number) => ({ events: { items: [], times: [], seqs: [], seq: tick * tick }, pad: Array.from({ length: 300 }, (_, i) => tick + i) }) as unknown as SimState;
    const probe = new SnapshotCache({ budget: Infinity, every: 10, near: 0, endTick: 400 });
    probe.keep(10, at(10));
    const cache = new SnapshotCache({ budget: probe.stats.bytes * 5.5, every: 10, near: 0, endTick: 400 });
    for (let tick = 10; tick <= 400; tick += 10) if (cache.worthKeeping(tick, at(tick))) cache.keep(tick, at(tick));
    const ticks = cache.stats.ticks;
    expect(ticks.length).toBeGreaterThanOrEqual(4);
    // Fewer ticks apart late in the round than early (from its start), yet about as much work apart.
    const gaps = [ticks[0]!, ...ticks.slice(1).map((t, i) => t - ticks[i]!)];
    expect(gaps.at(-1)!).toBeLessThan(gaps[0]!);
    const work = [0, ...ticks, 400].map((t) => t * t);
    const workGaps = work.slice(1).map((w, i) => w - work[i]!);
    expect(Math.max(...workGaps)).toBeLessThan(3 * Math.min(...workGaps.slice(1)));
  });
});

describe('snapshots of long arrays', () => {
  // A state of the shapes the simulation has (long tables of numbers, long lists of small
  // objects), changed the ways a round changes them: a few entries, most entries, growth,
  // shrinking, nothing. Each snapshot compares with the one before without re-applying its
  // patches (it keeps their elements and updates them), so every snapshot must still restore
  // to its own state after all the later ones were made, and one made out of order too.
  it('restores every state exactly, whichever way its arrays changed', () => {
    const S = {
      events: { seq: 0 },
      table: Array.from({ length: 2000 }, (_, i) => i),
      items: Array.from({ length: 600 }, (_, i) => ({ id: i, at: i / 3, tag: i % 2 === 0 ? 'a' : null })),
      small: [1, 2, 3],
    };
    type St = typeof S;
    const cache = new SnapshotCache({ budget: Infinity, every: 1, near: 100, endTick: 100 });
    const kept = new Map<number, string>();
    const changes: ((s: St) => void)[] = [
      (s) => { s.table[5] = -1; s.items[7]!.at = 99; },
      (s) => { for (let i = 0; i < 1500; i++) s.table[i] = i * 2; },
      (s) => { s.items.push({ id: 600, at: 1.5, tag: 'b' }); s.table.push(7, 8, 9); },
      () => {},
      (s) => { s.table.length = 1900; s.items.splice(100, 1); },
      (s) => { for (let i = 200; i < 600; i++) s.items[i] = { id: -i, at: i, tag: 'c' }; },
      (s) => { s.items[599]!.tag = 'z'; s.table[1899] = 0.25; s.small = [4]; s.table[5] = -1; },
      // Changed back: equal to an older snapshot's element, not to the last one's.
      (s) => { s.table[5] = 10; s.items[0]!.at = 42; },
      (s) => { s.table[5] = -1; s.items[0]!.tag = 'q'; },
    ];
    changes.forEach((change, i) => {
      change(S);
      S.events.seq = i + 1;
      cache.keep(10 * (i + 1), S as unknown as SimState);
      kept.set(10 * (i + 1), JSON.stringify(S));
    });
    // Out of order: between two kept ones.
    S.table[3] = 333;
    cache.keep(35, S as unknown as SimState);
    kept.set(35, JSON.stringify(S));
    for (const [tick, json] of kept) expect(JSON.stringify(copyState(cache.atOrBefore(tick)!.state)), `snapshot at ${tick}`).toBe(json);
    // Restored into a working state again and again, each time the state kept.
    let work = copyState(cache.atOrBefore(70)!.state);
    for (const tick of [10, 70, 35, 20, 60]) {
      work = copyState(cache.atOrBefore(tick)!.state, work);
      expect(JSON.stringify(work), `restored at ${tick}`).toBe(kept.get(tick));
    }
  });
});

describe('copies of objects', () => {
  it('copies tables keyed by number (open requests by id) without remembering each set of keys', () => {
    const before = literalShapesKnown();
    for (let i = 0; i < 500; i++) {
      const table: Record<string, { id: number; at: number }> = {};
      for (let k = 0; k < 5; k++) table[String(i * 7 + k)] = { id: i * 7 + k, at: k / 2 };
      const copy = copyState({ events: { seq: 0 }, table } as unknown as SimState) as unknown as { table: typeof table };
      expect(copy.table).toEqual(table);
      expect(copy.table).not.toBe(table);
    }
    // The objects inside have one field list, the tables none: at most a few shapes more.
    expect(literalShapesKnown() - before).toBeLessThanOrEqual(2);
  });

  it('copies the arrays of a table keyed by number with one set of loops for all its entries', () => {
    const before = kernelsKnown();
    for (let i = 0; i < 500; i++) {
      const table: Record<string, { id: number; replies: number[] }> = {};
      for (let k = 0; k < 5; k++) table[String(i * 7 + k)] = { id: i * 7 + k, replies: [k, k + 0.5] };
      const S = { events: { seq: i }, table } as unknown as SimState;
      const cache = new SnapshotCache({ budget: Infinity, every: 1, near: 1, endTick: 1 });
      cache.keep(1, S);
      const copy = copyState(cache.atOrBefore(1)!.state) as unknown as { table: typeof table };
      expect(copy.table).toEqual(table);
    }
    // The state, its table, the table's entries and their lists: a place each, not one per key.
    expect(kernelsKnown() - before).toBeLessThanOrEqual(4);
  });

  it('compiles its loops once per place in the state: another round of the same scenario adds none', () => {
    const round = (seed: number) => {
      const sim = createSim({ ...opts, scenario: 'feed', preset: 'ap', seed });
      const runner = new TickRunner(sim);
      const cache = new SnapshotCache({ budget: Infinity, every: 40, near: 1200, endTick: runner.endTick });
      for (const tick of [40, 80, 120, 160]) {
        runner.runTo(tick);
        cache.keep(tick, sim.S);
      }
      copyState(cache.atOrBefore(160)!.state, copyState(cache.atOrBefore(80)!.state));
    };
    round(1);
    const known = kernelsKnown();
    round(2);
    expect(kernelsKnown()).toBe(known);
  });

  it('copies a field named __proto__ as a field', () => {
    const o = JSON.parse('{"events":{"seq":0},"x":{"__proto__":5,"a":1}}') as SimState;
    const copy = copyState(o) as unknown as { x: object };
    expect(JSON.stringify(copy)).toBe(JSON.stringify(o));
    expect(Object.getPrototypeOf(copy.x)).toBe(Object.prototype);
  });
});
