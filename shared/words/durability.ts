// Lost copies in a player's words: which nodes lost their disks while holding a shard's
// copies, when, and how many confirmed writes went with them.

import { int } from './number.js';

/** What the debrief knows of one shard that lost confirmed writes (shared/sim/durability.ts). */
export interface ShardLossFacts {
  shard: number;
  replicas: readonly number[];
  lost: number;
  wiped: readonly { node: number; t: number }[];
}

/**
 * "Shard 5 kept its copies on nodes 0, 3 and 4. Node 0 lost its disk at 1:55 and node 3 at
 * 1:58, before the shard had its copies back: 85 confirmed writes went with them."
 * `at` writes a round time (m:ss).
 */
export function shardLossText(loss: ShardLossFacts, at: (t: number) => string): string {
  const copies = `Shard ${loss.shard} kept its copies on ${nodeList([...loss.replicas].sort((a, b) => a - b))}.`;
  const writes = loss.lost === 1 ? '1 confirmed write went with them' : `${int(loss.lost)} confirmed writes went with them`;
  if (loss.wiped.length === 0) return `${copies} ${writes.replace(' with them', ' missing')}.`;
  const parts = loss.wiped.map((w, i) => (i === 0 ? `Node ${w.node} lost its disk at ${at(w.t)}` : `node ${w.node} at ${at(w.t)}`));
  const who = parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
  const it = loss.wiped.length === 1 ? writes.replace('with them', 'with it') : writes;
  return `${copies} ${who}, before the shard had its copies back: ${it}.`;
}

/** Several shards: the worst ones in full, then how many more. */
export function shardLossesText(losses: readonly ShardLossFacts[], at: (t: number) => string, max = 2): string {
  const shown = losses.slice(0, max).map((l) => shardLossText(l, at));
  const more = losses.length - shown.length;
  if (more > 0) shown.push(more === 1 ? 'One more shard lost writes the same way.' : `${more} more shards lost writes the same way.`);
  return shown.join(' ');
}

/** "node 4", "nodes 0 and 3", "nodes 0, 3 and 4". */
export function nodeList(ids: readonly number[]): string {
  if (ids.length === 1) return `node ${ids[0]}`;
  return `nodes ${ids.slice(0, -1).join(', ')} and ${ids[ids.length - 1]}`;
}

