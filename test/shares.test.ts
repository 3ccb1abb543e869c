// Individual shares reward the scenario's promise: where the customer forbids stale reads
// (bank), a player whose node served stale reads never outranks one whose node refused.
import { describe, expect, it } from 'vitest';
import { pointsOf, rawPoints, shareOf, STALE_READ_POINTS, type Tally } from '../shared/round/contributions.js';
import type { Person, Seat } from '../shared/round/seats.js';
import { applyCommand } from '../shared/sim/commands.js';
import { cutIndices } from '../shared/sim/chaos.js';
import { advance, createSim } from '../shared/sim/engine.js';
import { getScenario } from '../shared/scenarios/index.js';
import { mulberry32 } from './support/prng.js';

describe('shares by points', () => {
  it('in bank, of two cut-off nodes the one that served stale reads ranks below the one that refused, and below every clean one', () => {
    expect(getScenario('bank')!.sla.maxStaleReads).toBe(0);
    const sim = createSim({ scenario: 'bank', preset: 'cp', chaos: 'none', seed: 3, durationMs: 16_000, recordHistory: false });
    const [refuser, server] = [3, 4];
    // The target whose random partition cuts off exactly these two nodes.
    const target = Array.from({ length: 100 }, (_, t) => t).find((t) => cutIndices(5, t).join() === `${refuser},${server}`)!;
    advance(sim, 2_000);
    applyCommand(sim, { type: 'stance', node: server, stance: 'serve' });
    expect(sim.S.nodes[refuser]!.stance).toBe('refuse');
    applyCommand(sim, { type: 'chaos', kind: 'partition-random', target, durationMs: 6_000, magnitude: 0 });
    advance(sim, 12_000);
    expect(sim.S.nodes[refuser]!.lastSplit).toMatchObject({ minority: true, stale: 0 });
    expect(sim.S.nodes[refuser]!.lastSplit!.refused).toBeGreaterThan(0);
    // One player per node.
    const tallies: Tally[] = sim.S.nodes.map((n) => ({ served: n.served, anomalies: n.staleServed, bonus: 0 }));
    expect(tallies[server]!.anomalies, 'the serving node answered old balances').toBeGreaterThan(0);
    expect(tallies[refuser]!.anomalies).toBe(0);
    // Serving more requests must not buy the stale-serving node a better rank: give it more.
    tallies[server]!.served = Math.max(tallies[server]!.served, tallies[refuser]!.served + 100);
    const points = pointsOf(tallies, true);
    expect(points(tallies[server]!)).toBeLessThan(points(tallies[refuser]!));
    for (const k of tallies.filter((t) => t.anomalies === 0)) expect(points(tallies[server]!)).toBeLessThan(points(k));
    // Where stale reads are allowed, the same tallies are ranked by what was served.
    expect(pointsOf(tallies, false)(tallies[server]!)).toBe(tallies[server]!.served);
  });

  it('never lets a stale-serving tally outrank a clean one, and shares add up to the score', () => {
    const rnd = mulberry32(42);
    for (let round = 0; round < 300; round++) {
      const n = 1 + Math.floor(rnd() * 8);
      const tallies: Tally[] = Array.from({ length: n }, () => ({
        served: Math.floor(rnd() * 50_000),
        anomalies: rnd() < 0.4 ? Math.floor(rnd() * 400) : 0,
        bonus: rnd() < 0.3 ? Math.floor(rnd() * 5_000) : 0,
      }));
      const score = Math.floor(rnd() * 1000);
      for (const noStale of [true, false]) {
        const points = pointsOf(tallies, noStale);
        if (noStale) {
          for (const a of tallies) for (const b of tallies) {
            if (a.anomalies > 0 && b.anomalies === 0 && rawPoints(b, true) > 0) expect(points(a)).toBeLessThan(points(b));
          }
        } else for (const t of tallies) expect(points(t)).toBe(t.served + t.bonus);
        const share = shareOf(score, tallies as unknown as Person[], [] as Seat[], noStale);
        const sum = tallies.reduce((s, t) => s + share(t), 0);
        const total = tallies.reduce((s, t) => s + points(t), 0);
        if (total > 0) expect(Math.abs(sum - score)).toBeLessThanOrEqual(n);
        else expect(sum).toBe(0);
      }
    }
  });

  it('charges each stale read where they are forbidden, and credits the requests helpful actions improved', () => {
    expect(rawPoints({ served: 1_000, anomalies: 3, bonus: 0 }, true)).toBe(1_000 - 3 * STALE_READ_POINTS);
    expect(rawPoints({ served: 1_000, anomalies: 3, bonus: 0 }, false)).toBe(1_000);
    expect(rawPoints({ served: 1_000, anomalies: 0, bonus: 250 }, true)).toBe(1_250);
    expect(rawPoints({ served: 10, anomalies: 50, bonus: 0 }, true)).toBe(0);
  });
});
