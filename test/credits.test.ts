// The debrief credits a player's node action only when the round re-run without it did
// clearly worse over the seconds the action should have shown its effect.
import { describe, expect, it } from 'vitest';
import type { Actor } from '../shared/round/actor.js';
import { CREDIT_SPAN_MS, creditSteps, judgeable, probeOf, type ActionCredit, type CreditInput, type CreditProbe } from '../shared/round/credits.js';
import { TICK_MS, TickRunner } from '../shared/round/runner.js';
import type { Command } from '../shared/scenarios/command-types.js';
import { getScenario } from '../shared/scenarios/index.js';
import { createSim, finishSim } from '../shared/sim/engine.js';

const HOST: Actor = { kind: 'host' };
const ADA: Actor = { kind: 'player', id: 'ada' };
const BOT: Actor = { kind: 'bot', node: 2 };
const NAMES: Record<string, string> = { ada: 'Ada' };

const ROUND_MS = 25_000;

/** A short bank round driven like the room drives it: probes before players' actions, credits after the closing. */
function play(script: { t: number; command: Command; by: Actor }[]): ActionCredit[] {
  const sim = createSim({ scenario: 'bank', preset: 'cp', chaos: 'none', seed: 5, durationMs: ROUND_MS, recordHistory: false });
  const applied: CreditInput[] = [];
  const probes: CreditProbe[] = [];
  const runner = new TickRunner(sim, {
    onOutcome: (o) => {
      expect(o.result.ok, JSON.stringify(o.command)).toBe(true);
      applied.push({ tick: o.tick, command: o.command, by: o.by });
    },
  });
  while (!runner.over) {
    for (const s of script) if (Math.round(s.t / TICK_MS) === runner.tick) runner.enqueue(s.command, s.by);
    if (runner.pending.some(judgeable)) probes.push(probeOf(sim.S, runner.tick));
    runner.step();
  }
  finishSim(sim);
  const out: ActionCredit[] = [];
  const steps = creditSteps(sim, applied, probes, (k) => NAMES[k], out);
  let slices = 0;
  while (steps.next().done !== true) slices++;
  // The re-runs come in slices of a simulated second, so a room can close a round without stalling.
  if (probes.length > 0) expect(slices).toBeGreaterThan(3);
  return out;
}

/**
 * A load surge that asks a quarter more of the bank's starting cluster than it can serve over
 * the seconds a scale-out at `at` is judged (it settles for 6 s, then CREDIT_SPAN_MS count),
 * by the cp preset's arithmetic: a read takes one service slot, a write one on each replica.
 * A smaller surge leaves a scale-out nothing to mend; this one leaves it the difference.
 */
function overloadingSurge(at: number): Command {
  const sc = getScenario('bank')!;
  const w = sc.workload;
  const mid = at + 6_000 + CREDIT_SPAN_MS / 2;
  const rate = w.startRate + ((w.endRate - w.startRate) * mid) / ROUND_MS;
  const slots = w.readFraction + (1 - w.readFraction) * sc.presets.cp.replicationFactor;
  const capacity = sc.topology.nodesPerRegion.reduce((a, b) => a + b, 0) * sc.topology.nodeCapacity;
  const magnitude = Math.round((100 * 1.25 * capacity) / (rate * slots)) / 100;
  return { type: 'chaos', kind: 'load-surge', target: 0, durationMs: 60_000, magnitude };
}

const crash = (node: number): Command => ({ type: 'chaos', kind: 'crash', target: node, durationMs: 60_000, magnitude: 0 });

describe('credit for node actions', () => {
  it('a restart that brings a shard back to a majority is credited, with what the round would have been without it', () => {
    // Two of five nodes down: shards with both among their three replicas have no majority.
    const credits = play([
      { t: 4_000, command: crash(0), by: HOST },
      { t: 4_000, command: crash(1), by: HOST },
      { t: 10_000, command: { type: 'restart', node: 1 }, by: ADA },
    ]);
    expect(credits).toHaveLength(1);
    const c = credits[0]!;
    expect(c).toMatchObject({ by: 'ada', type: 'restart', node: 1, measure: 'availability', t: 10_000 });
    expect(c.with).toBeGreaterThan(c.without + 0.01);
    expect(c.points).toBeGreaterThan(0);
    expect(c.text).toMatch(/^Ada's restart of node 1 at 0:10 raised the requests that succeeded to \d+\.\d %; without it, \d+\.\d %\.$/);
  });

  it('a restart after the cluster has already failed over is not credited: the re-run without it did as well', () => {
    const credits = play([
      { t: 4_000, command: crash(1), by: HOST },
      { t: 10_000, command: { type: 'restart', node: 1 }, by: ADA },
    ]);
    expect(credits).toEqual([]);
  });

  it('a scale-out under a load surge is credited; the same action by a bot is not a player\'s to claim', () => {
    const surge = overloadingSurge(8_000);
    const credits = play([
      { t: 3_000, command: surge, by: HOST },
      { t: 8_000, command: { type: 'scale-out', region: 0 }, by: ADA },
    ]);
    expect(credits).toHaveLength(1);
    expect(credits[0]!.text).toMatch(/^Ada's new node in .+ at 0:08 (raised the requests that succeeded to|cut p99 latency to) /);
    expect(
      play([
        { t: 3_000, command: surge, by: HOST },
        { t: 8_000, command: { type: 'scale-out', region: 0 }, by: BOT },
      ]),
    ).toEqual([]);
  });
});
