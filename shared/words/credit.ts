// The debrief's credit for a node action that helped, in one sentence:
// "Ada's new node at 1:42 cut p99 latency to 180 ms; without it, 600 ms".

import type { Command } from '../scenarios/command-types.js';
import type { Stance } from '../scenarios/settings.js';

/** The measures an action is judged by (shared/round/credits.ts). */
export type CreditMeasure = 'p99' | 'availability';

/** The action as a noun phrase that follows "Ada's": "restart of node 3", "new node in Europe". */
export function actionNoun(cmd: Command, ctx: { rateLimitOn?: boolean; region?: string } = {}): string {
  switch (cmd.type) {
    case 'scale-out':
      return ctx.region !== undefined ? `new node in ${ctx.region}` : 'new node';
    case 'stance':
      return `switch of node ${cmd.node} to ${STANCE_NOUN[cmd.stance]}`;
    case 'rate-limit':
      return ctx.rateLimitOn === false ? `lifting of the rate limit on node ${cmd.node}` : `rate limit on node ${cmd.node}`;
    case 'configure':
      return 'settings change';
    case 'chaos':
      return 'fault';
    default:
      return `${NOUN[cmd.type]} of node ${cmd.node}`;
  }
}

const STANCE_NOUN: Readonly<Record<Stance, string>> = { refuse: 'refusing', serve: 'serving' };

const NOUN = {
  restart: 'restart',
  replace: 'replacement',
  'scale-up': 'move to a bigger machine',
  drain: 'drain',
  undrain: 'undrain',
  remove: 'removal',
  promote: 'promotion',
  demote: 'demotion',
  repair: 'repair',
} as const;

/** Simulated ms as m:ss since the round began. */
export function clockWords(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

function pct(x: number): string {
  return `${(Math.floor(x * 1000) / 10).toFixed(1)} %`;
}

/** The measure as a sentence tells it. */
function measureWords(measure: CreditMeasure, x: number): string {
  return measure === 'p99' ? `${Math.round(x)} ms` : pct(x);
}

/**
 * "Ada's scale-out at 1:42 cut p99 latency to 180 ms; without it, 600 ms." The comparison
 * is with the same seconds of the round re-run without the action (shared/round/credits.ts).
 */
export function creditText(by: string, noun: string, t: number, measure: CreditMeasure, without: number, withIt: number): string {
  const did = measure === 'p99' ? 'cut p99 latency to' : 'raised the requests that succeeded to';
  return `${by}'s ${noun} at ${clockWords(t)} ${did} ${measureWords(measure, withIt)}; without it, ${measureWords(measure, without)}.`;
}

/** How individual shares are worked out, for the debrief's "Who did what". */
export function sharesExplained(noStale: boolean, stalePoints: number): string {
  const base =
    "Each player's share of the score follows their points: the requests their node served while they ran it, " +
    'plus, for each of their actions that helped (the round re-run without it did worse), the requests it improved in the five seconds after it took effect.';
  return noStale
    ? `${base} This customer forbids stale reads: each one a node served costs ${stalePoints} points, and a player whose node served any never ranks above one whose node served none.`
    : base;
}
