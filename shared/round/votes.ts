// The team is itself a quorum (GAME.md): a cluster-wide settings change passes when a
// strict majority of the team's connected human players agree. Bots do not vote, so with
// no humans the preset stands. One vote is open at a time.

import type { ClusterSettings } from '../scenarios/settings.js';
import type { VoteRow } from './effects.js';
import { proposalWords } from '../words/settings.js';

/** The team's votes: at most one open, its ballots, and how it looks on screens. */
export class VoteBox {
  /** What screens show of the latest vote (it stays after the vote closes). */
  readonly view: VoteRow = { id: 0, status: '', proposal: '', proposer: '', yes: 0, no: 0, electorate: 0, needed: 0, secondsLeft: 0, ballots: new Map() };
  private vote: Vote | null = null;
  private counter = 0;

  get open(): boolean {
    return this.vote !== null;
  }

  /** A ballot on the open vote, or (agreeing, none open) a new proposal: 'cast', 'proposed', or why not. */
  cast(key: string, proposal: Partial<ClusterSettings>, agree: boolean, ref: number | undefined, leftMs: number): 'cast' | 'proposed' | { error: string } {
    const vote = this.vote;
    if (vote !== null) {
      if (!sameProposal(vote.proposal, proposal)) return { error: `another vote is open (${proposalWords(vote.proposal)}): vote on it first` };
      vote.ballots.set(key, agree);
      return 'cast';
    }
    if (!agree) return { error: 'there is no open vote on this proposal to vote against' };
    this.vote = { id: ++this.counter, proposal, proposer: key, proposerRef: ref, ballots: new Map([[key, true]]), leftMs };
    return 'proposed';
  }

  /** Wall-clock time passes for the open vote; true when its shown seconds changed or it ran out (count it again). */
  elapse(ms: number): boolean {
    if (this.vote === null) return false;
    this.vote.leftMs -= ms;
    return Math.max(0, Math.ceil(this.vote.leftMs / 1000)) !== this.view.secondsLeft || this.vote.leftMs <= 0;
  }

  /** Count the open vote (null when none is): the view follows, and a vote decided now closes. */
  count(electorate: ReadonlySet<string>, nicknameOf: (key: string) => string): { vote: Vote; tally: Tally } | null {
    const vote = this.vote;
    if (vote === null) return null;
    const t = tally(vote, electorate);
    const view = this.view;
    view.id = vote.id;
    view.proposal = proposalJson(vote.proposal);
    view.proposer = nicknameOf(vote.proposer);
    view.yes = t.yes;
    view.no = t.no;
    view.electorate = t.electorate;
    view.needed = t.needed;
    view.secondsLeft = Math.max(0, Math.ceil(vote.leftMs / 1000));
    view.ballots = new Map(vote.ballots);
    if (t.outcome === 'open') {
      view.status = 'open';
      return { vote, tally: t };
    }
    this.vote = null;
    view.status = t.outcome;
    view.secondsLeft = 0;
    return { vote, tally: t };
  }

  /** The round is over: an open vote lapses. True if one was open. */
  lapse(): boolean {
    if (this.vote === null) return false;
    this.vote = null;
    this.view.status = 'expired';
    return true;
  }

  /** A copy of the view for an effect. */
  shown(): VoteRow {
    return { ...this.view, ballots: new Map(this.view.ballots) };
  }
}

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
