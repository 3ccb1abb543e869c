// The team's votes and its people in a player's words: what the feed says when someone
// proposes, when a vote ends either way, and when a player leaves or comes back; and how the
// vote box names a vote's outcome.

import type { ClusterSettings } from '../scenarios/settings.js';
import { proposalWords } from './settings.js';

/** "Ada proposes 3 copies of each key". */
export function proposedText(nickname: string, proposal: Partial<ClusterSettings>): string {
  return `${nickname} proposes ${proposalWords(proposal)}`;
}

/** The feed's line when a vote ends: agreed, voted down or expired. */
export function voteEndedText(outcome: 'passed' | 'failed' | 'expired', proposal: Partial<ClusterSettings>, yes: number, electorate: number): string {
  const what = proposalWords(proposal);
  if (outcome === 'passed') return `The team agreed to ${what} (${yes} of ${electorate})`;
  if (outcome === 'failed') return `The team voted down ${what} (${yes} of ${electorate} agreed)`;
  return `The vote on ${what} expired`;
}

/** The feed's line when the team agreed to settings the cluster cannot take. */
export function voteRefusedText(proposal: Partial<ClusterSettings>, why: string): string {
  return `The cluster cannot take ${proposalWords(proposal)}: ${why}`;
}

/** A finished vote's outcome, as the vote box heads it. */
export const VOTE_OUTCOME_WORDS: Readonly<Record<string, string>> = {
  passed: 'Passed',
  failed: 'Voted down',
  expired: 'Expired',
  refused: 'Passed, but the cluster could not take it',
};

/** The feed's line when a player who dropped out is back. */
export function playerBackText(nickname: string, node: number): string {
  return `${nickname} is back on node ${node}`;
}

/** The feed's line when a player's connection drops and a bot stands in. */
export function playerAwayText(nickname: string, node: number): string {
  return `${nickname} lost their connection; a bot runs node ${node} until they return`;
}
