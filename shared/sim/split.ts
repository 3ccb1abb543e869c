// What each node did while the cluster was split: the reads it answered (and how many of
// them the judge later found stale), the writes it acknowledged and the requests it turned
// away, during the current partition and the one before. The node panel says it in a
// sentence, so a player sees what their stance did to their node's clients.
//
// These are the simulation's own records (not a node's knowledge): the node does not need
// to know the cluster is split for its actions during the split to be counted.

import { majority } from '../scenarios/settings.js';
import type { OpRecord } from './ops.js';
import type { NodeState, SimState, SplitRecord } from './state.js';

/**
 * The node's record of the current partition, opened or closed as the partition began or
 * ended since the last look (called on every reply and every global tick).
 */
export function syncSplit(S: SimState, node: NodeState): SplitRecord | null {
  const p = S.partition;
  const open = node.split ?? null;
  if (open !== null && (p === null || open.key !== p.until)) {
    open.until = S.now;
    node.lastSplit = open;
    node.split = null;
  }
  if (p === null || node.status === 'removed') return null;
  if (node.split === null || node.split === undefined) {
    let live = 0;
    let side = 0;
    for (const n of S.nodes) {
      if (n.status === 'removed') continue;
      live++;
      if (p.groups[n.id] === p.groups[node.id]) side++;
    }
    node.split = { key: p.until, from: S.now, until: -1, minority: side < majority(live), reads: 0, stale: 0, writes: 0, refused: 0 };
  }
  return node.split;
}

/** A node answered a client during a split: count what it did. */
export function noteReply(S: SimState, node: NodeState, op: OpRecord, ok: boolean): void {
  if (S.partition === null && (node.split ?? null) === null) return;
  const rec = syncSplit(S, node);
  if (rec === null) return;
  if (!ok) rec.refused++;
  else if (op.f === 1) rec.writes++;
  else {
    rec.reads++;
    // Marked so that the judge's verdict, which comes a little later, finds its split.
    op.split = rec.from;
  }
}

/**
 * The judge found a read this node answered stale. It judges a little behind time, so the
 * read may belong to the split that has just ended.
 */
export function noteStale(node: NodeState, op: OpRecord): void {
  if (op.split === undefined) return;
  const cur = node.split ?? null;
  const last = node.lastSplit ?? null;
  if (cur !== null && cur.from === op.split) cur.stale++;
  else if (last !== null && last.from === op.split) last.stale++;
}
