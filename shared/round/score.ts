// The score of a round still under way, and of one cut short.

import type { Sim } from '../sim/engine.js';
import type { SimState } from '../sim/state.js';
import { summarize } from '../sim/metrics.js';
import { scoreParts, type Summary } from '../sim/summary.js';
import { liveScore } from '../view/project.js';

/** The live score of the simulation as it stands (what the round view shows). */
export function scoreNow(sim: Sim): number {
  const { S, sc } = sim;
  return liveScore(sc, summarize(S.metrics, Math.max(1, S.now)), S.cost);
}

/**
 * The measures of a round cut short, without converging the cluster (lost writes unknown: 0);
 * its state hash is `fingerprint` (a recording's checkpoint hash: the whole state's costs seconds).
 */
export function interruptedSummary(sim: Sim, fingerprint: (S: SimState) => string): Summary {
  const { S, sc } = sim;
  const base = summarize(S.metrics, Math.max(1, S.now));
  return {
    scenario: S.scenario, preset: S.preset, chaos: S.chaosLevel, seed: S.seed, durationMs: Math.round(S.now), ...base,
    lostWrites: 0, conflicts: S.counters.conflicts, divergence: 0, cost: Math.round(S.cost * 100) / 100,
    score: liveScore(sc, base, S.cost), scoreParts: scoreParts(sc, base, 0, S.cost),
    elections: S.counters.elections, failovers: S.counters.failovers, refusedNoQuorum: S.counters.refusedNoQuorum,
    servedWithoutQuorum: S.counters.servedWithoutQuorum, stateHash: fingerprint(S),
  };
}
