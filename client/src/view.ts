// What the client draws: the round view (shared/view/round.ts), a plain copy of the room's
// state made once per frame by toView (shared/view/view-of.ts roundViewOf). Screens and the
// map read only this, never the Colyseus schema, so they can be tested (and screenshotted)
// with a state built by hand.

import type { ClusterSettings } from '../../shared/scenarios/settings.js';
import type { NodeV } from '../../shared/view/round.js';

export type {
  DebriefJson, FaultV, FeedV, MeasuresV, NetworkV, NodeStatus, NodeV, Phase, PlayerV, RoundView, VoteV, WindowV,
} from '../../shared/view/round.js';
export { roundViewOf as toView } from '../../shared/view/view-of.js';

/** A node's status as one word a student reads: up, down, slow, recovering, removed. */
export function statusWord(n: NodeV): 'up' | 'down' | 'slow' | 'recovering' | 'removed' {
  if (n.status === 'up' && n.slow) return 'slow';
  return n.status;
}

/** The node's role in words: "leader of 2 shards", "follower", "replica" (leaderless). */
export function roleWords(n: NodeV, settings: ClusterSettings): string {
  if (n.status === 'removed') return 'out of the cluster';
  if (settings.replication === 'leaderless') return n.replicaOf > 0 ? `replica of ${n.replicaOf} shard${n.replicaOf === 1 ? '' : 's'}` : 'no shards';
  if (n.leaderOf > 0) return `leader of ${n.leaderOf} shard${n.leaderOf === 1 ? '' : 's'}`;
  return n.replicaOf > 0 ? 'follower' : 'no shards';
}

/** Who runs the node, for labels: "Ada", "Bot 3", "Ada (a bot stands in)", "empty seat". */
export function ownerWords(n: NodeV): string {
  if (n.owner === '') return 'empty seat';
  if (n.botControlled && !/^bot\b/i.test(n.owner)) return `${n.owner} (a bot stands in)`;
  return n.owner;
}
