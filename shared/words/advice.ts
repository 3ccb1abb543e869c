// The advisor's hints in a player's words: one short sentence that names the trouble, the
// button to press, and the idea from the course it shows ("… — performance vs scalability").
// The advisor (shared/lessons/advisor.ts) decides which hint; these builders only word it.

import type { Stance } from '../scenarios/settings.js';
import { COMMAND_WORDS, STANCE_WORDS } from './commands.js';

/** The course's ideas a hint points at, as the seed notes name them. */
export const ADVICE_CONCEPT_NAMES = {
  nines: 'availability',
  cap: 'CAP',
  'load-balancing': 'load balancing',
  'performance-scalability': 'performance vs scalability',
  failover: 'failover',
  sharding: 'sharding',
} as const;

export type AdviceConcept = keyof typeof ADVICE_CONCEPT_NAMES;

/** "N3", as the map and the node panel label a node. */
export function nodeName(id: number): string {
  return `N${id}`;
}

/** Your own node is down. */
export function adviceNodeDown(node: number): string {
  return withConcept(`Your node ${nodeName(node)} is down: press ${COMMAND_WORDS.restart.label} to bring it back`, 'nines');
}

/**
 * Your node is cut off from most of the cluster and would answer the wrong way for this
 * customer: `stance` is the one that fits the promise.
 */
export function adviceMinoritySide(node: number, stance: Stance): string {
  const why = stance === 'refuse' ? 'so it never answers with an out-of-date value' : 'so it keeps answering, even if slightly out of date';
  return withConcept(`Your node ${nodeName(node)} is cut off from most of the cluster: choose ${STANCE_WORDS[stance].label} ${why}`, 'cap');
}

/** Your node is cut off and refuses: the load balancer should stop sending it clients. */
export function adviceDrainCutOff(node: number): string {
  return withConcept(`Your node ${nodeName(node)} is cut off and turns clients away: press ${COMMAND_WORDS.drain.label} so the load balancer sends them to the side that can answer`, 'load-balancing');
}

/** Your node is drained although nothing is wrong with it any more. */
export function adviceUndrain(node: number): string {
  return withConcept(`Your node ${nodeName(node)} is healthy and the network is whole: press ${COMMAND_WORDS.undrain.label} so it takes clients again`, 'load-balancing');
}

/** A client floods your node. */
export function adviceFlood(node: number): string {
  return withConcept(`A client is flooding your node ${nodeName(node)}: press ${COMMAND_WORDS['rate-limit'].label} to turn it away`, 'load-balancing');
}

/**
 * A node is at or past what it can serve (`percent` of its capacity), or its queue is filling
 * (`queuePercent` full). `region` names where to add the node when the choice matters.
 */
export function adviceOverload(node: number, percent: number, queuing: boolean, region: string | null): string {
  // A queue can run past its limit (a flood): past 100% it is simply full.
  const what = queuing ? (percent >= 100 ? `${nodeName(node)}'s queue is full` : `${nodeName(node)}'s queue is ${percent}% full`) : `${nodeName(node)} is at ${percent}% of its capacity`;
  const where = region === null ? '' : ` in ${region}`;
  return withConcept(`${what}: add a node${where} (${COMMAND_WORDS['scale-out'].label}) to share the load`, 'performance-scalability');
}

/** Shards have had no leader for longer than a failover should take. */
export function adviceLeaderless(shards: number, node: number): string {
  const what = shards === 1 ? '1 shard has had no leader' : `${shards} shards have had no leader`;
  return withConcept(`${what} for a while: wait a moment for failover, or press ${COMMAND_WORDS.promote.label} on ${nodeName(node)}`, 'failover');
}

/** A hot key draws `share` (0–1) of the requests to the nodes that hold it. */
export function adviceHotKey(key: string, share: number, shards: number): string {
  const pct = Math.round(share * 100);
  return withConcept(`Hot key ${key} draws ${pct}% of requests to the few nodes that hold it: propose ${shards} shards, so other keys move off those nodes`, 'sharding');
}

// ---------------------------------------------------------------------------------------

function withConcept(sentence: string, concept: AdviceConcept): string {
  return `${sentence} — ${ADVICE_CONCEPT_NAMES[concept]}.`;
}
