// The error budget in a player's words: why requests failed, how much of the budget is
// left, and how fast it burns. The HUD and the debrief say it the same way.

/** Why a request failed (shared/sim/ops.ts FAIL_CAUSES, in the same order). */
export type FailCauseName = 'overload' | 'quorum' | 'leader' | 'unreachable' | 'down' | 'timeout';

export interface CauseWords {
  /** A short label for the HUD and tables: "no quorum". */
  label: string;
  /** What happened to the requests, after "requests …": "refused without a quorum". */
  happened: string;
  /** What it means and what helps, in one line. */
  explain: string;
}

export const CAUSE_WORDS: Readonly<Record<FailCauseName, CauseWords>> = {
  overload: {
    label: 'overloaded',
    happened: 'turned away by overloaded nodes',
    explain: 'A node with a full queue refuses new requests. More or bigger nodes, or a rate limit on a flooding client, help.',
  },
  quorum: {
    label: 'no quorum',
    happened: 'refused without a quorum',
    explain: 'A node that cannot reach a majority of the copies refuses, to stay consistent. That is the promise working, at the price of availability.',
  },
  leader: {
    label: 'no leader',
    happened: 'failed while no leader could take them',
    explain: 'Between a leader failing and a new one taking over, writes have nowhere to go. A shorter failover timeout shortens the gap.',
  },
  unreachable: {
    label: 'unreachable',
    happened: 'that could not reach a node',
    explain: 'A partition cut the clients off from the node they were sent to, or no node was left to send them to.',
  },
  down: {
    label: 'node down',
    happened: 'sent to a node that was down',
    explain: 'Requests sent to a crashed or restarting node are lost. A health-checked balancer stops sending them there.',
  },
  timeout: {
    label: 'timed out',
    happened: 'that got no answer in time',
    explain: 'Lost messages, long queues or a slow node kept the answer from coming back before the client gave up.',
  },
};

/** "312 of 450 failures left", or how far over the budget the round is. */
export function budgetLeftText(left: number, allowed: number): string {
  if (left < 0) return `${count(-left)} failures over the budget of ${count(allowed)}`;
  return `${count(left)} of ${count(allowed)} failures left`;
}

/**
 * How fast the budget burns, in words: "burning 4× too fast", "burning at 0.5× the even
 * pace", "not burning". `rate` is failures against what an even spend allows.
 */
export function burnText(rate: number): string {
  if (!(rate > 0)) return 'not burning now';
  if (rate >= 1.5) return `burning ${times(rate)} too fast`;
  if (rate > 1) return 'burning a little too fast';
  return `burning at ${times(rate)} the even pace`;
}

/** "at this pace it runs out in 40 s" / "at this pace it lasts the round". */
export function runsOutText(seconds: number): string {
  if (seconds < 0) return 'at this pace it lasts the round';
  return `at this pace it runs out in ${seconds < 90 ? `${Math.round(seconds)} s` : `${Math.round(seconds / 60)} min`}`;
}

/** The debrief's headline: kept or broken, and how much was spent. */
export function budgetHeadline(spent: number, allowed: number): string {
  if (allowed === 0 && spent === 0) return 'No request failed.';
  if (spent <= allowed) return `The team spent ${count(spent)} of the ${count(allowed)} failures the promise allows (${share(spent, allowed)}): the promise held.`;
  return `The team spent ${count(spent)} failures where the promise allows ${count(allowed)} (${share(spent, allowed)}): the promise broke.`;
}

/** A stretch's part of the budget: "38% of the budget", "12× the budget", or of the failures when none were allowed. */
export function budgetShareText(share: number, noneAllowed: boolean): string {
  if (noneAllowed) return `${Math.round(100 * share)}% of the failures`;
  return share >= 3 ? `${times(share)} the budget` : `${Math.round(100 * share)}% of the budget`;
}

function times(rate: number): string {
  return rate >= 10 ? `${Math.round(rate)}×` : `${(Math.round(rate * 10) / 10).toFixed(1).replace(/\.0$/, '')}×`;
}

function share(part: number, whole: number): string {
  if (!(whole > 0)) return 'none was allowed';
  const x = part / whole;
  return x >= 3 ? `${times(x)} the budget` : `${Math.round(100 * x)}% of it`;
}

function count(n: number): string {
  const r = Math.round(n);
  return String(Math.abs(r)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
