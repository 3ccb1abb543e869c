// The network and the nodes' service queues: how a message travels (latency, jitter, loss,
// partitions) and how a node spends its capacity. Every protocol module sends through here.

import { push } from './heap.js';
import { reuseMessage, takeSpare } from './reuse.js';
import { random } from './rng.js';
import { noteReply } from './split.js';
import { FAIL_UNREACHABLE, type OpRecord } from './ops.js';
import type { Message, NodeState, SimState, Version } from './state.js';
import type { Scenario } from '../scenarios/types.js';

// Event kinds.
export const EV_ARRIVAL = 1;
export const EV_DELIVER = 2;
export const EV_HANDLE = 3;
export const EV_CLIENT_REPLY = 4;
export const EV_NODE_TICK = 5;
export const EV_GLOBAL_TICK = 6;
export const EV_CHAOS = 7;
export const EV_FLOOD = 8;

/** A client's reply travels as an event whose `a` is the op id; `node` carries the outcome. */
export const REPLY_OK = 0;
export const REPLY_FAIL = 1;
export const REPLY_INFO = 2;

/** Schedule a timer event (arrivals, ticks, chaos). */
export function schedule(S: SimState, t: number, k: number, node: number, a: number): void {
  const e = message(0, -1);
  e.t = t;
  e.k = k;
  e.node = node;
  e.inc = node >= 0 && node < S.nodes.length ? S.nodes[node]!.incarnation : 0;
  e.a = a;
  push(S.events, e);
}

export function message(m: number, from: number): Message {
  const spare = takeSpare();
  if (spare !== undefined) return reuseMessage(spare, m, from);
  return {
    t: 0, q: 0, k: 0, node: -1, inc: 0, a: 0,
    m, from, shard: -1, epoch: 0, key: -1, op: -1, seq: 0, ver: null, vers: null, keys: null, req: 0, ok: true,
  };
}

/** Can node a talk to node b under the current partition? */
export function connected(S: SimState, a: number, b: number): boolean {
  const p = S.partition;
  return p === null || p.groups[a] === p.groups[b];
}

/** Can clients in a region reach a node? They stand beside their region's nodes. */
export function clientReaches(S: SimState, region: number, node: number): boolean {
  const p = S.partition;
  if (p === null) return true;
  const g = p.groups[node];
  let regionHasNodes = false;
  for (const n of S.nodes) {
    if (n.region !== region || n.status === 'removed') continue;
    regionHasNodes = true;
    if (p.groups[n.id] === g) return true;
  }
  return !regionHasNodes;
}

/** One-way delay between two regions, with jitter and any latency spike. */
export function linkDelay(S: SimState, sc: Scenario, ra: number, rb: number): number {
  const topo = sc.topology;
  const r = S.rng.cluster;
  let base: number;
  if (ra === rb) base = topo.intraRegionMs[0] + (topo.intraRegionMs[1] - topo.intraRegionMs[0]) * random(r);
  else base = topo.crossRegionMs[ra]![rb]!;
  return base + topo.jitterMs * random(r) + spikeMs(S);
}

function spikeMs(S: SimState): number {
  let extra = 0;
  for (const f of S.faults) if (f.kind === 'latency-spike') extra += f.magnitude;
  return extra;
}

export function lossProbability(S: SimState, sc: Scenario): number {
  let p = sc.topology.loss;
  for (const f of S.faults) if (f.kind === 'message-loss') p += f.magnitude;
  return p > 0.9 ? 0.9 : p;
}

/** Send a message between nodes. Lost or partitioned messages simply never arrive. */
export function send(S: SimState, sc: Scenario, to: number, msg: Message): void {
  S.counters.messagesSent++;
  const from = S.nodes[msg.from]!;
  const dst = S.nodes[to]!;
  if (!connected(S, msg.from, to)) return;
  const loss = lossProbability(S, sc);
  if (loss > 0 && random(S.rng.cluster) < loss) {
    S.counters.messagesLost++;
    return;
  }
  const delay = from.id === to ? 0.05 : linkDelay(S, sc, from.region, dst.region);
  // Links are FIFO (like TCP): jitter never lets a later message overtake an earlier one.
  const link = msg.from * 16 + to;
  let t = S.now + delay;
  const last = S.linkClock[link]!;
  if (t <= last) t = last + 0.001;
  S.linkClock[link] = t;
  // Delivery is not tied to an incarnation: the network does not know the node restarted.
  msg.t = t;
  msg.k = EV_DELIVER;
  msg.node = to;
  msg.inc = -1;
  push(S.events, msg);
}

/** A client's request on its way to a node. Returns false when it cannot get there. */
export function sendFromClient(S: SimState, sc: Scenario, region: number, to: number, msg: Message): boolean {
  const dst = S.nodes[to]!;
  if (!clientReaches(S, region, to)) return false;
  const loss = lossProbability(S, sc);
  if (loss > 0 && random(S.rng.cluster) < loss) {
    S.counters.messagesLost++;
    return true;
  }
  msg.t = S.now + linkDelay(S, sc, region, dst.region);
  msg.k = EV_DELIVER;
  msg.node = to;
  msg.inc = -1;
  push(S.events, msg);
  return true;
}

/**
 * A node answers a client. The reply may be lost or cut off; then the client times out.
 * A refusal names its `cause` (ops.ts FAIL_*), which stays the reason the request failed
 * even if the refusal itself never reaches the client.
 */
export function replyToClient(S: SimState, sc: Scenario, fromNode: number, opId: number, outcome: number, value: Version[] | null, cause?: number): void {
  const op = opById(S, opId);
  if (op === null) return; // already timed out
  if (cause !== undefined) op.cause = cause;
  const node = S.nodes[fromNode]!;
  noteReply(S, node, op, outcome === REPLY_OK);
  if (!clientReaches(S, op.region, fromNode)) {
    // A partition stands between the node and its client: the answer cannot get there.
    if (op.cause === undefined) op.cause = FAIL_UNREACHABLE;
    return;
  }
  const loss = lossProbability(S, sc);
  if (loss > 0 && random(S.rng.cluster) < loss) {
    S.counters.messagesLost++;
    return;
  }
  const msg = message(0, fromNode);
  msg.ver = null;
  msg.vers = value === null ? null : [value];
  msg.t = S.now + linkDelay(S, sc, node.region, op.region);
  msg.k = EV_CLIENT_REPLY;
  msg.node = outcome;
  msg.a = opId;
  push(S.events, msg);
}

/** An operation still in flight, or null once it finished (or timed out). */
export function opById(S: SimState, id: number): OpRecord | null {
  const i = id - S.inflightBase;
  return i >= 0 ? (S.inflight[i] ?? null) : null;
}

/** Service time of one unit of work on a node, in ms. */
export function serviceMs(sc: Scenario, node: NodeState): number {
  return 1000 / (sc.topology.nodeCapacity * node.size * node.slow);
}

/** Most work a node queues before it refuses new client requests (about half a second's worth). */
export function queueLimit(sc: Scenario, node: NodeState): number {
  return Math.max(8, Math.floor(sc.topology.nodeCapacity * node.size * node.slow * 0.5));
}

/** Queue work on a node: it is handled when the node has served everything before it. */
export function enqueue(S: SimState, sc: Scenario, node: NodeState, msg: Message, units: number): void {
  const start = node.busyUntil > S.now ? node.busyUntil : S.now;
  node.busyUntil = start + serviceMs(sc, node) * units;
  node.queue++;
  // The delivered message goes back on the queue as its own service event.
  msg.t = node.busyUntil;
  msg.k = EV_HANDLE;
  msg.node = node.id;
  msg.inc = node.incarnation;
  push(S.events, msg);
}

/** The node's own clock reading. */
export function clock(S: SimState, node: NodeState): number {
  return S.now + node.clockOffset;
}

export function feed(S: SimState, kind: string, text: string, node = -1): void {
  S.feed.push({ t: S.now, kind, text, node });
  if (S.feed.length > 60) S.feed.splice(0, S.feed.length - 60);
}
