// Chaos in a player's words: each kind's name and what it does, and the sentences that say
// which nodes or region a strike hits — as the feed announces it, as the replay's timeline
// plans it (with its duration), and as the alert over the map shows it while it lasts.

import type { ChaosKind, ChaosLevel } from '../scenarios/chaos-types.js';

export interface ChaosWords {
  /** Short lower-case name, as the replay's timeline starts a line: "slow node". */
  name: string;
  /** What it does, in one line. */
  explain: string;
  /** The host's strike menu entry. */
  menu: string;
}

export const CHAOS_WORDS: Readonly<Record<ChaosKind, ChaosWords>> = {
  'partition-region': { name: 'partition', explain: 'One region is cut off from the others: messages across the cut are dropped.', menu: 'Network partition: cut part of the cluster off' },
  'partition-random': { name: 'partition', explain: 'The nodes split into two groups that cannot reach each other.', menu: 'Network partition: a random split' },
  crash: { name: 'crash', explain: 'A node stops; its disk survives, so a restart brings its data back.', menu: 'Crash a node' },
  'crash-disk-loss': { name: 'crash with disk loss', explain: 'A node stops and loses everything it stored.', menu: 'Crash a node and wipe its disk' },
  'slow-node': { name: 'slow node', explain: 'A gray failure: the node still answers, at a fraction of its capacity.', menu: 'Slow node (still answers, slowly)' },
  'latency-spike': { name: 'latency spike', explain: 'Every link gets slower, so every message takes longer.', menu: 'Latency spike on every link' },
  'message-loss': { name: 'message loss', explain: 'The network drops a share of all messages.', menu: 'Messages get lost' },
  'clock-skew': { name: 'clock skew', explain: 'A node’s clock jumps away from true time, so its timestamps lie.', menu: 'A node\'s clock jumps' },
  'load-surge': { name: 'load surge', explain: 'Client traffic multiplies for a while.', menu: 'Traffic surge' },
  'hot-key': { name: 'hot key', explain: 'Most requests go to one key, and so to the few nodes that hold it.', menu: 'Everyone wants one key (hot key)' },
  flood: { name: 'flood', explain: 'A misbehaving client floods one node with requests.', menu: 'A client floods one node' },
};

/** How much chaos a round has, as a player picks it. */
export const CHAOS_LEVEL_NAMES: Readonly<Record<ChaosLevel, string>> = { none: 'Calm: no chaos', normal: 'Normal chaos', heavy: 'Heavy chaos' };
/** The same, as a teacher picks it: a calm round still takes the host's own strikes. */
export const CLASS_CHAOS_LEVEL_NAMES: Readonly<Record<ChaosLevel, string>> = { none: 'Calm: only your strikes', normal: 'Normal trouble', heavy: 'Heavy trouble' };

/** The chaos level inside a line about a round ("seed 7 · no chaos · 180 s"). */
export function chaosLevelText(level: string): string {
  return level === 'none' ? 'no chaos' : level === 'heavy' ? 'heavy chaos' : level === 'normal' ? 'normal chaos' : 'chaos';
}

/** The same inside a line a student reads about a class round: a calm round still takes the teacher's strikes. */
export function classChaosText(level: string): string {
  return level === 'none' ? "no chaos but your teacher's strikes" : chaosLevelText(level);
}

/** What a strike hits, resolved from its target by whoever knows the cluster at that moment. */
export interface ChaosHit {
  /** The node a node fault lands on. */
  node?: number;
  /** The region a regional partition cuts off (only when there are several regions). */
  region?: string;
  /** The nodes a partition cuts off, or just how many when they are not known yet. */
  cut?: readonly number[] | number;
  /** The key a hot-key event makes hot. */
  key?: string;
}

/** The feed's line when a strike begins: "Node 3 crashed and lost its disk". */
export function chaosStartText(kind: ChaosKind, magnitude: number, hit: ChaosHit): string {
  const node = hit.node ?? 0;
  switch (kind) {
    case 'partition-region':
    case 'partition-random':
      return hit.region !== undefined
        ? `Network partition: region ${hit.region} is cut off`
        : `Network partition: ${cutList(hit.cut)} cut off from the rest`;
    case 'crash':
      return `Node ${node} crashed`;
    case 'crash-disk-loss':
      return `Node ${node} crashed and lost its disk`;
    case 'slow-node':
      return `Node ${node} slowed to ${pct(magnitude)} of its capacity`;
    case 'clock-skew':
      return `Node ${node}'s clock jumped ${magnitude > 0 ? 'ahead' : 'back'} by ${Math.abs(magnitude)} ms`;
    case 'flood':
      return `A misbehaving client is flooding node ${node} with ${magnitude} requests per second`;
    case 'latency-spike':
      return `Latency spike: every message takes ${magnitude} ms longer`;
    case 'message-loss':
      return `The network drops ${pct(magnitude)} of messages`;
    case 'load-surge':
      return `Traffic surge: ${magnitude.toFixed(1)}× the usual requests`;
    case 'hot-key':
      return `Hot key: ${pct(magnitude)} of requests hit ${hit.key ?? 'one key'}`;
  }
}

/** The feed's line when a crash strikes a node that is down already. */
export function alreadyDownText(node: number): string {
  return `Node ${node} was already down`;
}

/** The feed's line when a partition ends. */
export const HEAL_TEXT = 'The network partition healed';

/**
 * A strike as the replay's timeline lists it, with how long it lasts:
 * "crash: node 2 goes down (its disk survives) for up to 20 s".
 */
export function chaosPlanText(kind: ChaosKind, magnitude: number, durationMs: number, hit: ChaosHit): string {
  const d = durationWords(durationMs);
  const node = hit.node ?? 0;
  const name = CHAOS_WORDS[kind].name;
  switch (kind) {
    case 'partition-region':
    case 'partition-random': {
      if (hit.region !== undefined) return `${name}: ${hit.region} cut off from the other regions for ${d}`;
      const cut = typeof hit.cut === 'number' ? hit.cut : (hit.cut?.length ?? 1);
      return `${name}: ${cut} node${cut === 1 ? '' : 's'} cut off from the rest for ${d}`;
    }
    case 'crash':
      return `${name}: node ${node} goes down (its disk survives) for up to ${d}`;
    case 'crash-disk-loss':
      return `${name}: node ${node} goes down and loses its data, for up to ${d}`;
    case 'slow-node':
      return `${name}: node ${node} at ${pct(magnitude)} of its capacity for ${d}`;
    case 'clock-skew':
      return `${name}: node ${node}'s clock ${Math.abs(magnitude)} ms ${magnitude > 0 ? 'ahead' : 'behind'} for ${d}`;
    case 'flood':
      return `${name}: a misbehaving client sends node ${node} ${magnitude} requests per second for ${d}`;
    case 'latency-spike':
      return `${name}: every message ${magnitude} ms slower for ${d}`;
    case 'message-loss':
      return `${name}: ${pct(magnitude)} of messages dropped for ${d}`;
    case 'load-surge':
      return `${name}: ${magnitude.toFixed(1)}× the usual traffic for ${d}`;
    case 'hot-key':
      return `${name}: ${pct(magnitude)} of requests hit ${hit.key ?? 'one key'} for ${d}`;
  }
}

/** A strike set off by a host, as the timeline credits it. */
export function setOffBy(text: string, who: string): string {
  return `${text} (set off by ${who})`;
}

/** A fault in force (by its kind's id) as a short alert over the map; null when it shows none. */
export function faultAlert(kind: string, target: number, magnitude: number, secondsLeft: number): { cls: 'node' | 'net'; text: string } | null {
  const until = secondsLeft > 0 && secondsLeft < 3600 ? ` (${secondsLeft}\u00a0s)` : '';
  switch (kind) {
    case 'slow-node':
      return { cls: 'node', text: `⌛ N${target} slow: ${pct(magnitude)} speed${until}` };
    case 'crash':
    case 'crash-disk-loss':
      return { cls: 'node', text: `✕ N${target} crashed${kind === 'crash-disk-loss' ? ', disk lost' : ''}` };
    case 'latency-spike':
      return { cls: 'net', text: `Latency spike: +${Math.round(magnitude)} ms per message${until}` };
    case 'message-loss':
      return { cls: 'net', text: `Network drops ${pct(magnitude)} of messages${until}` };
    case 'clock-skew':
      return { cls: 'node', text: `N${target}'s clock is off by ${(magnitude / 1000).toFixed(1)} s${until}` };
    case 'load-surge':
      return { cls: 'net', text: `Traffic surge ×${magnitude.toFixed(1)}${until}` };
    case 'hot-key':
      return { cls: 'net', text: `Hot key: ${pct(magnitude)} of requests on one key${until}` };
    case 'flood':
      return { cls: 'node', text: `A client floods N${target}: ${Math.round(magnitude)} req/s${until}` };
    default:
      // A partition has its own alert (partitionAlert), drawn from the map's sides.
      return null;
  }
}

/** The partition's alert: the smaller sides, cut off from the largest. */
export function partitionAlert(cutOff: readonly number[], rest: readonly number[]): string {
  return `✂ Network partition: ${cutOff.map((id) => `N${id}`).join(', ')} cut off from ${rest.map((id) => `N${id}`).join(', ')}`;
}

/** A length of time as the timeline says it: "4.5 s", "20 s", "2 min 5 s". */
export function durationWords(ms: number): string {
  const s = ms / 1000;
  if (s < 10) return `${Math.round(s * 10) / 10} s`;
  if (s < 120) return `${Math.round(s)} s`;
  const m = Math.floor(s / 60);
  const rest = Math.round(s - 60 * m);
  return rest === 0 ? `${m} min` : `${m} min ${rest} s`;
}

// ---------------------------------------------------------------------------------

function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}

/** "node 5 is", "nodes 0 and 4 are", "3 nodes are". */
function cutList(cut: ChaosHit['cut']): string {
  if (typeof cut === 'number' || cut === undefined) {
    const n = cut ?? 1;
    return n === 1 ? '1 node is' : `${n} nodes are`;
  }
  if (cut.length === 1) return `node ${cut[0]} is`;
  return `nodes ${cut.slice(0, -1).join(', ')} and ${cut[cut.length - 1]} are`;
}
