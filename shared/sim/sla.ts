// Whether a round kept its promise: the scenario's SLA (as played, at the round's difficulty)
// against the round's measures, one verdict per term and one for the whole promise.

import type { Scenario } from '../scenarios/types.js';

export interface SlaTerm {
  target: number;
  actual: number;
  kept: boolean;
}

export interface SlaVerdict {
  /** Every term kept. */
  kept: boolean;
  availability: SlaTerm;
  p99Ms: SlaTerm;
  staleReads: SlaTerm;
  lostWrites: SlaTerm;
}

export interface SlaMeasures {
  availability: number;
  p99: number;
  staleReads: number;
  lostWrites: number;
}

/** Only the SLA is read: a recording's copy of it will do as well as the scenario. */
export function slaVerdict(sc: Pick<Scenario, 'sla'>, m: SlaMeasures): SlaVerdict {
  const sla = sc.sla;
  const availability = { target: sla.availability, actual: m.availability, kept: m.availability >= sla.availability };
  const p99Ms = { target: sla.p99Ms, actual: Math.round(m.p99 * 10) / 10, kept: m.p99 <= sla.p99Ms };
  const staleReads = { target: sla.maxStaleReads, actual: m.staleReads, kept: m.staleReads <= sla.maxStaleReads };
  const lostWrites = { target: sla.maxLostWrites, actual: m.lostWrites, kept: m.lostWrites <= sla.maxLostWrites };
  return { kept: availability.kept && p99Ms.kept && staleReads.kept && lostWrites.kept, availability, p99Ms, staleReads, lostWrites };
}
