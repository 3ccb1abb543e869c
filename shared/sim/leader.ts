// Leader-follower (active-passive) replication, one leader per shard.
//
// Writes go through the shard's leader. With synchronous replication a write is committed
// (applied to the leader's store and acknowledged) once a majority of the replicas hold it;
// reads from the leader first confirm, with a majority, that it is still the leader
// (a read-index round), so a deposed leader cannot serve a stale value. With asynchronous
// replication the leader acknowledges at once and replicates afterwards.
// Failover: followers that stop hearing heartbeats start an election for a new epoch; with
// `majority` elections a candidate needs a majority of votes from replicas that are not
// more up to date than it, with `no-quorum` it simply takes over (two leaders can result).
// With fencing, replicas refuse anything from an epoch older than one they have seen.
// A replica that lost its disk has forgotten which epochs it voted and acknowledged in: with
// majority elections and fencing it first asks the shard's other replicas for the newest
// epoch they know, and until enough of them answered to overlap every majority it may have
// been part of, it neither acknowledges nor accepts anything (else a deposed leader could
// win it back and have a "majority" again); it votes again only once a current leader has
// given it a full copy.

import { majority } from '../scenarios/settings.js';
import { clock, connected, opById, feed, message, replyToClient, send, REPLY_FAIL, REPLY_OK } from './net.js';
import { FAIL_LEADER, FAIL_QUORUM } from './ops.js';
import { logNewer } from './versions.js';
import { reuseMessage } from './reuse.js';
import { random } from './rng.js';
import type { Message, NodeState, PendingRead, ShardReplica, SimState, Version } from './state.js';
import type { Scenario } from '../scenarios/types.js';

export const LF_REPL = 10;
export const LF_REPL_ACK = 11;
export const LF_HB = 12;
export const LF_HB_ACK = 13;
export const LF_VOTE_REQ = 14;
export const LF_VOTE = 15;
export const LF_SYNC = 16;
export const LF_SYNC_ACK = 17;
export const LF_CONFIRM = 18;
export const LF_CONFIRM_ACK = 19;
export const LF_NACK = 20;
export const LF_PROBE = 21;
export const LF_PROBE_ACK = 22;
/** A leader hands its shard to the preferred leader: "start your election now" (Raft's TimeoutNow). */
export const LF_TIMEOUT_NOW = 23;

/** A vote request's `key` when the candidate stands because the leader handed the shard over. */
const TRANSFER = 1;
/** A preferred leader must have been back this long before leadership returns to it. */
const TRANSFER_SETTLE_MS = 5_000;

/** Messages that cost the receiving node a service slot; the rest are handled on arrival. */
export function lfCostly(m: number): boolean {
  return m === LF_REPL || m === LF_SYNC;
}

/** Leader-follower message kinds are below this; leaderless ones start here. */
export const LF_KINDS_END = 30;

/** How much service a message costs: a full copy costs in proportion to the keys it carries. */
export function lfUnits(msg: Message): number {
  if (msg.m === LF_SYNC) return 1 + Math.floor((msg.keys?.length ?? 0) / 200);
  return 1;
}

export function newReplica(epoch: number, leader: number, self: number, nodes: number): ShardReplica {
  return {
    role: leader === self ? 'leader' : 'follower',
    epoch,
    votedEpoch: epoch,
    leader,
    lastEpoch: epoch,
    lastSeq: 0,
    lastHeard: 0,
    electionDeadline: 0,
    votes: [],
    ready: leader === self,
    syncAcks: [],
    syncSentAt: new Array(nodes).fill(-1e9),
    nextSeq: 0,
    match: new Array(nodes).fill(0),
    lastAck: new Array(nodes).fill(0),
    leaseAck: new Array(nodes).fill(-1e9),
    commitSeq: 0,
    pending: [],
    round: 0,
    roundStart: 0,
    roundAcks: [],
    roundReads: [],
    waitingReads: [],
    amnesiac: false,
  };
}

/** Install replication state for every shard: the first replica leads epoch `epoch`. */
export function lfInstall(S: SimState, epoch: number): void {
  for (const n of S.nodes) n.shards = new Array(S.shards.length).fill(null);
  S.shards.forEach((pl, s) => {
    const leader = pl.replicas.find((id) => S.nodes[id]!.status === 'up') ?? pl.replicas[0]!;
    for (const id of pl.replicas) {
      const rep = newReplica(epoch, leader, id, S.nodes.length + 16);
      rep.lastHeard = S.now;
      rep.electionDeadline = electionDeadline(S);
      S.nodes[id]!.shards[s] = rep;
    }
    pl.leader = leader;
    pl.leaderEpoch = epoch;
    noteLeader(S, s, epoch, leader);
  });
}

/**
 * Where a client request arriving at `node` should be served: -1 here, or the node to
 * forward it to (-2 when no leader is known). Decided on arrival so that proxying a request
 * costs the node far less than serving one.
 */
export function lfRoute(S: SimState, node: NodeState, key: number, f: number): number {
  const s = S.keyShard[key]!;
  const rep = node.shards[s] ?? null;
  if (f === 0 && S.settings.readFrom === 'any-replica') return rep !== null ? -1 : S.shards[s]!.replicas[0]!;
  if (rep !== null && rep.role === 'leader') return -1;
  // A follower that has not heard its leader for a failover timeout knows of no live leader:
  // it answers a read from its own copy if its stance is to serve, else turns it away.
  if (rep !== null && leaderLost(S, rep)) return f === 0 && node.stance === 'serve' ? -1 : -2;
  const target = rep !== null && rep.leader >= 0 && rep.leader !== node.id ? rep.leader : S.shards[s]!.leader;
  return target < 0 || target === node.id ? -2 : target;
}

/** A client read or write reached node `node` (after service). */
export function lfClientRequest(S: SimState, sc: Scenario, node: NodeState, msg: Message): void {
  const op = opById(S, msg.op);
  if (op === null) return;
  const s = S.keyShard[op.key]!;
  const rep = node.shards[s] ?? null;
  const set = S.settings;
  if (op.f === 0 && set.readFrom === 'any-replica') {
    if (rep !== null) {
      // Any replica may answer, but one that cannot reach a quorum (a leader without a
      // majority, a follower that lost its leader) may know its copy is old: the stance says.
      if (!replicaInTouch(S, node, rep, s)) {
        if (node.stance === 'refuse') {
          refuseNoQuorum(S, sc, node, op.id);
          return;
        }
        S.counters.servedWithoutQuorum++;
      }
      replyToClient(S, sc, node.id, op.id, REPLY_OK, node.store[op.key] ?? null);
      return;
    }
    forward(S, sc, node, msg, S.shards[s]!.replicas[0]!);
    return;
  }
  if (op.f === 0 && rep !== null && rep.role !== 'leader' && leaderLost(S, rep) && node.stance === 'serve') {
    // A follower cut off from its leader, serving: its own copy, as old as the last write it heard.
    S.counters.servedWithoutQuorum++;
    replyToClient(S, sc, node.id, op.id, REPLY_OK, node.store[op.key] ?? null);
    return;
  }
  if (rep === null || rep.role !== 'leader') {
    const target = rep !== null && rep.leader >= 0 && rep.leader !== node.id ? rep.leader : S.shards[s]!.leader;
    forward(S, sc, node, msg, target);
    return;
  }
  if (!rep.ready) {
    // A new leader has not yet made a majority hold its state: nothing was applied.
    replyToClient(S, sc, node.id, op.id, REPLY_FAIL, null, FAIL_LEADER);
    return;
  }
  const quorum = quorumReachable(S, node, rep, s);
  if (!quorum) {
    if (node.stance === 'refuse') {
      refuseNoQuorum(S, sc, node, op.id);
      return;
    }
    S.counters.servedWithoutQuorum++;
  }
  if (op.f === 1) {
    const seq = ++rep.nextSeq;
    rep.lastSeq = seq;
    const ver: Version = { v: op.value as number, ts: clock(S, node), n: node.id, ep: rep.epoch, sq: seq, vv: null };
    const replicas = S.shards[s]!.replicas;
    for (const r of replicas) {
      if (r === node.id) continue;
      const m = shardMessage(LF_REPL, node.id, s, rep.epoch);
      m.seq = seq;
      m.key = op.key;
      m.ver = ver;
      send(S, sc, r, m);
    }
    if (set.syncReplication && quorum && replicas.length > 1) {
      rep.pending.push({ seq, key: op.key, ver, op: op.id });
      return;
    }
    applyIfNewer(node, op.key, ver);
    if (set.syncReplication && replicas.length > 1) rep.commitSeq = seq;
    replyToClient(S, sc, node.id, op.id, REPLY_OK, null);
    return;
  }
  // Read at the leader. Under a valid lease no other leader can exist, so the committed
  // store is current; otherwise confirm leadership with a majority first (read index).
  if (!set.syncReplication || !quorum || S.shards[s]!.replicas.length === 1 || leaseValid(S, node, rep, s)) {
    replyToClient(S, sc, node.id, op.id, REPLY_OK, node.store[op.key] ?? null);
    return;
  }
  rep.waitingReads.push({ key: op.key, op: op.id });
  if (rep.roundReads.length === 0) startRound(S, sc, node, rep, s);
}

/** A replication protocol message arrived (costly ones after service). */
export function lfMessage(S: SimState, sc: Scenario, node: NodeState, msg: Message): void {
  const s = msg.shard;
  const rep = s >= 0 ? (node.shards[s] ?? null) : null;
  if (rep === null) return;
  if (probing(S, rep) && msg.m !== LF_PROBE_ACK) return;
  switch (msg.m) {
    case LF_REPL:
      onReplicate(S, sc, node, rep, msg);
      return;
    case LF_REPL_ACK:
      if (rep.role !== 'leader') return;
      if (!msg.ok) return stepDownIfBehind(S, node, rep, msg);
      if (msg.epoch !== rep.epoch) return;
      rep.lastAck[msg.from] = S.now;
      if (msg.seq > rep.match[msg.from]!) rep.match[msg.from] = msg.seq;
      advanceCommit(S, sc, node, rep, s);
      return;
    case LF_HB:
      onHeartbeat(S, sc, node, rep, msg);
      return;
    case LF_HB_ACK:
      if (rep.role !== 'leader') return;
      if (!msg.ok) return stepDownIfBehind(S, node, rep, msg);
      if (msg.epoch === rep.epoch) {
        rep.lastAck[msg.from] = S.now;
        if (msg.req > rep.leaseAck[msg.from]!) rep.leaseAck[msg.from] = msg.req;
      }
      return;
    case LF_VOTE_REQ:
      onVoteRequest(S, sc, node, rep, msg);
      return;
    case LF_TIMEOUT_NOW:
      // The leader stepped down for this node: stand at once, with the leader's blessing.
      if (rep.role !== 'leader' && !rep.amnesiac && msg.epoch >= rep.epoch) startElection(S, sc, node, rep, msg.shard, true);
      return;
    case LF_VOTE:
      if (rep.role === 'candidate' && !msg.ok && msg.epoch > rep.epoch) {
        // Refused by a replica that knows a newer epoch: stand again above it, or a lagging
        // rival that keeps one epoch ahead would refuse this candidate forever.
        becomeFollower(rep, -1, msg.epoch);
        return;
      }
      if (rep.role !== 'candidate' || msg.epoch !== rep.epoch || !msg.ok) return;
      if (!rep.votes.includes(msg.from)) rep.votes.push(msg.from);
      if (rep.votes.length >= majority(S.shards[s]!.replicas.length)) becomeLeader(S, sc, node, rep, s);
      return;
    case LF_SYNC:
      onSync(S, sc, node, rep, msg);
      return;
    case LF_SYNC_ACK:
      if (rep.role !== 'leader') return;
      if (!msg.ok) return stepDownIfBehind(S, node, rep, msg);
      if (msg.epoch !== rep.epoch) return;
      rep.lastAck[msg.from] = S.now;
      if (msg.seq > rep.match[msg.from]!) rep.match[msg.from] = msg.seq;
      if (!rep.syncAcks.includes(msg.from)) rep.syncAcks.push(msg.from);
      if (!rep.ready && rep.syncAcks.length + 1 >= majority(S.shards[s]!.replicas.length)) rep.ready = true;
      advanceCommit(S, sc, node, rep, s);
      return;
    case LF_CONFIRM: {
      const ok = !S.settings.fencing || msg.epoch >= Math.max(rep.epoch, rep.votedEpoch);
      const { from, req } = msg;
      const r = answer(msg, LF_CONFIRM_ACK, node.id, s, ok ? msg.epoch : Math.max(rep.epoch, rep.votedEpoch));
      r.req = req;
      r.ok = ok;
      send(S, sc, from, r);
      return;
    }
    case LF_CONFIRM_ACK:
      if (rep.role !== 'leader') return;
      if (!msg.ok) return stepDownIfBehind(S, node, rep, msg);
      if (msg.epoch !== rep.epoch || msg.req !== rep.round || rep.roundReads.length === 0) return;
      rep.lastAck[msg.from] = S.now;
      if (!rep.roundAcks.includes(msg.from)) rep.roundAcks.push(msg.from);
      if (rep.roundAcks.length + 1 >= majority(S.shards[s]!.replicas.length)) finishRound(S, sc, node, rep, s);
      return;
    case LF_PROBE: {
      // An amnesiac asks which epoch the shard is in. Answer with everything this replica
      // has promised (the sender only counts answers to its current probe).
      const r = shardMessage(LF_PROBE_ACK, node.id, s, Math.max(rep.epoch, rep.votedEpoch));
      r.req = msg.req;
      send(S, sc, msg.from, r);
      return;
    }
    case LF_PROBE_ACK:
      if (!probing(S, rep) || msg.req !== node.incarnation) return;
      if (!rep.votes.includes(msg.from)) rep.votes.push(msg.from);
      if (msg.epoch > rep.epoch) rep.epoch = msg.epoch;
      if (rep.votes.length >= probeQuorum(S.shards[s]!.replicas.length)) {
        // Any election or acknowledgement it took part in before the loss involved a
        // majority, which overlaps these answers: it now knows an epoch at least as new.
        rep.votedEpoch = rep.epoch;
        rep.votes = [];
        rep.leader = -1;
      }
      return;
    case LF_NACK:
      // One full copy per follower per half failover timeout: a lagging follower NACKs often.
      if (rep.role === 'leader' && msg.epoch <= rep.epoch && S.now - rep.syncSentAt[msg.from]! >= S.settings.failoverTimeoutMs / 2) {
        rep.syncSentAt[msg.from] = S.now;
        sendSync(S, sc, node, rep, s, msg.from);
      }
      return;
  }
}

/** Periodic work of one node for the shards it replicates: heartbeats, elections, timeouts. */
export function lfTick(S: SimState, sc: Scenario, node: NodeState): void {
  const set = S.settings;
  const hbEvery = Math.min(100, set.failoverTimeoutMs / 3);
  for (let s = 0; s < node.shards.length; s++) {
    const rep = node.shards[s];
    if (rep === null || rep === undefined) continue;
    if (rep.role === 'leader') {
      if (S.now - rep.lastHeard >= hbEvery) {
        rep.lastHeard = S.now;
        for (const r of S.shards[s]!.replicas) {
          if (r === node.id) continue;
          const m = shardMessage(LF_HB, node.id, s, rep.epoch);
          m.seq = rep.lastSeq;
          m.req = S.now;
          send(S, sc, r, m);
        }
      }
      if (rep.roundReads.length > 0 && S.now - rep.roundStart > set.failoverTimeoutMs) {
        // The leader could not confirm it still leads: the reads fail (nothing was read).
        for (const rd of rep.roundReads) replyToClient(S, sc, node.id, rd.op, REPLY_FAIL, null, FAIL_QUORUM);
        rep.roundReads = [];
        if (rep.waitingReads.length > 0) startRound(S, sc, node, rep, s);
      }
      if (transferDue(S, node, rep, s)) handOver(S, sc, node, rep, s);
      continue;
    }
    if (rep.amnesiac) {
      if (rep.votedEpoch < 0 && !cpElections(S)) rep.votedEpoch = 0;
      if (probing(S, rep) && S.now - rep.roundStart >= hbEvery) sendProbe(S, sc, node, rep, s);
      continue;
    }
    if (S.now >= rep.electionDeadline) startElection(S, sc, node, rep, s);
  }
}

/** How many shards the node leads now (none while it is not up). */
export function shardsLed(node: NodeState): number {
  let n = 0;
  if (node.status === 'up') for (const rep of node.shards) if (rep !== null && rep.role === 'leader') n++;
  return n;
}

/** A player asks for this node to lead its shards. */
export function lfPromote(S: SimState, sc: Scenario, node: NodeState): number {
  let started = 0;
  node.shards.forEach((rep, s) => {
    if (rep === null || !mayStand(S, rep)) return;
    startElection(S, sc, node, rep, s);
    started++;
  });
  return started;
}

/**
 * The shards in which a player's promote would start an election this node could win: it
 * may stand (as lfPromote asks), and a majority of the shard's replicas, itself included,
 * are up and on its side of any split. The advisor suggests promoting only such a node: a
 * promote it would refuse, or an election without the votes to win, helps nobody.
 */
export function lfElectable(S: SimState, node: NodeState): number {
  if (node.status !== 'up' || S.settings.replication !== 'leader-follower') return 0;
  let n = 0;
  node.shards.forEach((rep, s) => {
    if (rep === null || rep === undefined || !mayStand(S, rep)) return;
    const replicas = S.shards[s]?.replicas ?? [];
    let reachable = 0;
    for (const r of replicas) if (S.nodes[r]!.status === 'up' && connected(S, node.id, r)) reachable++;
    if (reachable >= majority(replicas.length)) n++;
  });
  return n;
}

/**
 * A replica that may stand for election at a player's word: it does not lead, it has a copy,
 * and it hears no live leader. While it still hears one it has promised that leader's lease
 * not to back a rival, itself included: the leader must be demoted (or lost) first.
 */
function mayStand(S: SimState, rep: ShardReplica): boolean {
  if (rep.role === 'leader' || rep.amnesiac) return false;
  return !(rep.role === 'follower' && hearsLeader(S, rep));
}

/** A player makes this node step down from every shard it leads, and hold off re-electing. */
export function lfDemote(S: SimState, node: NodeState): number {
  let n = 0;
  node.shards.forEach((rep) => {
    if (rep === null) return;
    if (rep.role === 'leader' || rep.role === 'candidate') {
      becomeFollower(rep, -1);
      n++;
    }
    rep.electionDeadline = S.now + 3 * S.settings.failoverTimeoutMs;
  });
  return n;
}

/** Ask each shard's leader for a full copy (the "repair" action in leader-follower mode). */
export function lfRepair(S: SimState, sc: Scenario, node: NodeState): void {
  node.shards.forEach((rep, s) => {
    if (rep === null || rep.role === 'leader') return;
    const leader = rep.leader >= 0 ? rep.leader : S.shards[s]!.leader;
    if (leader < 0 || leader === node.id) return;
    const m = shardMessage(LF_NACK, node.id, s, rep.epoch);
    send(S, sc, leader, m);
  });
}

/** A node comes back from a crash: volatile state is gone; with the disk, so is everything. */
export function lfRecover(S: SimState, node: NodeState, diskLost: boolean): void {
  // (Called for either replication family: the leaderless one keeps its own account.)
  node.shards.forEach((rep, s) => {
    if (rep === null) return;
    rep.role = 'follower';
    rep.leader = -1;
    rep.ready = false;
    rep.pending = [];
    rep.roundReads = [];
    rep.waitingReads = [];
    rep.votes = [];
    rep.syncAcks = [];
    rep.lastHeard = S.now;
    rep.electionDeadline = electionDeadline(S);
    if (diskLost) {
      // Without its disk it no longer knows whom it voted for: it must not vote until a
      // leader has brought it up to date, or two leaders could win the same epoch. A sole
      // replica has nobody to disagree with: it simply starts again, empty.
      const alone = (S.shards[s]?.replicas.length ?? 1) <= 1;
      rep.epoch = 0;
      // -1: it does not even know which epoch the shard is in (see probing()).
      rep.votedEpoch = alone ? 0 : -1;
      rep.lastEpoch = 0;
      rep.lastSeq = 0;
      rep.amnesiac = !alone;
      rep.roundStart = -1e9;
    }
  });
}

// ---------------------------------------------------------------------------------------

function forward(S: SimState, sc: Scenario, node: NodeState, msg: Message, target: number): void {
  const op = opById(S, msg.op);
  if (op === null) return;
  if (target < 0 || target === node.id || msg.seq >= 2) {
    // No leader known: the request was not applied anywhere.
    replyToClient(S, sc, node.id, op.id, REPLY_FAIL, null, FAIL_LEADER);
    return;
  }
  // The request travels on as the same message (reuse.ts): its handler is done with it.
  const { op: opId, seq } = msg;
  const m = reuseMessage(msg, msg.m, node.id);
  m.op = opId;
  m.seq = seq + 1;
  send(S, sc, target, m);
}

/** Majority elections with fencing: the configuration whose guarantees the probe protects. */
function cpElections(S: SimState): boolean {
  return S.settings.fencing && S.settings.election === 'majority';
}

/**
 * A replica that lost its disk and has not yet learned the shard's epoch from its peers.
 * Meanwhile it never leads, votes or confirms, so three of its fields serve the probe:
 * `votes` holds the replicas that answered, `epoch` the newest epoch they named, and
 * `roundStart` when the probe was last sent.
 */
function probing(S: SimState, rep: ShardReplica): boolean {
  return rep.amnesiac && rep.votedEpoch < 0 && cpElections(S);
}

/**
 * Answers an amnesiac needs from the other replicas: enough that they overlap the rest of
 * any majority it belonged to (n - majority + 1 of the n - 1 others).
 */
function probeQuorum(n: number): number {
  return n - majority(n) + 1;
}

/** Ask the other replicas for the newest epoch they know (answers name this incarnation). */
function sendProbe(S: SimState, sc: Scenario, node: NodeState, rep: ShardReplica, s: number): void {
  rep.roundStart = S.now;
  for (const r of S.shards[s]!.replicas) {
    if (r === node.id) continue;
    const m = shardMessage(LF_PROBE, node.id, s, 0);
    m.req = node.incarnation;
    send(S, sc, r, m);
  }
}

/** The stance's refusal: nothing was applied, and the client is told so. */
function refuseNoQuorum(S: SimState, sc: Scenario, node: NodeState, op: number): void {
  S.counters.refusedNoQuorum++;
  node.refused++;
  replyToClient(S, sc, node.id, op, REPLY_FAIL, null, FAIL_QUORUM);
}

/** A follower (or candidate) that has heard no leader for a failover timeout. */
function leaderLost(S: SimState, rep: ShardReplica): boolean {
  return S.now - rep.lastHeard > S.settings.failoverTimeoutMs;
}

/** A replica in touch with a quorum: a leader that hears a majority, a follower that hears its leader. */
function replicaInTouch(S: SimState, node: NodeState, rep: ShardReplica, s: number): boolean {
  return rep.role === 'leader' ? quorumReachable(S, node, rep, s) : !leaderLost(S, rep);
}

function quorumReachable(S: SimState, node: NodeState, rep: ShardReplica, s: number): boolean {
  const replicas = S.shards[s]!.replicas;
  if (replicas.length === 1) return true;
  const window = S.settings.failoverTimeoutMs;
  let alive = 1;
  for (const r of replicas) if (r !== node.id && S.now - rep.lastAck[r]! <= window) alive++;
  return alive >= majority(replicas.length);
}

/**
 * A leader's lease: a majority (itself included) acknowledged a heartbeat sent at time T,
 * and each of them refuses to vote for a rival until a failover timeout after hearing it,
 * so no other leader can be elected before T + failoverTimeout. A safety margin is kept.
 * Timers run on true simulated time; clock skew moves node clocks' readings, not their rate.
 */
function leaseValid(S: SimState, node: NodeState, rep: ShardReplica, s: number): boolean {
  if (!S.settings.fencing) return false;
  const replicas = S.shards[s]!.replicas;
  const need = majority(replicas.length) - 1;
  if (need <= 0) return true;
  // The need-th most recent acknowledged heartbeat among the followers.
  let base = -1e9;
  for (const c of replicas) {
    if (c === node.id) continue;
    const cand = rep.leaseAck[c]!;
    if (cand <= base) continue;
    let newer = 0;
    for (const r of replicas) if (r !== node.id && rep.leaseAck[r]! >= cand) newer++;
    if (newer >= need) base = cand;
  }
  return S.now < base + 0.8 * S.settings.failoverTimeoutMs;
}

/**
 * Heard from a leader (or restarted, forgetting whom it heard) within a failover timeout.
 * Such a replica refuses to help elect anyone but that leader.
 */
function hearsLeader(S: SimState, rep: ShardReplica): boolean {
  return S.now - rep.lastHeard < S.settings.failoverTimeoutMs;
}

function applyIfNewer(node: NodeState, key: number, ver: Version): void {
  const held = node.store[key];
  if (held === null || held === undefined || held.length === 0 || logNewer(ver, held[0]!)) node.store[key] = [ver];
}

function onReplicate(S: SimState, sc: Scenario, node: NodeState, rep: ShardReplica, msg: Message): void {
  // The acknowledgement is this message itself, turned round once it has been read.
  const { from, shard, epoch, seq } = msg;
  if (!S.settings.fencing) {
    // Without fencing a replica takes writes from whoever claims to lead.
    node.store[msg.key] = [msg.ver!];
    if (epoch > rep.lastEpoch || (epoch === rep.lastEpoch && seq > rep.lastSeq)) {
      rep.lastEpoch = epoch;
      rep.lastSeq = seq;
    }
    if (epoch >= rep.epoch) {
      rep.epoch = epoch;
      rep.leader = from;
    }
    rep.lastHeard = S.now;
    rep.electionDeadline = electionDeadline(S);
    const ack = answer(msg, LF_REPL_ACK, node.id, shard, epoch);
    ack.seq = seq;
    send(S, sc, from, ack);
    return;
  }
  const known = Math.max(rep.epoch, rep.votedEpoch);
  if (epoch < known) {
    refuseOlderEpochInPlace(S, sc, msg, LF_REPL_ACK, node.id, from, epoch, known);
    return;
  }
  if (epoch > rep.epoch || rep.role !== 'follower') becomeFollower(rep, from, epoch);
  rep.leader = from;
  rep.lastHeard = S.now;
  rep.electionDeadline = electionDeadline(S);
  if (rep.lastEpoch !== epoch || seq > rep.lastSeq + 1) {
    // Not synced to this epoch yet, or a replication message went missing: ask for a copy.
    send(S, sc, from, answer(msg, LF_NACK, node.id, shard, epoch));
    return;
  }
  if (seq === rep.lastSeq + 1) {
    node.store[msg.key] = [msg.ver!];
    rep.lastSeq = seq;
  }
  const ack = answer(msg, LF_REPL_ACK, node.id, shard, epoch);
  ack.seq = rep.lastSeq;
  send(S, sc, from, ack);
}

/** A message about shard s in the given epoch. */
function shardMessage(kind: number, from: number, s: number, epoch: number): Message {
  const m = message(kind, from);
  m.shard = s;
  m.epoch = epoch;
  return m;
}

/**
 * The handled message `msg`, turned into an answer about shard s in the given epoch: what
 * shardMessage(kind, from, s, epoch) would create, without allocating (reuse.ts). Read
 * what you need of `msg` first.
 */
function answer(msg: Message, kind: number, from: number, s: number, epoch: number): Message {
  const m = reuseMessage(msg, kind, from);
  m.shard = s;
  m.epoch = epoch;
  return m;
}

/**
 * Fencing, answering with the message itself: turn `msg` (from `from`, for epoch `epoch`)
 * round into a refusal naming the newer epoch `known`. `from` is read before: answering
 * reuses the message.
 */
function refuseOlderEpochInPlace(S: SimState, sc: Scenario, msg: Message, kind: number, self: number, from: number, epoch: number, known: number): void {
  const ack = answer(msg, kind, self, msg.shard, epoch);
  ack.ok = false;
  ack.epoch = known;
  send(S, sc, from, ack);
}

/** An acknowledgement addressed back to the sender of `msg`, for the same shard and epoch. */
function replyTo(msg: Message, kind: number, self: number): Message {
  return shardMessage(kind, self, msg.shard, msg.epoch);
}

/** Fencing: refuse a message from an epoch older than one this replica has seen (and say which). */
function refuseOlderEpoch(S: SimState, sc: Scenario, rep: ShardReplica, msg: Message, ack: Message): boolean {
  const known = Math.max(rep.epoch, rep.votedEpoch);
  if (msg.epoch >= known) return false;
  ack.ok = false;
  ack.epoch = known;
  send(S, sc, msg.from, ack);
  return true;
}

function onHeartbeat(S: SimState, sc: Scenario, node: NodeState, rep: ShardReplica, msg: Message): void {
  // The acknowledgement is this message itself, turned round once it has been read.
  const { from, shard, epoch, req } = msg;
  if (S.settings.fencing) {
    const known = Math.max(rep.epoch, rep.votedEpoch);
    if (epoch < known) {
      // Fencing: refused, naming the newer epoch this replica knows.
      refuseOlderEpochInPlace(S, sc, msg, LF_HB_ACK, node.id, from, epoch, known);
      return;
    }
  }
  if (rep.role === 'leader' && epoch === rep.epoch && from !== node.id) {
    // Two leaders in one epoch (elections without a quorum): the higher node id keeps it.
    if (node.id > from) {
      const ack = answer(msg, LF_HB_ACK, node.id, shard, epoch);
      ack.ok = false;
      ack.req = node.id;
      send(S, sc, from, ack);
      return;
    }
  }
  if (rep.role !== 'follower' || epoch > rep.epoch || rep.leader !== from) becomeFollower(rep, from, Math.max(epoch, rep.epoch));
  rep.leader = from;
  rep.lastHeard = S.now;
  rep.electionDeadline = electionDeadline(S);
  if (rep.lastEpoch < epoch) {
    send(S, sc, from, replyTo(msg, LF_NACK, node.id));
  }
  const ack = answer(msg, LF_HB_ACK, node.id, shard, epoch);
  ack.req = req;
  send(S, sc, from, ack);
}

function onVoteRequest(S: SimState, sc: Scenario, node: NodeState, rep: ShardReplica, msg: Message): void {
  const vote = replyTo(msg, LF_VOTE, node.id);
  const upToDate = msg.req > rep.lastEpoch || (msg.req === rep.lastEpoch && msg.seq >= rep.lastSeq);
  // Leader stickiness: a replica that heard its leader within the failover timeout (or a
  // leader holding a lease) does not help elect a rival. This is what makes leases safe.
  const sticky =
    // A candidate the leader handed the shard to is the exception: that leader gave up its
    // lease when it stepped down, so there is no lease left to protect.
    (rep.role === 'follower' && rep.leader !== msg.from && hearsLeader(S, rep) && msg.key !== TRANSFER) ||
    (rep.role === 'leader' && leaseValid(S, node, rep, msg.shard));
  vote.ok = !rep.amnesiac && !sticky && msg.epoch > rep.votedEpoch && upToDate;
  const known = Math.max(rep.epoch, rep.votedEpoch);
  if (!vote.ok && !rep.amnesiac && !sticky && rep.role !== 'leader') {
    // No leader to stay loyal to: learn the newer epoch even without voting, so this
    // replica's own next candidacy stands above it (else two candidates, one too far behind
    // to win, can take turns one epoch apart forever). A refusal names the epoch it knows.
    if (msg.epoch > rep.epoch) becomeFollower(rep, -1, msg.epoch);
    else if (known > msg.epoch) vote.epoch = known;
  }
  if (vote.ok) {
    rep.votedEpoch = msg.epoch;
    if (rep.role !== 'follower') becomeFollower(rep, -1, rep.epoch);
    // Only the election timer restarts: lastHeard keeps meaning "last heard from a leader"
    // (or came back from a crash), which is what the lease's stickiness relies on.
    rep.electionDeadline = electionDeadline(S);
  }
  send(S, sc, msg.from, vote);
}

function onSync(S: SimState, sc: Scenario, node: NodeState, rep: ShardReplica, msg: Message): void {
  const ack = replyTo(msg, LF_SYNC_ACK, node.id);
  if (S.settings.fencing && refuseOlderEpoch(S, sc, rep, msg, ack)) return;
  const keys = msg.keys!;
  const vers = msg.vers!;
  for (let i = 0; i < keys.length; i++) node.store[keys[i]!] = vers[i] ?? null;
  becomeFollower(rep, msg.from, msg.epoch);
  rep.lastEpoch = msg.epoch;
  rep.lastSeq = msg.seq;
  if (rep.amnesiac) {
    rep.amnesiac = false;
    if (rep.votedEpoch < msg.epoch) rep.votedEpoch = msg.epoch;
    noteCopyBack(S, node.id, msg.shard);
  }
  rep.lastHeard = S.now;
  rep.electionDeadline = electionDeadline(S);
  ack.seq = rep.lastSeq;
  send(S, sc, msg.from, ack);
}

/** The debrief's account of lost disks: this node holds shard s again since its last loss. */
function noteCopyBack(S: SimState, node: number, s: number): void {
  const log = S.diskLossLog ?? [];
  for (let i = log.length - 1; i >= 0; i--) {
    const d = log[i]!;
    const at = d.node === node ? d.shards.indexOf(s) : -1;
    if (at < 0) continue;
    if (d.back[at]! < 0) d.back[at] = S.now;
    return;
  }
}

function stepDownIfBehind(S: SimState, node: NodeState, rep: ShardReplica, msg: Message): void {
  // Equal epochs only happen without majority elections; heartbeat refusals carry the id.
  const behind = msg.epoch > rep.epoch || (msg.m === LF_HB_ACK && msg.epoch === rep.epoch && msg.req > node.id);
  if (!behind) return;
  feed(S, 'step-down', `Node ${node.id} learned of epoch ${msg.epoch} and stepped down`, node.id);
  rep.epoch = Math.max(rep.epoch, msg.epoch);
  becomeFollower(rep, -1, rep.epoch);
}

function becomeFollower(rep: ShardReplica, leader: number, epoch = rep.epoch): void {
  if (rep.role === 'leader') {
    // Outstanding writes are left to time out: their clients cannot know whether they applied.
    rep.pending = [];
    rep.roundReads = [];
    rep.waitingReads = [];
  }
  rep.role = 'follower';
  rep.ready = false;
  rep.votes = [];
  rep.leader = leader;
  rep.epoch = epoch;
}

function electionDeadline(S: SimState): number {
  const t = S.settings.failoverTimeoutMs;
  return S.now + t + random(S.rng.cluster) * t * 0.5;
}

/**
 * Leadership goes back to a shard's preferred leader (the placement spreads those over the
 * nodes) once it is back, caught up and reachable: otherwise every failover leaves
 * leadership piled on the nodes that happened to win, and they saturate while their peers
 * idle. Only a leader with nothing in flight hands over, so no acknowledged write waits on it.
 */
function transferDue(S: SimState, node: NodeState, rep: ShardReplica, s: number): boolean {
  const preferred = S.shards[s]!.replicas[0]!;
  if (preferred === node.id || !rep.ready) return false;
  const p = S.nodes[preferred]!;
  if (p.status !== 'up' || p.slow < 1 || S.now - p.recoverAt < TRANSFER_SETTLE_MS || !connected(S, node.id, preferred)) return false;
  if (rep.pending.length > 0 || rep.roundReads.length > 0 || rep.waitingReads.length > 0) return false;
  return rep.match[preferred]! >= rep.lastSeq && S.now - rep.lastAck[preferred]! < S.settings.failoverTimeoutMs / 2;
}

/** Step down and tell the preferred leader to stand now; this node holds off standing itself. */
function handOver(S: SimState, sc: Scenario, node: NodeState, rep: ShardReplica, s: number): void {
  const preferred = S.shards[s]!.replicas[0]!;
  becomeFollower(rep, -1);
  rep.electionDeadline = S.now + 3 * S.settings.failoverTimeoutMs;
  send(S, sc, preferred, shardMessage(LF_TIMEOUT_NOW, node.id, s, rep.epoch));
}

function startElection(S: SimState, sc: Scenario, node: NodeState, rep: ShardReplica, s: number, transfer = false): void {
  const epoch = Math.max(rep.epoch, rep.votedEpoch) + 1;
  rep.epoch = epoch;
  rep.votedEpoch = epoch;
  rep.electionDeadline = electionDeadline(S);
  const replicas = S.shards[s]!.replicas;
  if (S.settings.election === 'no-quorum' || replicas.length === 1) {
    becomeLeader(S, sc, node, rep, s);
    return;
  }
  rep.role = 'candidate';
  rep.votes = [node.id];
  rep.leader = -1;
  for (const r of replicas) {
    if (r === node.id) continue;
    const m = shardMessage(LF_VOTE_REQ, node.id, s, epoch);
    m.req = rep.lastEpoch;
    m.seq = rep.lastSeq;
    if (transfer) m.key = TRANSFER;
    send(S, sc, r, m);
  }
}

function becomeLeader(S: SimState, sc: Scenario, node: NodeState, rep: ShardReplica, s: number): void {
  const pl = S.shards[s]!;
  const wasLeader = pl.leader;
  rep.role = 'leader';
  rep.leader = node.id;
  rep.lastEpoch = rep.epoch;
  rep.lastSeq = 0;
  rep.nextSeq = 0;
  rep.commitSeq = 0;
  rep.pending = [];
  rep.match.fill(0);
  rep.lastAck.fill(S.now);
  rep.leaseAck.fill(-1e9);
  rep.syncAcks = [];
  rep.roundReads = [];
  rep.waitingReads = [];
  rep.lastHeard = S.now;
  rep.ready = S.settings.election === 'no-quorum' || pl.replicas.length === 1;
  pl.leader = node.id;
  pl.leaderEpoch = rep.epoch;
  noteLeader(S, s, rep.epoch, node.id);
  S.counters.elections++;
  if (wasLeader !== node.id) S.counters.failovers++;
  feed(S, 'election', `Node ${node.id} became leader of shard ${s} in epoch ${rep.epoch}`, node.id);
  for (const r of pl.replicas) if (r !== node.id) sendSync(S, sc, node, rep, s, r);
}

function noteLeader(S: SimState, s: number, epoch: number, leader: number): void {
  const k = `${s}:${epoch}`;
  const list = S.leadersByEpoch[k] ?? (S.leadersByEpoch[k] = []);
  if (!list.includes(leader)) list.push(leader);
}

/** Send a follower a full copy of the shard as this leader holds it (committed and pending). */
function sendSync(S: SimState, sc: Scenario, node: NodeState, rep: ShardReplica, s: number, to: number): void {
  const keys = shardKeys(S, s);
  const vers: (Version[] | null)[] = new Array(keys.length);
  const store = node.store;
  for (let i = 0; i < keys.length; i++) vers[i] = store[keys[i]!] ?? null;
  // A pending write stands in for its key's committed value (the last one for a key wins).
  // Found by binary search (the keys are ascending): a map of every key of the shard for a
  // handful of pending writes cost more than the whole copy.
  for (const p of rep.pending) {
    const i = indexOfKey(keys, p.key);
    if (i >= 0) vers[i] = [p.ver];
  }
  const m = shardMessage(LF_SYNC, node.id, s, rep.epoch);
  m.seq = rep.lastSeq;
  m.keys = keys;
  m.vers = vers;
  S.counters.bytesMoved += keys.length * 64;
  send(S, sc, to, m);
}

function advanceCommit(S: SimState, sc: Scenario, node: NodeState, rep: ShardReplica, s: number): void {
  const replicas = S.shards[s]!.replicas;
  // The highest sequence that a majority (the leader included) holds.
  const need = majority(replicas.length);
  let commit = 0;
  for (const c of replicas) {
    const cand = c === node.id ? rep.lastSeq : rep.match[c]!;
    if (cand <= commit) continue;
    let holders = 0;
    for (const r of replicas) if ((r === node.id ? rep.lastSeq : rep.match[r]!) >= cand) holders++;
    if (holders >= need) commit = cand;
  }
  if (commit <= rep.commitSeq) return;
  rep.commitSeq = commit;
  let i = 0;
  while (i < rep.pending.length && rep.pending[i]!.seq <= commit) {
    const p = rep.pending[i]!;
    applyIfNewer(node, p.key, p.ver);
    replyToClient(S, sc, node.id, p.op, REPLY_OK, null);
    i++;
  }
  if (i > 0) rep.pending.splice(0, i);
}

function startRound(S: SimState, sc: Scenario, node: NodeState, rep: ShardReplica, s: number): void {
  rep.round++;
  rep.roundStart = S.now;
  rep.roundAcks = [];
  rep.roundReads = rep.waitingReads;
  rep.waitingReads = [];
  for (const r of S.shards[s]!.replicas) {
    if (r === node.id) continue;
    const m = shardMessage(LF_CONFIRM, node.id, s, rep.epoch);
    m.req = rep.round;
    send(S, sc, r, m);
  }
}

function finishRound(S: SimState, sc: Scenario, node: NodeState, rep: ShardReplica, s: number): void {
  const reads: PendingRead[] = rep.roundReads;
  rep.roundReads = [];
  for (const rd of reads) replyToClient(S, sc, node.id, rd.op, REPLY_OK, node.store[rd.key] ?? null);
  if (rep.waitingReads.length > 0) startRound(S, sc, node, rep, s);
}

/**
 * The keys of each shard (ascending), for the placement they were computed from. A runtime
 * cache, not simulation state: S.keyShard is replaced, never changed in place, whenever
 * placement changes (and a restored state has an array of its own), so an entry keyed by it
 * is never used with another placement. A full copy used to walk the whole key space to
 * find its shard's keys. The lists are shared by the messages that carry them and never
 * mutated (a follower only reads them).
 */
const shardKeysCache = new WeakMap<number[], number[][]>();

function shardKeys(S: SimState, s: number): number[] {
  const keyShard = S.keyShard;
  let byShard = shardKeysCache.get(keyShard);
  if (byShard === undefined) {
    byShard = [];
    for (let k = 0; k < keyShard.length; k++) (byShard[keyShard[k]!] ??= []).push(k);
    shardKeysCache.set(keyShard, byShard);
  }
  return (byShard[s] ??= []);
}

/** Where `key` is in the ascending list `keys`, or -1. */
function indexOfKey(keys: readonly number[], key: number): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (keys[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo < keys.length && keys[lo] === key ? lo : -1;
}
