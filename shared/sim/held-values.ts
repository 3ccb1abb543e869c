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
  for (const node of S.nodes) markNode(held, node);
  for (const m of S.events.items) markMessage(held, m);
  for (let i = S.inflightHead; i < S.inflight.length; i++) {
    const op = S.inflight[i];
    if (op !== null && op !== undefined && op.f === 1 && typeof op.value === 'number') held[op.value] = 1;
  }
  return held;
}

/** Store entries walked that count as one unit of the closing's work (work.ts): a cheap test each. */
const ENTRIES_PER_UNIT = 256;

function markNode(held: Uint8Array, node: NodeState): void {
  const store = node.store;
  countWork(store.length / ENTRIES_PER_UNIT);
  for (let k = 0; k < store.length; k++) {
    const list = store[k];
    if (list !== null && list !== undefined) markList(held, list);
  }
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
