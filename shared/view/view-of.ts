// The round view every screen and the map read: a plain, parsed copy of a room's state (the
// Colyseus schema a client receives, or a replay's plain state), made once per frame.
// Screens never read the state itself, so they can be tested (and screenshotted) with a
// view built by hand.

import { runnableScenario } from '../scenarios/index.js';
import { atDifficulty, isDifficulty } from '../scenarios/difficulty.js';
import type { ClusterSettings } from '../scenarios/settings.js';
import type { DebriefJson } from '../protocol/room.js';
import { settingsOf } from './settings.js';
import type { ClusterStateFields, NodeV, PlayerV, RoundView } from './round.js';

/** A plain copy of the state. Cheap enough for every frame: a cluster has ≤ 15 nodes. */
export function roundViewOf(state: ClusterStateFields, me: string): RoundView {
  const nodes: NodeV[] = [];
  for (const n of state.nodes) {
    nodes.push({
      id: n.id,
      region: n.region,
      status: n.status,
      slow: n.slow,
      leaderOf: n.leaderOf,
      replicaOf: n.replicaOf,
      electable: n.electable,
      ownerId: n.ownerId,
      owner: n.owner,
      botControlled: n.botControlled,
      size: n.size,
      queue: n.queue,
      load: n.load,
      utilization: n.utilization,
      // The wire carries a string: anything but 'serve' is the safe stance.
      stance: n.stance === 'serve' ? 'serve' : 'refuse',
      drained: n.drained,
      rateLimited: n.rateLimited,
      flooded: n.flooded,
      group: n.group,
      clockOffset: n.clockOffset,
      versions: Array.from(n.versions),
      siblings: Array.from(n.siblings),
      split: n.split,
      splitMinority: n.splitMinority,
      splitSeconds: n.splitSeconds,
      splitReads: n.splitReads,
      splitStale: n.splitStale,
      splitWrites: n.splitWrites,
      splitRefused: n.splitRefused,
    });
  }
  const players: PlayerV[] = [];
  state.players.forEach((p) => {
    players.push({
      id: p.id,
      nickname: p.nickname,
      node: p.node,
      connected: p.connected,
      isBot: p.isBot,
      actions: p.actions,
      served: p.served,
      contribution: p.contribution,
      anomalies: p.anomalies,
    });
  });
  const mine = players.find((p) => p.id === me);
  const v = state.vote;
  const ballots: Record<string, boolean> = {};
  v.ballots.forEach((agree, key) => {
    ballots[key] = agree;
  });
  const m = state.measures;
  const b = state.errorBudget;
  const net = state.network;
  // An older server sends no difficulty: its rounds are normal ones.
  const difficulty = isDifficulty(state.difficulty) ? state.difficulty : 'normal';
  // A replay of a round played under a retired revision shows that revision's promises.
  const base = runnableScenario(state.scenario);
  return {
    phase: state.phase,
    phaseSecondsLeft: state.phaseSecondsLeft,
    simMs: state.simMs,
    durationMs: state.durationMs,
    scenarioId: state.scenario,
    // The SLA and budget the round is judged by are the scenario's at this difficulty.
    scenario: base === undefined ? undefined : atDifficulty(base, difficulty),
    preset: state.preset,
    chaos: state.chaos,
    difficulty,
    seed: state.seed,
    isPrivate: state.isPrivate,
    seats: state.seats,
    nodes,
    players,
    hotKeys: Array.from(state.hotKeys),
    network: {
      partitioned: net.partitioned,
      partitionKind: net.partitionKind,
      latencySpikeMs: net.latencySpikeMs,
      messageLoss: net.messageLoss,
      rebalancing: net.rebalancing,
      rebalanceUntil: net.rebalanceUntil,
    },
    faults: Array.from(state.faults, (f) => ({ kind: f.kind, target: f.target, magnitude: f.magnitude, until: f.until })),
    measures: {
      availability: m.availability,
      nines: m.nines,
      p50: m.p50,
      p95: m.p95,
      p99: m.p99,
      throughput: m.throughput,
      requests: m.requests,
      staleReads: m.staleReads,
      lostWrites: m.lostWrites,
      cost: m.cost,
      budget: m.budget,
      score: m.score,
    },
    errorBudget: { target: b.target, allowed: b.allowed, spent: b.spent, left: b.left, burnRate: b.burnRate, recentCause: b.recentCause, runsOutInS: b.runsOutInS },
    windows: Array.from(state.windows, (w) => ({ t: w.t, availability: w.availability, p99: w.p99, throughput: w.throughput, staleReads: w.staleReads, requests: w.requests })),
    feed: Array.from(state.feed, (f) => ({ t: f.t, kind: f.kind, text: f.text, node: f.node })),
    settings: settingsOf(state.settings),
    vote: {
      id: v.id,
      status: v.status,
      proposal: parseJson<Partial<ClusterSettings>>(v.proposal) ?? {},
      proposer: v.proposer,
      yes: v.yes,
      no: v.no,
      electorate: v.electorate,
      needed: v.needed,
      secondsLeft: v.secondsLeft,
      ballots,
    },
    debrief: parseJson<DebriefJson>(state.debrief),
    notice: state.notice,
    replayId: state.replayId ?? '',
    me,
    myNode: mine?.node ?? -1,
  };
}

// Parsing the same string every frame would be wasteful: remember the last few.
const jsonCache = new Map<string, unknown>();
function parseJson<T>(s: string): T | null {
  if (s === '') return null;
  if (jsonCache.has(s)) return jsonCache.get(s) as T;
  let value: unknown = null;
  try {
    value = JSON.parse(s);
  } catch {
    value = null;
  }
  if (jsonCache.size > 8) jsonCache.clear();
  jsonCache.set(s, value);
  return value as T;
}
