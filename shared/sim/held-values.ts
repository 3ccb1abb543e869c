// The written values a read could still return: every value held anywhere in the simulation
// — a replica's store, a hint, a leader's pending write, a quorum request's versions, a
// message on the wire or in a queue — and every write still in flight. The consistency
// judge forgets the clusters of all other values (consistency.ts, judgeCompact): a value
// held nowhere can never be read again. Missing a place here would make the judge forget a
// value that is still readable; it counts such reads (JudgeState.unknownValues), and the
// tests require that count to be 0.

import type { Message, NodeState, QuorumRequest, SimState, Version } from './state.js';
import { countWork } from './work.js';

/** Marks, by value, of the values held anywhere now (index = value; 1 = held). */
export function heldValues(S: SimState): Uint8Array {
  const held = new Uint8Array(S.nextValue + 1);
  for (const node of S.nodes) {
    markStore(held, node);
    markNodeBesidesStore(held, node);
  }
  markMoving(S, held);
  return held;
}

/** Values on the wire or in a queue, and writes in flight. */
function markMoving(S: SimState, held: Uint8Array): void {
  for (const m of S.events.items) markMessage(held, m);
  for (let i = S.inflightHead; i < S.inflight.length; i++) {
    const op = S.inflight[i];
    if (op !== null && op !== undefined && op.f === 1 && typeof op.value === 'number') held[op.value] = 1;
  }
}

/**
 * Whether a value is held anywhere now, asked value by value (for judgeCompact): the same
 * answers as heldValues, cheaper when the key is known. A value lives in a replica's store
 * only under its own key, so for a known key the replicas' lists for that key are all there
 * is to look at, where heldValues walks every store entry of every node (a big key space
 * is hundreds of thousands each time). Everything but the stores is marked at once; the
 * whole walk is done only if a value of unknown key (key < 0) is asked about. Valid until
 * the simulation moves on.
 */
export function heldLookup(S: SimState): (value: number, key: number) => boolean {
  const moving = new Uint8Array(S.nextValue + 1);
  for (const node of S.nodes) markNodeBesidesStore(moving, node);
  markMoving(S, moving);
  let all: Uint8Array | null = null;
  const nodes = S.nodes;
  return (value, key) => {
    if (moving[value] === 1) return true;
    if (key >= 0) {
      countWork(nodes.length / ENTRIES_PER_UNIT);
      for (let n = 0; n < nodes.length; n++) {
        const list = nodes[n]!.store[key];
        if (list === null || list === undefined) continue;
        for (let i = 0; i < list.length; i++) if (list[i]!.v === value) return true;
      }
      return false;
    }
    if (all === null) {
      all = moving.slice();
      for (const node of nodes) markStore(all, node);
    }
    return all[value] === 1;
  };
}

/** Store entries walked that count as one unit of the closing's work (work.ts): a cheap test each. */
const ENTRIES_PER_UNIT = 256;

function markStore(held: Uint8Array, node: NodeState): void {
  const store = node.store;
  countWork(store.length / ENTRIES_PER_UNIT);
  for (let k = 0; k < store.length; k++) {
    const list = store[k];
    if (list !== null && list !== undefined) markList(held, list);
  }
}

/** A node's hints, pending writes and open requests. */
function markNodeBesidesStore(held: Uint8Array, node: NodeState): void {
  for (const h of node.hints) held[h.ver.v] = 1;
  for (const rep of node.shards) {
    if (rep === null || rep === undefined) continue;
    for (const p of rep.pending) held[p.ver.v] = 1;
  }
  for (const id in node.requests) markRequest(held, node.requests[id]!);
}

function markRequest(held: Uint8Array, req: QuorumRequest): void {
  if (req.ver !== null) held[req.ver.v] = 1;
  for (const list of req.replies) if (list !== null && list !== undefined) markList(held, list);
  if (req.result !== null) markList(held, req.result);
}

function markMessage(held: Uint8Array, m: Message): void {
  if (m.ver !== null) held[m.ver.v] = 1;
  if (m.vers !== null) for (const list of m.vers) if (list !== null && list !== undefined) markList(held, list);
}

function markList(held: Uint8Array, list: readonly Version[]): void {
  for (let i = 0; i < list.length; i++) held[list[i]!.v] = 1;
}
