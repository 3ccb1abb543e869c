// Periodic anti-entropy under the simulation's rules 2: each node falls due at its own phase
// of the period, so the cluster's exchanges spread over it. Under rules 1 (kept for the
// rounds recorded on them) every node sent its exchange in the same tick, and a state taken
// then held them all in flight: at the end of a 10-minute feed round, a megabyte.

import { describe, expect, it } from 'vitest';
import { applyCommand } from '../shared/sim/commands.js';
import { createSim, type Sim } from '../shared/sim/engine.js';
import { LL_AE } from '../shared/sim/leaderless.js';
import { snapshot, restore } from '../shared/sim/summary.js';
import type { SimVersion } from '../shared/sim/state.js';
import { TickRunner } from '../shared/round/runner.js';
import { SCENARIOS } from '../shared/scenarios/index.js';

function feedAp(simVersion: SimVersion): Sim {
  return createSim({ scenario: 'feed', preset: 'ap', chaos: 'none', seed: 3, durationMs: 60_000, simVersion, recordHistory: false });
}

/** Anti-entropy requests in flight at the end of each tick from `from` to `to`: the largest count, and how many exchanges began. */
function exchanges(sim: Sim, from: number, to: number): { most: number; rounds: number } {
  const runner = new TickRunner(sim, {});
  let most = 0;
  const before = sim.S.counters.antiEntropyRounds;
  for (let t = from + 1; t <= to; t++) {
    runner.runTo(t);
    let n = 0;
    for (const e of sim.S.events.items) if (e.m === LL_AE) n++;
    most = Math.max(most, n);
  }
  return { most, rounds: sim.S.counters.antiEntropyRounds - before };
}

describe('periodic anti-entropy', () => {
  it('spreads the cluster’s exchanges over the period, where rules 1 sent them all at once', () => {
    expect(SCENARIOS.feed.presets.ap!.antiEntropyMs).toBe(2_000);
    const now = exchanges(feedAp(2), 0, 600);
    const before = exchanges(feedAp(1), 0, 600);
    // Nine nodes, each starting one exchange every 2 s: under rules 1 all nine in one tick.
    expect(before.most).toBe(9);
    expect(now.most).toBeLessThanOrEqual(3);
    // As many exchanges over the same 30 s, give or take the first period's offsets.
    expect(now.rounds).toBeGreaterThanOrEqual(before.rounds - 9);
  });

  it('keeps each node at its own phase: distinct times, each one period apart', () => {
    const sim = feedAp(2);
    const first = sim.S.nodes.map((n) => n.nextAntiEntropy);
    expect(new Set(first).size).toBe(9);
    for (const t of first) expect(t >= 2_000 && t < 4_000).toBe(true);
    exchanges(sim, 0, 390);
    // After 19.5 s each node is due next within one period, at a whole number of periods after its first.
    sim.S.nodes.forEach((n, i) => {
      expect(n.nextAntiEntropy > sim.S.now && n.nextAntiEntropy <= sim.S.now + 2_000).toBe(true);
      expect((n.nextAntiEntropy - first[i]!) % 2_000).toBe(0);
    });
    expect(feedAp(1).S.nodes.map((n) => n.nextAntiEntropy)).toEqual(new Array(9).fill(2_000));
  });

  it('switched on in play, it falls back to each node’s own phase after the first exchange, not into step', () => {
    // Telemetry's ap preset has no anti-entropy: every node is due at once when a team turns it on.
    const sim = createSim({ scenario: 'telemetry', preset: 'ap', chaos: 'none', seed: 3, durationMs: 60_000, recordHistory: false });
    expect(sim.S.settings.antiEntropyMs).toBe(0);
    exchanges(sim, 0, 100);
    expect(applyCommand(sim, { type: 'configure', settings: { antiEntropyMs: 2_000 } }).ok).toBe(true);
    expect(exchanges(sim, 100, 140).most).toBe(10);
    const later = exchanges(sim, 140, 600);
    expect(later.most).toBeLessThanOrEqual(3);
    // Ten nodes, one exchange each every 2 s, over 23 s.
    expect(later.rounds).toBeGreaterThanOrEqual(110);
    expect(new Set(sim.S.nodes.map((n) => n.nextAntiEntropy)).size).toBe(10);
  });

  it('a saved state keeps the rules it ran on', () => {
    const old = feedAp(1);
    exchanges(old, 0, 100);
    const back = restore(snapshot(old), old.sc);
    expect(back.S.version).toBe(1);
    // It goes on as the original does, exchanges all in one tick.
    expect(exchanges(back, 100, 400)).toEqual(exchanges(old, 100, 400));
    expect(() => restore(snapshot(old).replace('"version":1', '"version":3'), old.sc)).toThrow('does not match this scenario or version');
  });
});
