// The event feed in a player's words where the cluster repeats itself: a burst of elections
// after one fault reads as one line ("3 shards elected new leaders after node 2 crashed"),
// and an event known only by its kind still reads as a sentence, never as `slow-node`.

import { CHAOS_KINDS, type ChaosKind } from '../scenarios/chaos-types.js';
import { CHAOS_WORDS } from './chaos.js';
import { COMMAND_WORDS } from './commands.js';
import type { CommandType } from '../scenarios/command-types.js';

/** The feed kinds whose bursts fold into one line, and how close together a burst is. */
export const GROUPED_KINDS: ReadonlySet<string> = new Set(['election', 'step-down']);
export const GROUP_WINDOW_MS = 5000;
/** How long after a fault or an action the cluster's reaction is told as caused by it. */
export const CAUSE_WINDOW_MS = 10_000;

/** Something that set the cluster off, as the feed had it. */
export interface FeedCause {
  kind: string;
  /** The feed's text for it (the node of a chaos event is read from it). */
  text: string;
  /** The node it concerns, when the feed said (-1 none). */
  node: number;
}

/**
 * What the feed line of a cause reads as after "after …", or null when the event does not
 * make the cluster elect ("after node 2 crashed", "after the network split").
 */
export function causePhrase(c: FeedCause): string | null {
  const node = c.node >= 0 ? c.node : nodeOfText(c.text);
  const n = node === null ? 'a node' : `node ${node}`;
  switch (c.kind) {
    case 'crash':
      return /already down/.test(c.text) ? null : `${n} crashed`;
    case 'crash-disk-loss':
      return /already down/.test(c.text) ? null : `${n} crashed and lost its disk`;
    case 'partition-region':
    case 'partition-random':
      return 'the network split';
    case 'heal':
      return 'the network healed';
    case 'restart':
      return `${n} restarted`;
    case 'recover':
      return `${n} came back`;
    case 'replace':
      return `${n} was replaced`;
    case 'scale-up':
      return `${n} moved to a bigger machine`;
    case 'scale-out':
      return `${n} joined`;
    case 'remove':
      return `${n} left`;
    case 'promote':
      return `${n} stood for election`;
    case 'demote':
      return `${n} stepped down`;
    case 'configure':
      return 'the settings changed';
    case 'slow-node':
      return `${n} slowed down`;
    case 'clock-skew':
      return `${n}'s clock jumped`;
    case 'message-loss':
      return 'the network started dropping messages';
    case 'latency-spike':
      return 'every link slowed down';
    default:
      return null;
  }
}

/**
 * A burst of elections in one line: "3 shards elected new leaders (nodes 1 and 4) after
 * node 2 crashed". One election keeps the simulation's own line (`single`), with its cause.
 */
export function electionsText(shards: number, leaders: readonly number[], cause: string | null, single: string): string {
  const after = cause === null ? '' : ` after ${cause}`;
  if (shards <= 1) return `${single}${after}`;
  const who = leaders.length === 1 ? ` (all led by node ${leaders[0]} now)` : leaders.length > 1 ? ` (now led by ${nodesText(leaders)})` : '';
  return `${shards} shards elected new leaders${who}${after}`;
}

/** A burst of step-downs in one line: "Node 3 stepped down as leader of 4 shards: a newer election had won". */
export function stepDownsText(count: number, nodes: readonly number[], single: string): string {
  if (count <= 1) return single;
  const who = nodes.length === 1 ? `Node ${nodes[0]} stepped down as leader of ${count} shards` : `${count} old leaders stepped down (${nodesText(nodes)})`;
  return `${who}: a newer election had won`;
}

/** "node 4", "nodes 1 and 4", "nodes 1, 3 and 4". */
export function nodesText(nodes: readonly number[]): string {
  const s = [...nodes].sort((a, b) => a - b);
  if (s.length === 1) return `node ${s[0]}`;
  return `nodes ${s.slice(0, -1).join(', ')} and ${s[s.length - 1]}`;
}

/** An event known only by its kind, as a sentence (a record whose feed text was lost). */
export function eventKindText(kind: string, node?: number): string {
  const on = node !== undefined && node >= 0 ? ` on node ${node}` : '';
  if ((CHAOS_KINDS as readonly string[]).includes(kind)) {
    const w = CHAOS_WORDS[kind as ChaosKind];
    return `${capital(w.name)}${on}: ${w.explain.charAt(0).toLowerCase()}${w.explain.slice(1).replace(/\.$/, '')}`;
  }
  if (kind in COMMAND_WORDS) return `${COMMAND_WORDS[kind as CommandType].label}${on}`;
  return OTHER_KINDS[kind] !== undefined ? `${OTHER_KINDS[kind]}${on}` : `Something happened${on}`;
}

// ---------------------------------------------------------------------------------------

const OTHER_KINDS: Readonly<Record<string, string>> = {
  heal: 'The network partition healed',
  election: 'A shard elected a new leader',
  'step-down': 'An old leader stepped down',
  recover: 'A node came back up',
  rebalance: 'Shards moved between nodes',
  vote: 'The team voted',
  player: 'A player came or went',
  phase: 'The round moved on',
};

/** The node a feed line of ours names first ("Node 3 crashed"), or null. */
function nodeOfText(text: string): number | null {
  const m = /\b[Nn]ode (\d+)\b/.exec(text);
  return m === null ? null : Number(m[1]);
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
