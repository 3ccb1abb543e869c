// The team is itself a quorum (GAME.md): a cluster-wide settings change passes when a
// strict majority of the team's connected human players agree. Bots do not vote, so with
// no humans the preset stands. One vote is open at a time.

import type { ClusterSettings } from '../../shared/scenarios/settings.js';

export interface Vote {
  id: number;
  proposal: Partial<ClusterSettings>;
  /** Player key of who proposed it, and their `ref` (errors applying it go back to them). */
  proposer: string;
  proposerRef: number | undefined;
  /** Ballots by player key: true agrees. */
  ballots: Map<string, boolean>;
  /** Wall-clock ms left before it expires. */
  leftMs: number;
}

export type VoteOutcome = 'open' | 'passed' | 'failed' | 'expired';

export interface Tally {
  yes: number;
  no: number;
  electorate: number;
  needed: number;
  outcome: VoteOutcome;
}

/** Count the ballots of the current electorate (players who left no longer count). */
export function tally(vote: Vote, electorate: ReadonlySet<string>): Tally {
  let yes = 0;
  let no = 0;
  for (const [who, agree] of vote.ballots) {
    if (!electorate.has(who)) continue;
    if (agree) yes++;
    else no++;
  }
  const n = electorate.size;
  const needed = Math.floor(n / 2) + 1;
  let outcome: VoteOutcome = 'open';
  if (n === 0) outcome = vote.leftMs <= 0 ? 'expired' : 'open';
  else if (yes >= needed) outcome = 'passed';
  // Even if everyone left to vote agreed, there could be no majority.
  else if (yes + (n - yes - no) < needed) outcome = 'failed';
  else if (vote.leftMs <= 0) outcome = 'expired';
  return { yes, no, electorate: n, needed, outcome };
}

/** Two proposals are the same change when they set the same fields to the same values. */
export function sameProposal(a: Partial<ClusterSettings>, b: Partial<ClusterSettings>): boolean {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  if (ka.length !== kb.length) return false;
  return ka.every((k, i) => k === kb[i] && (a as Record<string, unknown>)[k] === (b as Record<string, unknown>)[k]);
}

/** Stable JSON of a proposal (sorted keys), as the schema shows it. */
export function proposalJson(p: Partial<ClusterSettings>): string {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(p).sort()) out[k] = (p as Record<string, unknown>)[k];
  return JSON.stringify(out);
}
