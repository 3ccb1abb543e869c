// Which disk losses took confirmed writes with them. For every shard that lost acknowledged
// writes: the nodes that lost their disks while holding a copy of it, and whether they were
// most of its copies. With majority replication a confirmed write is on most copies, so it
// can only vanish when most copies are wiped before the shard is copied again: then the
// lesson is the number of copies and how fast a lost one is rebuilt, not the protocol.

import { majority } from '../scenarios/settings.js';
import { lostWrites } from './engine.js';
import type { SimState } from './state.js';

export interface ShardLoss {
  shard: number;
  /** The shard's replicas at the end of the round. */
  replicas: number[];
  /** Confirmed writes to the shard's keys missing from the healed cluster. */
  lost: number;
  /** Its replicas' disk losses while they held a copy of it, in time order. */
  wiped: { node: number; t: number }[];
  /** Most of its replicas lost a disk while holding a copy. */
  majority: boolean;
}

/** Shards with lost confirmed writes, most lost first (valid once the round is finished). */
export function shardLosses(S: SimState): ShardLoss[] {
  if (!S.finished) return [];
  const byKey = lostWrites(S).byKey;
  const lost = new Array<number>(S.shards.length).fill(0);
  byKey.forEach((n, key) => {
    const s = S.keyShard[key];
    if (n > 0 && s !== undefined && s < lost.length) lost[s]! += n;
  });
  const out: ShardLoss[] = [];
  lost.forEach((n, shard) => {
    if (n === 0) return;
    const replicas = S.shards[shard]!.replicas.slice();
    const { wiped, most } = lastEpisode(S, shard, replicas);
    out.push({ shard, replicas, lost: n, wiped, majority: most });
  });
  return out.sort((a, b) => b.lost - a.lost || a.shard - b.shard);
}

/**
 * The disk losses that matter to a shard: those of its latest stretch short of copies (from
 * a loss until every node wiped in it has had the shard back), preferring the latest stretch
 * in which most of its replicas were wiped. Earlier losses that were repaired took nothing.
 */
function lastEpisode(S: SimState, shard: number, replicas: readonly number[]): { wiped: ShardLoss['wiped']; most: boolean } {
  const need = majority(replicas.length);
  let episode: ShardLoss['wiped'] = [];
  let openUntil = -1;
  let worst: ShardLoss['wiped'] | null = null;
  for (const d of S.diskLossLog ?? []) {
    const at = d.shards.indexOf(shard);
    // A rebalance renumbers shards: only losses of nodes still among its replicas count.
    if (at < 0 || !replicas.includes(d.node)) continue;
    if (d.t > openUntil) episode = [];
    episode = [...episode, { node: d.node, t: d.t }];
    const back = d.back[at]!;
    openUntil = back < 0 ? Infinity : Math.max(openUntil, back);
    if (new Set(episode.map((w) => w.node)).size >= need) worst = episode;
  }
  return worst !== null ? { wiped: worst, most: true } : { wiped: episode, most: false };
}
