// The moment of a round a lesson card is about: the first fault of the kind the concept
// explains (the first split for CAP, the first crash for failover…), or, for the nines, the
// worst second. The debrief offers to branch from just before it, so the player can meet
// the same trouble again and play it the way the card suggests.

import type { ConceptId } from './cards.js';
import { worstWindow, type RoundRecord } from './pick.js';

const SPLITS = ['partition-region', 'partition-random'] as const;
const CRASHES = ['crash', 'crash-disk-loss'] as const;

/** The feed kinds whose first occurrence is the card's moment, most telling first. */
const CARD_MOMENT_KINDS: Readonly<Record<Exclude<ConceptId, 'nines'>, readonly string[]>> = {
  cap: SPLITS,
  'strong-consistency': SPLITS,
  'eventual-consistency': SPLITS,
  'weak-consistency': SPLITS,
  'split-brain': SPLITS,
  'active-active': SPLITS,
  quorum: [...SPLITS, ...CRASHES],
  conflicts: [...SPLITS, 'clock-skew'],
  'active-passive': CRASHES,
  failover: CRASHES,
  replication: ['crash-disk-loss', 'crash'],
  sharding: ['hot-key', 'load-surge'],
  'load-balancing': ['flood', 'slow-node', 'load-surge'],
  'latency-throughput': ['load-surge', 'latency-spike', 'slow-node'],
  'performance-scalability': ['load-surge', 'hot-key', 'flood'],
};

/** Milliseconds into the round where the card's story happens, or null when nothing there fits. */
export function cardMoment(rec: RoundRecord, id: ConceptId): number | null {
  if (id === 'nines') {
    const worst = worstWindow(rec);
    return worst !== null && worst.ok < worst.requests ? worst.start : null;
  }
  for (const kind of CARD_MOMENT_KINDS[id]) {
    let first: number | null = null;
    for (const e of rec.events) if (e.kind === kind && (first === null || e.t < first)) first = e.t;
    if (first !== null) return first;
  }
  return null;
}
