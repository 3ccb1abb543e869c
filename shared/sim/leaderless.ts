// Leaderless (active-active, Dynamo-style) replication.
//
// The node a client reaches coordinates: if it is not one of the key's N replicas it hands
// the request to the first replica it believes healthy. A write goes to all N replicas and
// is acknowledged after W of them hold it; a read asks all N and answers from the first R.
// With read repair, a read whose replicas disagree writes the newest version back — and
// waits until W replicas hold it before answering, so two reads can never see a new value
// and then an old one (that is what makes R + W > N reads linearizable in a fault-free run).
// With hinted handoff (sloppy quorum), a write that cannot reach W replicas lands on other
// nodes that keep it as a hint and pass it on later. Anti-entropy periodically reconciles
// replicas pairwise.
// Version vectors count writes per actor. A node that lost its disk has forgotten how far
// it had counted, so it comes back as a new actor (as a replica with a fresh id would):
// restarted counters must never collide with, or be dominated by, the ones it issued before.

import { levelCount, majority } from '../scenarios/settings.js';
import { clock, opById, message, replyToClient, send, REPLY_FAIL, REPLY_INFO, REPLY_OK } from './net.js';
import { FAIL_QUORUM, FAIL_UNREACHABLE } from './ops.js';
import { compareVectors, mergeVersions, MERGE_CHANGED, MERGE_CONFLICT } from './versions.js';
import { randomInt } from './rng.js';
import { reuseMessage } from './reuse.js';
import type { Message, NodeState, QuorumRequest, ShardPlacement, SimState, SimVersion, Version } from './state.js';
import type { Scenario } from '../scenarios/types.js';
import { countWork } from './work.js';

/** Node ids are below this: actor index = node id + ACTOR_STRIDE · disk losses. */
const ACTOR_STRIDE = 16;

/** A node lost its disk: its next version-vector entries belong to a new actor. */
export function llDiskLost(node: NodeState): void {
  node.diskLosses = (node.diskLosses ?? 0) + 1;
}

function actorOf(node: NodeState): number {
  return node.id + ACTOR_STRIDE * (node.diskLosses ?? 0);
}

export const LL_PUT = 30;
export const LL_PUT_ACK = 31;
export const LL_GET = 32;
export const LL_GET_REP = 33;
export const LL_HINT_PUT = 34;
export const LL_AE = 35;
export const LL_AE_REP = 36;
export const LL_FWD = 37;

export function llCostly(m: number): boolean {
  return m === LL_PUT || m === LL_GET || m === LL_HINT_PUT || m === LL_AE || m === LL_AE_REP;
}

/** How much service an anti-entropy exchange costs: proportional to the keys compared. */
export function llUnits(msg: Message): number {
  if (msg.m === LL_AE || msg.m === LL_AE_REP) return 1 + Math.floor((msg.keys?.length ?? 0) / 200);
  return 1;
}

const scratch: { list: Version[] | null } = { list: null };

/** Where a client request arriving at `node` is served: -1 here, else a replica (-2 none). */
export function llRoute(S: SimState, node: NodeState, key: number): number {
  const replicas = S.shards[S.keyShard[key]!]!.replicas;
  if (replicas.includes(node.id)) return -1;
  return nearestReplica(S, node, replicas);
}

/**
 * The healthy replica a node that holds no copy hands a request to: one its operator has not
 * taken out of service (drained), in its own region when there is one (any replica may
 * coordinate, and a nearby one answers sooner); -2 when none is healthy.
 */
function nearestReplica(S: SimState, node: NodeState, replicas: readonly number[]): number {
  // Best first: answering this node, in service (not drained by its operator) and nearby;
  // then in service; then any. A replica that has left this node's questions unanswered
  // (cut off, or gone) comes last: a request handed to it would only wait for its timeout.
  let best = -2;
  let bestRank = 8;
  for (const r of replicas) {
    if (!S.lb.healthy[r]) continue;
    const n = S.nodes[r]!;
    const rank = (silent(S, node, r) ? 4 : 0) + (n.drained ? 2 : 0) + (n.region === node.region ? 0 : 1);
    if (rank < bestRank) {
      best = r;
      bestRank = rank;
    }
  }
  return best;
}

/** A client request reached `node` (after service). */
export function llClientRequest(S: SimState, sc: Scenario, node: NodeState, msg: Message): void {
  const op = opById(S, msg.op);
  if (op === null) return;
  const s = S.keyShard[op.key]!;
  const replicas = S.shards[s]!.replicas;
  if (!replicas.includes(node.id)) {
    const target = nearestReplica(S, node, replicas);
    if (target < 0 || msg.seq >= 2) {
      // No replica of the key looks alive (or the request went round in circles).
      replyToClient(S, sc, node.id, op.id, REPLY_FAIL, null, FAIL_UNREACHABLE);
      return;
    }
    const m = message(LL_FWD, node.id);
    m.op = msg.op;
    m.seq = msg.seq + 1;
    send(S, sc, target, m);
    return;
  }
  const set = S.settings;
  const n = replicas.length;
  const need = levelCount(op.f === 1 ? set.writeQuorum : set.readQuorum, n);
  let healthy = 0;
  let inTouch = 0;
  for (const r of replicas) {
    if (r === node.id || S.lb.healthy[r]) healthy++;
    if (r === node.id || (S.lb.healthy[r] && !silent(S, node, r))) inTouch++;
  }
  // A node whose stance is to refuse will not answer alone: when fewer than a majority of
  // the key's replicas answer it (as far as it can tell), it refuses even at level ONE.
  if (node.stance === 'refuse' && ((healthy < need && !set.hintedHandoff) || inTouch < majority(n))) {
    // Refuse up front: too few replicas look alive to make a quorum, and nothing is applied.
    S.counters.refusedNoQuorum++;
    node.refused++;
    replyToClient(S, sc, node.id, op.id, REPLY_FAIL, null, FAIL_QUORUM);
    return;
  }
  const req: QuorumRequest = {
    id: ++S.nextRequest,
    op: op.id,
    key: op.key,
    f: op.f,
    ver: null,
    acks: [node.id],
    replies: [],
    need,
    // Placement replaces replica lists, never changes one: the shard's own list can be kept.
    replicas,
    started: S.now,
    stage: 0,
    holders: [],
    result: null,
  };
  // A write's one-version list: stored here and carried to every replica (lists are never mutated).
  let written: Version[] | null = null;
  if (op.f === 1) {
    req.ver = stamp(S, node, op.key, op.value as number);
    written = [req.ver];
    applyVersions(S, node, op.key, written);
  } else {
    req.replies[node.id] = node.store[op.key] ?? null;
  }
  for (const r of replicas) {
    if (r === node.id) continue;
    expectAnswer(S, node, r);
    const m = message(op.f === 1 ? LL_PUT : LL_GET, node.id);
    m.key = op.key;
    m.req = req.id;
    if (written !== null) m.vers = [written];
    send(S, sc, r, m);
  }
  progress(S, sc, node, req);
  // Only now is it entered among the node's open requests (nothing looked it up before): a
  // request that finished at once (a write at level ONE) and is not kept is never entered.
  if (req.stage !== 3 || keptWhenDone(S, req)) addRequest(node, req);
}

/** Protocol messages (costly ones after service). */
export function llMessage(S: SimState, sc: Scenario, node: NodeState, msg: Message): void {
  // Any word from a peer shows it is within reach.
  if (msg.from >= 0 && node.awaiting !== undefined) node.awaiting[msg.from] = -1;
  switch (msg.m) {
    case LL_PUT: {
      // The acknowledgement is this message itself, turned round once it has been read
      // (reuse.ts): the versions it carried are stored as their own list, not the message.
      const { key, req, from } = msg;
      applyVersions(S, node, key, msg.vers![0]!);
      if (req > 0) {
        const ack = reuseMessage(msg, LL_PUT_ACK, node.id);
        ack.key = key;
        ack.req = req;
        send(S, sc, from, ack);
      }
      return;
    }
    case LL_HINT_PUT: {
      // A stand-in replica keeps the write for its intended owner (msg.seq).
      const { key, req, from } = msg;
      node.hints.push({ target: msg.seq, key, ver: msg.vers![0]![0]! });
      S.counters.hintsStored++;
      const ack = reuseMessage(msg, LL_PUT_ACK, node.id);
      ack.key = key;
      ack.req = req;
      send(S, sc, from, ack);
      return;
    }
    case LL_PUT_ACK: {
      const req = node.requests[msg.req];
      if (req === undefined) return;
      if (req.stage === 2) {
        if (!req.holders.includes(msg.from)) req.holders.push(msg.from);
      } else if (!req.acks.includes(msg.from)) req.acks.push(msg.from);
      progress(S, sc, node, req);
      return;
    }
    case LL_GET: {
      // Answered with the message itself, as LL_PUT is.
      const { key, req, from } = msg;
      const rep = reuseMessage(msg, LL_GET_REP, node.id);
      rep.key = key;
      rep.req = req;
      rep.vers = [node.store[key] ?? null];
      send(S, sc, from, rep);
      return;
    }
    case LL_GET_REP: {
      const req = node.requests[msg.req];
      const held = msg.vers![0] ?? null;
      if (req === undefined || req.stage === 3) {
        lateRepair(S, sc, node, msg.from, msg.key, held, req);
        return;
      }
      if (req.stage === 2) {
        // A reply after the read quorum, while the result is being written back: it counts
        // toward the write-back once it holds the result, so bring it up to date too.
        if (holdsAll(held, req.result!)) {
          if (!req.holders.includes(msg.from)) req.holders.push(msg.from);
        } else repair(S, sc, node, msg.from, msg.key, req.result!, req.id);
        progress(S, sc, node, req);
        return;
      }
      if (!req.acks.includes(msg.from)) req.acks.push(msg.from);
      req.replies[msg.from] = held;
      progress(S, sc, node, req);
      return;
    }
    case LL_AE:
    case LL_AE_REP: {
      const mine = aeStart(msg);
      aeApply(S, node, msg, 0, msg.keys!.length, mine);
      aeEnd(S, sc, node, msg, mine);
      return;
    }
  }
}

/** Keys walked to build an anti-entropy exchange that count as one unit of the closing's work (a cheap test each). */
const AE_KEYS_WALKED_PER_UNIT = 128;
/** Keys walked per piece of antiEntropySteps (nothing changes until the exchange is sent). */
const AE_KEYS_WALKED_PER_PIECE = 8_192;
/** Keys of an anti-entropy exchange applied per piece by llMessageSteps: a few ms of merging. */
const AE_KEYS_PER_PIECE = 1_000;

/**
 * llMessage in pieces, for the closing: an anti-entropy exchange carries every key two
 * replicas share (tens of thousands on a big key space, tens of ms to merge), so its keys
 * are applied AE_KEYS_PER_PIECE at a time, yielding between pieces. The same merges in the
 * same order, so the same result as llMessage, provided nothing touches the simulation
 * between pieces (nothing does while a round closes).
 */
export function* llMessageSteps(S: SimState, sc: Scenario, node: NodeState, msg: Message): Generator<void, void, void> {
  if ((msg.m !== LL_AE && msg.m !== LL_AE_REP) || msg.keys!.length <= AE_KEYS_PER_PIECE) {
    llMessage(S, sc, node, msg);
    countWork(msg.keys?.length ?? 1);
    return;
  }
  if (msg.from >= 0 && node.awaiting !== undefined) node.awaiting[msg.from] = -1;
  const mine = aeStart(msg);
  const n = msg.keys!.length;
  for (let from = 0; from < n; from += AE_KEYS_PER_PIECE) {
    if (from > 0) yield;
    const to = Math.min(n, from + AE_KEYS_PER_PIECE);
    aeApply(S, node, msg, from, to, mine);
    countWork(to - from);
  }
  aeEnd(S, sc, node, msg, mine);
}

/** An anti-entropy request is answered with this node's copies after the merge (a reply is not answered). */
function aeStart(msg: Message): (Version[] | null)[] | null {
  return msg.m === LL_AE ? new Array(msg.keys!.length) : null;
}

function aeApply(S: SimState, node: NodeState, msg: Message, from: number, to: number, mine: (Version[] | null)[] | null): void {
  const keys = msg.keys!;
  const vers = msg.vers!;
  const store = node.store;
  for (let i = from; i < to; i++) {
    const k = keys[i]!;
    const incoming = vers[i] ?? null;
    const held = store[k] ?? null;
    // Most keys of an exchange are already in step: nothing sent, the very list held, or the
    // same single version (values are unique per write) merge to no change under either rule.
    if (!(incoming === null || incoming === held || (held !== null && held.length === 1 && incoming.length === 1 && held[0]!.v === incoming[0]!.v))) {
      applyVersions(S, node, k, incoming);
    }
    if (mine !== null) mine[i] = store[k] ?? null;
  }
}

function aeEnd(S: SimState, sc: Scenario, node: NodeState, msg: Message, mine: (Version[] | null)[] | null): void {
  if (mine === null) return;
  const back = message(LL_AE_REP, node.id);
  back.keys = msg.keys!;
  back.vers = mine;
  send(S, sc, msg.from, back);
}

/** Periodic work: coordinator deadlines, hint delivery, anti-entropy. */
export function llTick(S: SimState, sc: Scenario, node: NodeState): void {
  const timeout = quorumTimeout(sc);
  const open = openRequests(node);
  for (let i = 0; i < open.length; ) {
    const req = open[i]!;
    if (S.now - req.started >= timeout) deadline(S, sc, node, req);
    // A request the deadline closed has left the list: the next one is now at i.
    if (open[i] === req) i++;
  }
  if (node.hints.length > 0) deliverHints(S, sc, node);
  const ae = S.settings.antiEntropyMs;
  if (ae > 0 && S.now >= node.nextAntiEntropy) {
    node.nextAntiEntropy = nextAntiEntropy(S, node, ae);
    antiEntropy(S, sc, node, -1);
  }
}

/**
 * When a node's periodic anti-entropy first falls due. Under rules 1 (state.ts SimVersion)
 * every node's fell due at the same moment, and so did each later one: the whole cluster's
 * exchanges went out in one tick. Since rules 2 each node has a phase of its own within the
 * period (a real cluster's timers start at different moments and are jittered), so the
 * exchanges spread over it.
 */
export function firstAntiEntropy(version: SimVersion, id: number, every: number): number {
  return version === 1 ? every : every + antiEntropyPhase(id, every);
}

/** After an exchange at S.now: one period on (rules 1), or the node's next phase after now. */
function nextAntiEntropy(S: SimState, node: NodeState, every: number): number {
  if (S.version === 1) return S.now + every;
  // Since the node's last phase point (at or before now): a period changed in play, or a
  // node added mid-round, falls back into step with the node's phase from here on.
  const since = (((S.now - antiEntropyPhase(node.id, every)) % every) + every) % every;
  return S.now - since + every;
}

/** A node's offset within the period: sixteenths, in an order that spreads neighbouring ids apart. */
function antiEntropyPhase(id: number, every: number): number {
  return Math.floor((every * ((id * 7) % 16)) / 16);
}

/** Reconcile this node's shards with a peer now (or with every peer when `peer` is -2). */
export function antiEntropy(S: SimState, sc: Scenario, node: NodeState, peer: number): void {
  const steps = antiEntropySteps(S, sc, node, peer);
  while (steps.next().done !== true);
}

/**
 * antiEntropy, yielding after each peer's exchange is sent and during each walk of the key
 * space (the closing reconciles a node with every peer: one walk per peer).
 */
export function* antiEntropySteps(S: SimState, sc: Scenario, node: NodeState, peer: number): Generator<void, void, void> {
  const peers: number[] = [];
  for (const pl of S.shards) {
    if (!pl.replicas.includes(node.id)) continue;
    for (const r of pl.replicas) if (r !== node.id && !peers.includes(r)) peers.push(r);
  }
  if (peers.length === 0) return;
  const targets = peer === -2 ? peers : [peers[randomInt(S.rng.cluster, peers.length)]!];
  for (let i = 0; i < targets.length; i++) {
    if (i > 0) yield;
    const p = targets[i]!;
    countWork(S.keyShard.length / AE_KEYS_WALKED_PER_UNIT);
    const keys = sharedKeys(S, node.id, p);
    // Sized once and filled by index: pushing thousands of entries copied the growing
    // array again and again.
    const vers: (Version[] | null)[] = new Array(keys.length);
    const store = node.store;
    for (let from = 0; from < keys.length; from += AE_KEYS_WALKED_PER_PIECE) {
      if (from > 0) yield;
      const to = Math.min(keys.length, from + AE_KEYS_WALKED_PER_PIECE);
      for (let i = from; i < to; i++) vers[i] = store[keys[i]!] ?? null;
    }
    expectAnswer(S, node, p);
    const m = message(LL_AE, node.id);
    m.keys = keys;
    m.vers = vers;
    S.counters.antiEntropyRounds++;
    S.counters.bytesMoved += keys.length * 32;
    send(S, sc, p, m);
  }
}

/**
 * The keys two replicas share (ascending), per pair, for the placement they were computed
 * from. A runtime cache, not simulation state: S.keyShard and S.shards are replaced
 * together whenever placement changes (and a restored state has arrays of its own), so an
 * entry keyed by them is never used with another placement; a missing one is rebuilt.
 * The lists are shared by the messages that carry them and never mutated.
 */
const sharedKeyCache = new WeakMap<number[], { shards: ShardPlacement[]; byPair: Map<number, number[]> }>();

function sharedKeys(S: SimState, a: number, b: number): number[] {
  let c = sharedKeyCache.get(S.keyShard);
  if (c === undefined || c.shards !== S.shards) {
    c = { shards: S.shards, byPair: new Map() };
    sharedKeyCache.set(S.keyShard, c);
  }
  const pair = a < b ? a * ACTOR_STRIDE + b : b * ACTOR_STRIDE + a;
  let keys = c.byPair.get(pair);
  if (keys === undefined) {
    const both = new Uint8Array(S.shards.length);
    for (let s = 0; s < S.shards.length; s++) {
      const reps = S.shards[s]!.replicas;
      if (reps.includes(a) && reps.includes(b)) both[s] = 1;
    }
    keys = [];
    const keyShard = S.keyShard;
    for (let k = 0; k < keyShard.length; k++) if (both[keyShard[k]!] === 1) keys.push(k);
    c.byPair.set(pair, keys);
  }
  return keys;
}

// ---------------------------------------------------------------------------------------

/** This node asked `peer` something that peer answers: start waiting, unless already waiting. */
function expectAnswer(S: SimState, node: NodeState, peer: number): void {
  if (node.awaiting === undefined) node.awaiting = [];
  const w = node.awaiting[peer];
  if (w === undefined || w < 0) node.awaiting[peer] = S.now;
}

/** A peer that has left this node's questions unanswered for a failover timeout. */
function silent(S: SimState, node: NodeState, peer: number): boolean {
  const w = node.awaiting?.[peer];
  return w !== undefined && w >= 0 && S.now - w > S.settings.failoverTimeoutMs;
}

/**
 * A node's open requests in id order (the order a for…in over node.requests visits them),
 * so that its tick scans an array instead of enumerating an object whose keys come and go.
 * A runtime index, not simulation state: keyed by the node.requests object itself, it is
 * rebuilt from that object when the object is new (a restart empties it, a restored state
 * has its own); every change to the object goes through addRequest / dropRequest.
 */
const openIndex = new WeakMap<Record<string, QuorumRequest>, QuorumRequest[]>();

function openRequests(node: NodeState): QuorumRequest[] {
  let open = openIndex.get(node.requests);
  if (open === undefined) {
    open = [];
    for (const id in node.requests) open.push(node.requests[id]!);
    openIndex.set(node.requests, open);
  }
  return open;
}

/** Open a request (request ids only grow, so appending keeps the index in id order). */
function addRequest(node: NodeState, req: QuorumRequest): void {
  const open = openRequests(node);
  node.requests[req.id] = req;
  open.push(req);
}

/** Close a request (one never entered, as addRequest's callers allow, is left alone). */
function dropRequest(node: NodeState, req: QuorumRequest): void {
  const open = openIndex.get(node.requests);
  if (open !== undefined) {
    // The index holds exactly the object's requests: one it lacks is not in the object.
    const i = open.indexOf(req);
    if (i < 0) return;
    open.splice(i, 1);
  }
  delete node.requests[req.id];
}

/** A node restarted: it forgets whom it was waiting for. */
export function llForgetPeers(node: NodeState): void {
  if (node.awaiting !== undefined) node.awaiting.fill(-1);
}

function quorumTimeout(sc: Scenario): number {
  return Math.max(100, sc.workload.timeoutMs * 0.4);
}

/** The version a coordinator writes: its clock for last-write-wins, its vector entry bumped. */
function stamp(S: SimState, node: NodeState, key: number, value: number): Version {
  // The vector: the entry-wise maximum of the held versions' vectors, at least long enough
  // for this node's actor, with that actor's entry bumped. Built in one array.
  const held = node.store[key];
  const actor = actorOf(node);
  let len = actor + 1;
  if (held !== null && held !== undefined) for (const v of held) if (v.vv !== null && v.vv.length > len) len = v.vv.length;
  const vv: number[] = new Array(len);
  for (let i = 0; i < len; i++) vv[i] = 0;
  if (held !== null && held !== undefined) {
    for (const v of held) {
      const w = v.vv;
      if (w === null) continue;
      for (let i = 0; i < w.length; i++) if (w[i]! > vv[i]!) vv[i] = w[i]!;
    }
  }
  vv[actor] = vv[actor]! + 1;
  // Remembered until the client's outcome is known: acknowledged ones decide lost writes.
  if (S.settings.conflictResolution === 'version-vectors') S.ackedVectors[value] = [key, ...vv];
  return { v: value, ts: clock(S, node), n: node.id, ep: 0, sq: 0, vv };
}

function applyVersions(S: SimState, node: NodeState, key: number, incoming: Version[] | null): void {
  const useVectors = S.settings.conflictResolution === 'version-vectors';
  const r = mergeVersions(node.store[key] ?? null, incoming, useVectors, scratch);
  if ((r & MERGE_CHANGED) === 0) return;
  node.store[key] = scratch.list;
  if ((r & MERGE_CONFLICT) !== 0) {
    S.counters.conflicts++;
    if (useVectors) S.counters.siblingsCreated++;
    else S.counters.lwwOverwrites++;
  }
}

/** Move a request forward as replies arrive. */
function progress(S: SimState, sc: Scenario, node: NodeState, req: QuorumRequest): void {
  if (req.stage === 3) return;
  if (req.stage === 2) {
    if (req.holders.length >= levelCount(S.settings.writeQuorum, req.replicas.length)) finishRead(S, sc, node, req);
    return;
  }
  if (req.acks.length < req.need) return;
  if (req.f === 1) {
    complete(S, node, req);
    replyToClient(S, sc, node.id, req.op, REPLY_OK, null);
    return;
  }
  resolveRead(S, sc, node, req);
}

function resolveRead(S: SimState, sc: Scenario, node: NodeState, req: QuorumRequest): void {
  const useVectors = S.settings.conflictResolution === 'version-vectors';
  let merged: Version[] | null = null;
  for (const r of req.acks) {
    mergeVersions(merged, req.replies[r] ?? null, useVectors, scratch);
    merged = scratch.list;
  }
  req.result = merged;
  if (!S.settings.readRepair || merged === null) {
    finishRead(S, sc, node, req);
    return;
  }
  // Read repair: bring every replica that answered with something older up to date, and do
  // not answer until enough replicas hold the result that any later quorum read sees it.
  req.holders = [];
  for (const r of req.acks) {
    if (!holdsAll(req.replies[r] ?? null, merged)) repair(S, sc, node, r, req.key, merged, req.id);
    // The coordinator repairs its own copy at once, so it holds the result (or newer) now;
    // the others count once they acknowledge the repair.
    if (r === node.id || holdsAll(req.replies[r] ?? null, merged)) req.holders.push(r);
  }
  if (!req.holders.includes(node.id)) {
    applyVersions(S, node, req.key, merged);
    req.holders.push(node.id);
  }
  req.stage = 2;
  if (req.holders.length >= levelCount(S.settings.writeQuorum, req.replicas.length)) finishRead(S, sc, node, req);
}

function finishRead(S: SimState, sc: Scenario, node: NodeState, req: QuorumRequest): void {
  complete(S, node, req);
  replyToClient(S, sc, node.id, req.op, REPLY_OK, req.result);
}

function complete(S: SimState, node: NodeState, req: QuorumRequest): void {
  req.stage = 3;
  if (!keptWhenDone(S, req)) dropRequest(node, req);
}

/** Keep a finished read a little longer so late replies can still be repaired. */
function keptWhenDone(S: SimState, req: QuorumRequest): boolean {
  return req.f === 0 && S.settings.readRepair;
}

function repair(S: SimState, sc: Scenario, node: NodeState, to: number, key: number, vers: Version[], reqId: number): void {
  S.counters.readRepairs++;
  if (to === node.id) {
    applyVersions(S, node, key, vers);
    return;
  }
  if (reqId > 0) expectAnswer(S, node, to);
  const m = message(LL_PUT, node.id);
  m.key = key;
  m.req = reqId;
  m.vers = [vers];
  send(S, sc, to, m);
}

function lateRepair(S: SimState, sc: Scenario, node: NodeState, from: number, key: number, held: Version[] | null, req: QuorumRequest | undefined): void {
  if (req === undefined || req.result === null || !S.settings.readRepair) return;
  if (!holdsAll(held, req.result)) repair(S, sc, node, from, key, req.result, 0);
}

/** Does a replica's list already contain every version of `want`? */
function holdsAll(held: Version[] | null, want: Version[]): boolean {
  if (held === null) return false;
  for (const w of want) {
    let found = false;
    for (const h of held) {
      if (h.v === w.v) {
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return true;
}

/** The coordinator's deadline passed without a quorum. */
function deadline(S: SimState, sc: Scenario, node: NodeState, req: QuorumRequest): void {
  const set = S.settings;
  if (req.stage === 3) {
    dropRequest(node, req);
    return;
  }
  if (req.stage === 0 && req.f === 1 && set.hintedHandoff) {
    // Sloppy quorum: ask nodes outside the replica set to hold the write for the missing ones.
    req.stage = 1;
    req.started = S.now;
    const missing = req.replicas.filter((r) => !req.acks.includes(r));
    let i = 0;
    for (const n of S.nodes) {
      if (i >= missing.length) break;
      // Not a node that has stopped answering this one: a hint sent there would wait in vain.
      if (n.status === 'removed' || req.replicas.includes(n.id) || !S.lb.healthy[n.id] || silent(S, node, n.id)) continue;
      expectAnswer(S, node, n.id);
      const m = message(LL_HINT_PUT, node.id);
      m.key = req.key;
      m.req = req.id;
      m.seq = missing[i++]!;
      m.vers = [[req.ver!]];
      send(S, sc, n.id, m);
    }
    if (i > 0) return;
  }
  dropRequest(node, req);
  if (node.stance === 'serve') {
    // Availability first: answer with what this coordinator has.
    S.counters.servedWithoutQuorum++;
    if (req.f === 1) replyToClient(S, sc, node.id, req.op, REPLY_OK, null);
    else {
      if (req.stage < 2) {
        const useVectors = set.conflictResolution === 'version-vectors';
        let merged: Version[] | null = null;
        for (const r of req.acks) {
          mergeVersions(merged, req.replies[r] ?? null, useVectors, scratch);
          merged = scratch.list;
        }
        req.result = merged;
      }
      replyToClient(S, sc, node.id, req.op, REPLY_OK, req.result);
    }
    return;
  }
  S.counters.refusedNoQuorum++;
  node.refused++;
  // A write already applied here (and perhaps elsewhere): its outcome is unknown, not failed.
  replyToClient(S, sc, node.id, req.op, req.f === 1 ? REPLY_INFO : REPLY_FAIL, null, FAIL_QUORUM);
}

function deliverHints(S: SimState, sc: Scenario, node: NodeState): void {
  const keep = [];
  for (const h of node.hints) {
    const target = S.nodes[h.target]!;
    if (target.status === 'up' && S.lb.healthy[h.target] && (S.partition === null || S.partition.groups[h.target] === S.partition.groups[node.id])) {
      const m = message(LL_PUT, node.id);
      m.key = h.key;
      m.req = 0;
      m.vers = [[h.ver]];
      send(S, sc, h.target, m);
      S.counters.hintsDelivered++;
    } else keep.push(h);
  }
  node.hints = keep;
}

/** Lost-write accounting with version vectors: is `w` superseded by or kept in `list`? */
export function vectorSurvives(w: number[], list: Version[] | null): boolean {
  if (list === null) return false;
  for (const v of list) {
    if (v.vv === null) continue;
    const c = compareVectors(v.vv, w);
    if (c === 0 || c === 1) return true;
  }
  return false;
}

