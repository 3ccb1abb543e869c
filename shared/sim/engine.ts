// The simulation's driver: creating a round, advancing simulated time event by event,
// applying commands at tick boundaries, and closing the round with a healed, converged
// cluster whose final state is read back and judged.

import { createJudge, judgeAdvance, judgeCompact, judgeFlush, judgeKeyTouched, judgeLostWrites, judgeRecord, type JudgeStep } from './consistency.js';
import { heldValues } from './held-values.js';
import { closeAllWindows, closeWindowsBefore, createMetrics, recordOutcome, recordStale } from './metrics.js';
import { FAIL_DOWN, FAIL_LEADER, FAIL_OVERLOAD, FAIL_UNREACHABLE, NEVER, type OpRecord } from './ops.js';
import { createRng } from './rng.js';
import { pop, push, createHeap } from './heap.js';
import {
  EV_ARRIVAL, EV_CHAOS, EV_CLIENT_REPLY, EV_DELIVER, EV_GLOBAL_TICK, EV_HANDLE, EV_NODE_TICK,
  clientReaches, enqueue, feed, message, opById, queueLimit, replyToClient, schedule, send, sendFromClient, serviceMs,
  REPLY_FAIL, REPLY_INFO, REPLY_OK,
} from './net.js';
import { lfClientRequest, lfCostly, lfInstall, lfMessage, lfRecover, lfRoute, lfTick, lfUnits, LF_HB_ACK, LF_KINDS_END, LF_REPL_ACK } from './leader.js';
import { antiEntropy, antiEntropySteps, firstAntiEntropy, llClientRequest, llForgetPeers, llDiskLost, llCostly, llMessage, llMessageSteps, llRoute, llTick, llUnits, LL_AE, LL_AE_REP, LL_FWD, LL_GET_REP, LL_PUT_ACK, vectorSurvives } from './leaderless.js';
import { closingWork, countWork } from './work.js';
import { likeLiteral } from './literal.js';
import { releaseMessage, reuseMessage } from './reuse.js';
import { assignKeys, placeShards } from './ring.js';
import { noteStale, syncSplit } from './split.js';
import { chooseNode, drawArrival, nextGap, takeProcess } from './workload.js';
import { endFaults, floodWork, scheduleChaos, startChaos, type ChaosHooks } from './chaos.js';
import { mergeVersions, newest, visibleValue } from './versions.js';
import type { ChaosLevel } from '../scenarios/chaos-types.js';
import { atDifficulty, type Difficulty } from '../scenarios/difficulty.js';
import type { ClusterSettings } from '../scenarios/settings.js';
import { SIM_VERSION, type Message, type NodeState, type SimEvent, type SimState, type SimVersion, type Version } from './state.js';
import { runnableScenario } from '../scenarios/index.js';
import { MAX_NODES, type RunnableScenarioId, type Scenario } from '../scenarios/types.js';
import { ROUND_CLOSING_TEXT } from '../words/phases.js';

/** A running simulation: its state (all of it plain data), its scenario, and its history. */
export interface Sim {
  S: SimState;
  sc: Scenario;
  /** Every finished client operation in completion order, when recording. */
  log: OpRecord[] | null;
}

export interface SimOptions {
  /** A current scenario, or a retired revision when re-creating a round recorded under it. */
  scenario: RunnableScenarioId;
  /** A preset name of the scenario (default `cp`), or explicit settings. */
  preset?: string;
  settings?: ClusterSettings;
  chaos: ChaosLevel;
  /** How hard the round is (default normal): scales the SLA, budget and chaos frequency. */
  difficulty?: Difficulty;
  seed: number;
  /** Length of the live phase in simulated ms (default: the scenario's). */
  durationMs?: number;
  /** Keep every operation for the exported history (default true). */
  recordHistory?: boolean;
  /**
   * Let the consistency judge forget values nobody can read any more (default true): its
   * state stays flat over a round. Off only to show that it changes no verdict.
   */
  compactJudge?: boolean;
  /** The rules to run on (default the current, SIM_VERSION): older ones re-create rounds recorded under them. */
  simVersion?: SimVersion;
}

export const GLOBAL_TICK_MS = 100;
export const NODE_TICK_MS = 50;
export const METRICS_WINDOW_MS = 1000;
/** How often (simulated ms) the judge forgets values nobody can read any more. */
export const JUDGE_COMPACT_EVERY_MS = 10_000;
const CLIENT_MSG = 1;
/** Node ids are below this (MAX_NODES, with room to spare). */
export const LINKS = MAX_NODES + 1;
/** The process number of the verification reads issued after the round. */
export const FINAL_PROCESS = 1_000_000;

export function createSim(opts: SimOptions): Sim {
  const base = runnableScenario(opts.scenario);
  if (base === undefined) throw new Error(`unknown scenario '${opts.scenario}'`);
  const difficulty = opts.difficulty ?? 'normal';
  // The scenario as played at this difficulty: SLA, budget and chaos scaled (difficulty.ts).
  const sc = atDifficulty(base, difficulty);
  const presetName = opts.preset ?? 'cp';
  const preset = opts.settings ?? sc.presets[presetName];
  if (preset === undefined) throw new Error(`scenario '${sc.id}' has no preset '${presetName}'`);
  const settings: ClusterSettings = likeLiteral({ ...preset });
  const durationMs = opts.durationMs ?? sc.durationMs;
  const seed = opts.seed >>> 0;
  const topo = sc.topology;
  const chaosRng = createRng(seed, 'chaos');
  const version = opts.simVersion ?? SIM_VERSION;
  const nodes: NodeState[] = [];
  topo.nodesPerRegion.forEach((count, region) => {
    for (let i = 0; i < count; i++) nodes.push(newNode(version, nodes.length, region, settings, sc.workload.keys));
  });
  const S: SimState = {
    version,
    scenario: sc.id,
    preset: opts.settings !== undefined ? 'custom' : presetName,
    chaosLevel: opts.chaos,
    difficulty,
    seed,
    now: 0,
    durationMs,
    settings,
    rng: { workload: createRng(seed, 'workload'), chaos: chaosRng, cluster: createRng(seed, 'cluster') },
    events: createHeap<SimEvent>(),
    nodes,
    shards: [],
    keyShard: [],
    rebalance: null,
    removing: [],
    linkClock: new Array(LINKS * LINKS).fill(0),
    partition: null,
    faults: [],
    chaosSchedule: scheduleChaos(chaosRng, sc, opts.chaos, durationMs),
    clients: topo.regions.map((_, r) => ({ idle: [], nextProcess: r * 100_000 })),
    inflight: [],
    inflightBase: 0,
    inflightHead: 0,
    nextOp: 0,
    nextValue: 0,
    nextRequest: 0,
    lb: { cursor: 0, healthy: nodes.map(() => true), reach: new Array(sc.topology.regions.length * LINKS).fill(true), probeAt: 0 },
    judge: createJudge(sc.workload.keys),
    judgeCompactAt: opts.compactJudge === false ? -1 : JUDGE_COMPACT_EVERY_MS,
    metrics: createMetrics(METRICS_WINDOW_MS),
    ackedVectors: {},
    counters: {
      conflicts: 0, siblingsCreated: 0, lwwOverwrites: 0, elections: 0, failovers: 0, refusedNoQuorum: 0,
      servedWithoutQuorum: 0, hintsStored: 0, hintsDelivered: 0, readRepairs: 0, antiEntropyRounds: 0,
      messagesSent: 0, messagesLost: 0, bytesMoved: 0, rejectedOverload: 0, shedMessages: 0, rateLimited: 0, floodRequests: 0,
    },
    cost: 0,
    feed: [],
    diskLossLog: [],
    leadersByEpoch: {},
    finished: false,
  };
  installPlacement(S, sc, settings);
  schedule(S, 0, EV_ARRIVAL, -1, 0);
  schedule(S, GLOBAL_TICK_MS, EV_GLOBAL_TICK, -1, 0);
  schedule(S, NODE_TICK_MS, EV_NODE_TICK, -1, 0);
  S.chaosSchedule.forEach((ev, i) => schedule(S, ev.at, EV_CHAOS, -1, i));
  return { S, sc, log: opts.recordHistory === false ? null : [] };
}

/** Run every event up to and including simulated time `until`. */
export function advance(sim: Sim, until: number): void {
  const { S } = sim;
  const heap = S.events;
  while (heap.times.length > 0 && heap.times[0]! <= until) {
    const e = pop(heap)!;
    S.now = e.t;
    dispatch(sim, e);
  }
  if (until > S.now) S.now = until;
}

/** The live phase is over once simulated time reaches its duration. */
export function liveOver(sim: Sim): boolean {
  return sim.S.now >= sim.S.durationMs;
}

export const HOOKS: ChaosHooks = {
  crash(S, node, diskLost) {
    crashNode(S, node, diskLost);
  },
  restart(S, node) {
    restartNode(S, node, 1500);
  },
};

export function crashNode(S: SimState, node: NodeState, diskLost: boolean): void {
  abandonRequests(S, node);
  node.status = 'down';
  node.incarnation++;
  node.queue = 0;
  node.busyUntil = S.now;
  node.requests = {};
  llForgetPeers(node);
  if (diskLost) {
    const shards = shardsHeld(S, node);
    S.diskLossLog.push({ t: S.now, node: node.id, shards, back: shards.map(() => -1) });
    node.store = new Array(node.store.length).fill(null);
    node.hints = [];
    llDiskLost(node);
  }
  lfRecover(S, node, diskLost);
}

/**
 * The shards of which a node holds a copy: one it replicates, unless (leader-follower) it
 * lost its disk before and no leader has given it a full copy since, so it holds nothing.
 */
function shardsHeld(S: SimState, node: NodeState): number[] {
  const out: number[] = [];
  S.shards.forEach((pl, s) => {
    if (!pl.replicas.includes(node.id)) return;
    const rep = node.shards[s] ?? null;
    if (S.settings.replication === 'leader-follower' && (rep === null || rep.amnesiac)) return;
    out.push(s);
  });
  return out;
}

export function restartNode(S: SimState, node: NodeState, bootMs: number): void {
  if (node.status === 'removed') return;
  abandonRequests(S, node);
  if (node.status === 'up') node.incarnation++;
  node.status = 'recovering';
  node.recoverAt = S.now + bootMs;
  node.queue = 0;
  node.busyUntil = S.now;
  node.requests = {};
  llForgetPeers(node);
  // A fault that had this node down is over once it is back.
  S.faults = S.faults.filter((f) => !((f.kind === 'crash' || f.kind === 'crash-disk-loss') && f.target === node.id));
}

/**
 * End the round: stop traffic, heal every fault, let the cluster converge, then read every
 * key's converged value back (the `final` reads) and judge the whole history.
 */
export function finishSim(sim: Sim): void {
  const steps = finishSteps(sim, Infinity);
  while (steps.next().done !== true);
}

/**
 * finishSim in slices: the same closing, yielding after every `sliceMs` simulated ms of it,
 * so a server can close a round without holding its event loop for a second or two (other
 * rooms keep their pace). advance() over a span in pieces does exactly what it does at
 * once, so the result is the same whatever the slices.
 */
export function* finishSteps(sim: Sim, sliceMs = 250): Generator<void, void, void> {
  const { S, sc } = sim;
  if (S.finished) return;
  yield* advanceInSlices(sim, S.durationMs, sliceMs);
  endFaults(S, HOOKS, true);
  for (const n of S.nodes) {
    if (n.status === 'down') restartNode(S, n, 1500);
    n.slow = 1;
    n.drained = false;
  }
  feed(S, 'phase', ROUND_CLOSING_TEXT);
  const settle = sc.workload.timeoutMs + 3 * S.settings.failoverTimeoutMs + 2000;
  yield* advanceInSlices(sim, S.now + settle, sliceMs);
  if (S.settings.replication === 'leaderless') {
    for (let pass = 0; pass < 2; pass++) {
      // A node at a time: one pass over a big key space is some ms of work.
      for (const n of S.nodes) {
        if (n.status !== 'up') continue;
        yield* antiEntropySteps(S, sc, n, -2);
        yield;
      }
      yield* advanceInSlices(sim, S.now + 2000, sliceMs);
    }
  }
  yield* advanceInSlices(sim, S.now + sc.workload.timeoutMs + 2 * GLOBAL_TICK_MS, sliceMs);
  sweepTimeouts(sim, NEVER);
  yield* finalReadSteps(sim);
  countStale(S, judgeFlush(S.judge));
  closeAllWindows(S.metrics);
  S.finished = true;
}

/** Work (work.ts: an event is one unit) done in one piece of the closing's simulation, about. */
const UNITS_PER_STEP = 750;

/**
 * advance(sim, until) in pieces: the same events in the same order (so the same result),
 * yielding at every `sliceMs` of simulated time, after UNITS_PER_STEP units of work, and
 * around the two big events: the global tick that compacts the judge (it walks every
 * replica's store) and an anti-entropy exchange (merged in pieces by llMessageSteps).
 */
function* advanceInSlices(sim: Sim, until: number, sliceMs: number): Generator<void, void, void> {
  const { S } = sim;
  if (S.now >= until) return;
  if (sliceMs === Infinity) return advance(sim, until);
  const heap = S.events;
  let sliceEnd = S.now + sliceMs;
  let stepped = 0;
  let since = closingWork.units;
  while (heap.times.length > 0 && heap.times[0]! <= until) {
    const t = heap.times[0]!;
    const next = heap.items[0]!;
    const exchange = next.k === EV_HANDLE && (next.m === LL_AE || next.m === LL_AE_REP);
    const big = exchange || (next.k === EV_GLOBAL_TICK && S.judgeCompactAt >= 0 && t >= S.judgeCompactAt);
    if (stepped > 0 && (big || t > sliceEnd || closingWork.units - since >= UNITS_PER_STEP)) {
      yield;
      stepped = 0;
      since = closingWork.units;
    }
    while (t > sliceEnd) sliceEnd += sliceMs;
    const e = pop(heap)!;
    S.now = e.t;
    countWork(1);
    stepped++;
    const node = S.nodes[e.node];
    if (exchange && node !== undefined && node.status === 'up' && e.inc === node.incarnation) {
      // As dispatch → onHandle → llMessage would run it, in pieces.
      node.queue--;
      yield* llMessageSteps(S, sim.sc, node, e);
    } else dispatch(sim, e);
    // What follows a big event starts a new piece.
    if (big) since = -Infinity;
  }
  if (until > S.now) S.now = until;
}

export interface LostWriteCount {
  total: number;
  byKey: number[];
}

/** Acknowledged writes gone from the converged state (valid after finishSim). */
export function lostWrites(S: SimState): LostWriteCount {
  const steps = lostWriteSteps(S);
  for (;;) {
    const r = steps.next();
    if (r.done === true) return r.value;
  }
}

/** Acknowledged writes checked per slice (version vectors): a few ms of work each. */
const LOST_CHECKS_PER_SLICE = 1_000;

/** lostWrites in slices, yielding between them (a round's closing must not hold the server). */
export function* lostWriteSteps(S: SimState): Generator<void, LostWriteCount, void> {
  if (S.settings.conflictResolution !== 'version-vectors' || S.settings.replication !== 'leaderless') return judgeLostWrites(S.judge);
  // With version vectors a write is replaced only by one that saw it (a causal successor).
  const byKey = new Array(S.keyShard.length).fill(0);
  let total = 0;
  let n = 0;
  for (const value in S.ackedVectors) {
    const entry = S.ackedVectors[value]!;
    const key = entry[0]!;
    const vv = entry.slice(1);
    if (!vectorSurvives(vv, convergedVersions(S, key))) {
      byKey[key]++;
      total++;
    }
    countWork(1);
    if (++n % LOST_CHECKS_PER_SLICE === 0) yield;
  }
  return { total, byKey };
}

// ---------------------------------------------------------------------------------------

export function newNode(version: SimVersion, id: number, region: number, settings: ClusterSettings, keys: number): NodeState {
  return {
    id, region, size: 1, status: 'up', incarnation: 0, recoverAt: 0, slow: 1, clockOffset: 0,
    busyUntil: 0, queue: 0, drained: false, stance: settings.stance,
    store: new Array(keys).fill(null), shards: [], requests: {}, hints: [], nextAntiEntropy: firstAntiEntropy(version, id, settings.antiEntropyMs),
    rateLimited: false, served: 0, refused: 0, staleServed: 0, startedAt: 0, diskLosses: 0,
    split: null, lastSplit: null, awaiting: new Array(LINKS).fill(-1),
  };
}


/** Compute shard placement for the current nodes and install fresh replication state. */
export function installPlacement(S: SimState, sc: Scenario, settings: ClusterSettings): void {
  const live = S.nodes.filter((n) => n.status !== 'removed').map((n) => ({ id: n.id, region: n.region }));
  const rf = Math.min(settings.replicationFactor, live.length);
  S.keyShard = assignKeys(sc.workload.keys, settings.shardCount);
  const sets = placeShards(live, settings.shardCount, rf, settings.placement);
  let epoch = 1;
  for (const k in S.leadersByEpoch) {
    const e = Number(k.slice(k.indexOf(':') + 1));
    if (e >= epoch) epoch = e + 1;
  }
  S.shards = sets.map((replicas) => ({ replicas, leader: -1, leaderEpoch: 0 }));
  if (settings.replication === 'leader-follower') lfInstall(S, epoch);
  else for (const n of S.nodes) n.shards = [];
}

function dispatch(sim: Sim, e: SimEvent): void {
  const { S, sc } = sim;
  switch (e.k) {
    case EV_ARRIVAL:
      onArrival(sim, e);
      return;
    case EV_DELIVER: {
      const node = S.nodes[e.node]!;
      if (node.status !== 'up') {
        if (e.m === CLIENT_MSG || e.m === LL_FWD) markOp(S, e.op, FAIL_DOWN);
        return;
      }
      onDeliver(sim, node, e);
      return;
    }
    case EV_HANDLE: {
      const node = S.nodes[e.node]!;
      if (node.status !== 'up' || e.inc !== node.incarnation) {
        // Queued work dies with the node (abandonRequests marked what it had in hand).
        if (e.m === CLIENT_MSG || e.m === LL_FWD) markOp(S, e.op, FAIL_DOWN);
        return;
      }
      node.queue--;
      onHandle(sim, node, e);
      return;
    }
    case EV_CLIENT_REPLY:
      onClientReply(sim, e);
      // The reply was read into its op: nothing holds it now.
      releaseMessage(e);
      return;
    case EV_NODE_TICK:
      onNodeTick(sim);
      reschedule(S, e, S.now + NODE_TICK_MS);
      return;
    case EV_GLOBAL_TICK:
      onGlobalTick(sim);
      reschedule(S, e, S.now + GLOBAL_TICK_MS);
      return;
    case EV_CHAOS: {
      const ev = S.chaosSchedule[e.a]!;
      const text = startChaos(S, sc, ev, HOOKS);
      feed(S, ev.kind, text, -1);
      return;
    }
  }
}

/**
 * Puts a timer event that just ran back on the queue for its next turn: the same fields
 * schedule() would give a fresh one (no node, so incarnation 0), without allocating one per
 * turn. Nothing keeps a popped event, so reusing it is unseen.
 */
function reschedule(S: SimState, e: SimEvent, t: number): void {
  e.t = t;
  push(S.events, e);
}

function onArrival(sim: Sim, e: SimEvent): void {
  const { S, sc } = sim;
  if (S.now >= S.durationMs) return;
  const a = drawArrival(S, sc);
  const gap = nextGap(S, sc);
  reschedule(S, e, S.now + gap);
  const op: OpRecord = {
    id: S.nextOp++,
    process: takeProcess(S.clients[a.region]!),
    key: a.key,
    f: a.f,
    value: a.f === 1 ? ++S.nextValue : null,
    invoke: S.now,
    complete: NEVER,
    type: 'info',
    region: a.region,
  };
  S.inflight.push(op);
  const target = chooseNode(S, a.region);
  if (target < 0) {
    // Nowhere to send it: the balancer has no node to offer, so nothing was applied.
    op.cause = FAIL_UNREACHABLE;
    finishOp(sim, op, 'fail', S.now);
    return;
  }
  const msg = message(CLIENT_MSG, -1);
  msg.op = op.id;
  // A partition between the client and the node it was sent to: it will time out.
  if (!sendFromClient(S, sc, a.region, target, msg)) op.cause = FAIL_UNREACHABLE;
}

function onDeliver(sim: Sim, node: NodeState, msg: Message): void {
  const { S, sc } = sim;
  const m = msg.m;
  if (m === CLIENT_MSG || m === LL_FWD) {
    const op = opById(S, msg.op);
    if (op === null) return;
    const lf = S.settings.replication === 'leader-follower';
    const route = lf ? lfRoute(S, node, op.key, op.f) : llRoute(S, node, op.key);
    if (route !== -1) {
      if (route === -2 || msg.seq >= 2) {
        // No node to serve it: nothing was applied anywhere. Leader-follower knows of no
        // leader; leaderless sees no replica alive.
        replyToClient(S, sc, node.id, op.id, REPLY_FAIL, null, lf ? FAIL_LEADER : FAIL_UNREACHABLE);
        return;
      }
      // Proxying costs a tenth of serving.
      const start = node.busyUntil > S.now ? node.busyUntil : S.now;
      node.busyUntil = start + 0.1 * serviceMs(sc, node);
      // The request travels on as the same message (reuse.ts): nothing else holds it.
      const opId = msg.op;
      const seq = msg.seq;
      const fwd = reuseMessage(msg, m, node.id);
      fwd.op = opId;
      fwd.seq = seq + 1;
      send(S, sc, route, fwd);
      return;
    }
    if (node.queue >= queueLimit(sc, node)) {
      // Overloaded: refuse before doing anything, so the client knows it did not apply.
      S.counters.rejectedOverload++;
      node.refused++;
      replyToClient(S, sc, node.id, msg.op, REPLY_FAIL, null, FAIL_OVERLOAD);
      return;
    }
    enqueue(S, sc, node, msg, 1);
    return;
  }
  const lfKind = m < LF_KINDS_END;
  if ((lfKind ? lfCostly(m) : llCostly(m)) && node.queue >= 4 * queueLimit(sc, node)) {
    // Load shedding: a drowning node drops replication work; the protocols recover from
    // the loss (a follower asks for a copy, a coordinator times out).
    S.counters.shedMessages++;
    return;
  }
  if (lfKind) {
    if (lfCostly(m)) enqueue(S, sc, node, msg, lfUnits(msg));
    else {
      lfMessage(S, sc, node, msg);
      // Acknowledgements are only read, never answered with or kept: free once handled.
      if (m === LF_REPL_ACK || m === LF_HB_ACK) releaseMessage(msg);
    }
    return;
  }
  if (llCostly(m)) enqueue(S, sc, node, msg, llUnits(msg));
  else {
    llMessage(S, sc, node, msg);
    // A coordinator reads a replica's answer into its request (the versions, not the message).
    if (m === LL_PUT_ACK || m === LL_GET_REP) releaseMessage(msg);
  }
}

function onHandle(sim: Sim, node: NodeState, msg: Message): void {
  const { S, sc } = sim;
  const m = msg.m;
  if (m === CLIENT_MSG || m === LL_FWD) {
    node.served++;
    if (S.settings.replication === 'leader-follower') lfClientRequest(S, sc, node, msg);
    else llClientRequest(S, sc, node, msg);
    return;
  }
  if (m < LF_KINDS_END) lfMessage(S, sc, node, msg);
  else llMessage(S, sc, node, msg);
}

function onClientReply(sim: Sim, e: SimEvent): void {
  const { S } = sim;
  const op = opById(S, e.a);
  if (op === null) return;
  if (e.node === REPLY_OK) {
    if (op.f === 0) {
      op.value = visibleValue(e.vers === null ? null : (e.vers[0] ?? null));
      op.node = e.from;
    }
    finishOp(sim, op, 'ok', S.now);
  } else if (e.node === REPLY_FAIL) finishOp(sim, op, 'fail', S.now);
  else if (e.node === REPLY_INFO) finishOp(sim, op, 'info', NEVER);
}

function finishOp(sim: Sim, op: OpRecord, type: OpRecord['type'], complete: number): void {
  const { S } = sim;
  S.inflight[op.id - S.inflightBase] = null;
  op.type = type;
  op.complete = complete;
  // A client that never learned its outcome is retired: its id may still have an op in flight.
  if (type !== 'info') S.clients[op.region]!.idle.push(op.process);
  if (type !== 'ok' && op.f === 1) delete S.ackedVectors[op.value as number];
  judgeRecord(S.judge, op);
  recordOutcome(S.metrics, op);
  if (sim.log !== null) sim.log.push(op);
}

/** Names why an op in flight will fail, unless something already did. */
function markOp(S: SimState, opId: number, cause: number): void {
  const op = opById(S, opId);
  if (op !== null && op.cause === undefined) op.cause = cause;
}

/** A node going down (or restarting) drops the client requests it had in hand. */
function abandonRequests(S: SimState, node: NodeState): void {
  for (const id in node.requests) markOp(S, node.requests[id]!.op, FAIL_DOWN);
  for (const rep of node.shards) {
    if (rep === null || rep === undefined) continue;
    for (const p of rep.pending) markOp(S, p.op, FAIL_DOWN);
    for (const r of rep.roundReads) markOp(S, r.op, FAIL_DOWN);
    for (const r of rep.waitingReads) markOp(S, r.op, FAIL_DOWN);
  }
}

function sweepTimeouts(sim: Sim, upTo: number): void {
  const { S, sc } = sim;
  const timeout = sc.workload.timeoutMs;
  const order = S.inflight;
  while (S.inflightHead < order.length) {
    const op = order[S.inflightHead]!;
    if (op !== null) {
      if (upTo !== NEVER && S.now < op.invoke + timeout) break;
      finishOp(sim, op, 'info', NEVER);
    }
    S.inflightHead++;
  }
  if (S.inflightHead > 4096) {
    S.inflight = order.slice(S.inflightHead);
    S.inflightBase += S.inflightHead;
    S.inflightHead = 0;
  }
}

function countStale(S: SimState, step: JudgeStep): void {
  for (const op of step.stale) {
    recordStale(S.metrics, op);
    if (op.node === undefined) continue;
    const node = S.nodes[op.node]!;
    node.staleServed++;
    noteStale(node, op);
  }
}

function onGlobalTick(sim: Sim): void {
  const { S, sc } = sim;
  sweepTimeouts(sim, S.now);
  // Every op invoked before the horizon has finished (timeouts are swept each tick).
  const horizon = S.now - sc.workload.timeoutMs - 2 * GLOBAL_TICK_MS;
  if (horizon > 0) {
    countStale(S, judgeAdvance(S.judge, horizon));
    closeWindowsBefore(S.metrics, horizon);
  }
  if (S.judgeCompactAt >= 0 && S.now >= S.judgeCompactAt) {
    S.judgeCompactAt = S.now + JUDGE_COMPACT_EVERY_MS;
    const held = heldValues(S);
    judgeCompact(S.judge, (v) => held[v] === 1, S.nextValue);
  }
  endFaults(S, HOOKS, false);
  for (const n of S.nodes) {
    syncSplit(S, n);
    if (n.status === 'recovering' && S.now >= n.recoverAt) {
      n.status = 'up';
      lfRecover(S, n, false);
      feed(S, 'recover', `Node ${n.id} is back up`, n.id);
    }
    if (n.status !== 'removed') S.cost += (n.size * GLOBAL_TICK_MS) / 1000;
  }
  if (S.now >= S.lb.probeAt) {
    // Health probes: the balancer learns who is up only once a second.
    S.lb.probeAt = S.now + 1000;
    for (const n of S.nodes) S.lb.healthy[n.id] = n.status === 'up';
    // Each region's balancer probes from where its clients are: a node behind a partition
    // fails the probe there, so the balancer stops sending that region's clients to it.
    const regions = sc.topology.regions.length;
    for (let r = 0; r < regions; r++) for (const n of S.nodes) S.lb.reach[r * LINKS + n.id] = clientReaches(S, r, n.id);
  }
  if (S.rebalance !== null && S.now >= S.rebalance.until) finishRebalance(sim);
}

function onNodeTick(sim: Sim): void {
  const { S, sc } = sim;
  const lf = S.settings.replication === 'leader-follower';
  for (const node of S.nodes) {
    if (node.status !== 'up') continue;
    const flood = floodWork(S, node, NODE_TICK_MS);
    if (flood > 0) {
      S.counters.floodRequests += flood;
      // Rate-limited flood requests are turned away cheaply at the door.
      const units = node.rateLimited ? flood * 0.05 : flood;
      if (node.rateLimited) S.counters.rateLimited += flood;
      const start = node.busyUntil > S.now ? node.busyUntil : S.now;
      node.busyUntil = start + units * serviceMs(sc, node);
    }
    if (lf) lfTick(S, sc, node);
    else llTick(S, sc, node);
  }
}

/**
 * Final reads per slice: reading a key back and judging it takes some µs. Unlike the other
 * pieces of the closing, this size shows in the result: each slice's judging leaves the
 * judge's tables as they then stand, which the state hash reads, so another size changes
 * every recorded round's summary.
 */
const FINAL_READS_PER_SLICE = 500;

/**
 * Read every written key's converged value straight from the healed cluster, and judge them
 * a slice of keys at a time: each slice's reads are judged (with everything before them)
 * before the next slice's are recorded — the order one flush would take, since the reads
 * come one ms apart after all of the round's operations.
 */
function* finalReadSteps(sim: Sim): Generator<void, void, void> {
  const { S } = sim;
  let t = S.now;
  let n = 0;
  for (let k = 0; k < S.keyShard.length; k++) {
    if (!judgeKeyTouched(S.judge, k)) continue;
    const op: OpRecord = {
      id: S.nextOp++,
      process: FINAL_PROCESS,
      key: k,
      f: 0,
      value: visibleValue(convergedVersions(S, k)),
      invoke: t,
      complete: t + 0.5,
      type: 'ok',
      region: 0,
      final: true,
    };
    t += 1;
    judgeRecord(S.judge, op);
    if (sim.log !== null) sim.log.push(op);
    countWork(1);
    if (++n % FINAL_READS_PER_SLICE === 0) {
      // Every event before t is recorded: the next read is invoked at t.
      countStale(S, judgeAdvance(S.judge, t));
      yield;
    }
  }
  S.now = t;
}

/** What the healed cluster holds for a key: the leader's copy, or the merge of replicas. */
export function convergedVersions(S: SimState, key: number): Version[] | null {
  const pl = S.shards[S.keyShard[key]!]!;
  if (S.settings.replication === 'leader-follower') {
    const leader = pl.leader >= 0 ? S.nodes[pl.leader] : undefined;
    const rep = leader?.shards[S.keyShard[key]!] ?? null;
    if (leader !== undefined && leader.status === 'up' && rep !== null && rep.role === 'leader') return leader.store[key] ?? null;
    let best: Version | null = null;
    for (const r of pl.replicas) {
      const v = newest(S.nodes[r]!.store[key] ?? null, true);
      if (v !== null && (best === null || (v.ep > best.ep || (v.ep === best.ep && v.sq > best.sq)))) best = v;
    }
    return best === null ? null : [best];
  }
  const useVectors = S.settings.conflictResolution === 'version-vectors';
  const out: { list: Version[] | null } = { list: null };
  let merged: Version[] | null = null;
  for (const r of pl.replicas) {
    mergeVersions(merged, S.nodes[r]!.store[key] ?? null, useVectors, out);
    merged = out.list;
  }
  return merged;
}

/** Begin moving shards to match new settings or membership; it takes time and bandwidth. */
export function startRebalance(sim: Sim, next: ClusterSettings): void {
  const { S, sc } = sim;
  const live = S.nodes.filter((n) => n.status !== 'removed' && !pendingRemoval(S, n.id)).map((n) => ({ id: n.id, region: n.region }));
  const rf = Math.min(next.replicationFactor, live.length);
  const keyShard = assignKeys(sc.workload.keys, next.shardCount);
  const sets = placeShards(live, next.shardCount, rf, next.placement);
  let moved = 0;
  for (let k = 0; k < keyShard.length; k++) {
    const before = S.shards[S.keyShard[k]!]!.replicas;
    for (const r of sets[keyShard[k]!]!) if (!before.includes(r)) moved++;
  }
  const durationMs = 1000 + moved * 2;
  S.rebalance = { until: S.now + durationMs, settings: { ...next }, movedKeys: moved };
  S.counters.bytesMoved += moved * 256;
  feed(S, 'rebalance', `Rebalancing: ${moved} key copies move, about ${(durationMs / 1000).toFixed(1)} s`);
}

/** Nodes being removed leave at the end of the rebalance that moves their shards away. */
function pendingRemoval(S: SimState, id: number): boolean {
  return S.removing.includes(id);
}

function finishRebalance(sim: Sim): void {
  const { S, sc } = sim;
  const next = S.rebalance!.settings;
  for (const id of S.removing) {
    const n = S.nodes[id]!;
    n.status = 'removed';
    n.incarnation++;
    n.store = new Array(n.store.length).fill(null);
  }
  S.removing = [];
  // Hand each key's newest copy to the replicas that are new to it, then switch placement.
  const before = S.keyShard.map((_, k) => convergedVersions(S, k));
  const oldFamily = S.settings.replication;
  S.settings = likeLiteral({ ...S.settings, ...next });
  installPlacement(S, sc, S.settings);
  for (let k = 0; k < S.keyShard.length; k++) {
    for (const r of S.shards[S.keyShard[k]!]!.replicas) {
      const node = S.nodes[r]!;
      const out: { list: Version[] | null } = { list: null };
      mergeVersions(node.store[k] ?? null, before[k] ?? null, S.settings.conflictResolution === 'version-vectors' && S.settings.replication === 'leaderless', out);
      node.store[k] = oldFamily === S.settings.replication && S.settings.replication === 'leader-follower' ? before[k] ?? null : out.list;
    }
  }
  S.rebalance = null;
  feed(S, 'rebalance', 'Rebalancing finished');
}
