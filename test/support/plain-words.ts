// Whether a line a player reads is plain words: no camelCase field, no raw kind such as
// `slow-node`, no bare kind where a sentence belongs, no broken value. Shared by the scan of
// every string the game builds (player-strings.test.ts) and the browser's debrief test.

import { CHAOS_KINDS } from '../../shared/scenarios/chaos-types.js';
import { COMMAND_TYPES } from '../../shared/protocol/validate.js';

/** Why a line must not reach a player, or null when it reads as plain words. */
export function leak(text: string, bareOk = false): string | null {
  if (/undefined|NaN|\[object|Infinity|\bnull\b/.test(text)) return 'a broken value';
  const camel = /\b[a-z]+[A-Z][A-Za-z]*\b/.exec(text);
  if (camel !== null) return `the identifier "${camel[0]}"`;
  const raw = RAW_IDS.exec(text);
  if (raw !== null) return `the raw name "${raw[0]}"`;
  if (!bareOk && BARE_KINDS.has(text.trim())) return 'a bare kind instead of a sentence';
  if (/\b\w+ = (one|quorum|all|true|false)\b/.test(text)) return 'a setting written as code';
  return null;
}

// "region-aware" and "leader-follower" are English as they stand; these are not.
const HYPHENATED = [
  ...CHAOS_KINDS.filter((k) => k.includes('-')),
  ...COMMAND_TYPES.filter((k) => k.includes('-')),
  'step-down', 'any-replica', 'no-quorum', 'single-region', 'last-write-wins', 'version-vectors', 'round-robin', 'least-loaded',
];
const RAW_IDS = new RegExp(`(?<![\\w-])(${HYPHENATED.join('|')})(?![\\w-])`);
const BARE_KINDS = new Set<string>([...CHAOS_KINDS, ...COMMAND_TYPES, 'heal', 'election', 'step-down', 'recover', 'rebalance', 'vote', 'player', 'phase']);
