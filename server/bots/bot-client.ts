// A bot that plays through the real server as a colyseus.js client: it holds a seat like a
// browser does, reads only the state the server sends, decides with shared/bots/node-bot.ts
// and sends the same `command` messages a browser would. Used by `npm run bots` and the
// server benchmark.

import { Client, type Room } from 'colyseus.js';
import { botDecide, createBotMemory, type BotMemory, type BotView } from '../../shared/bots/node-bot.js';
import { MSG, type ErrorMessage, type ReadyMessage } from '../../shared/protocol/messages.js';
import { atDifficulty, isDifficulty } from '../../shared/scenarios/difficulty.js';
import { getScenario } from '../../shared/scenarios/index.js';
import { waitForState } from '../client-util.js';
import type { ClusterState } from '../rooms/schema.js';
import type { ClusterRoomOptions, DebriefJson } from '../../shared/protocol/room.js';

export interface BotPlayer {
  room: Room<ClusterState>;
  /** Commands sent and errors received. */
  sent: number;
  errors: ErrorMessage[];
  /** Resolves with the debrief once the round is over (rejects if the room closes first). */
  debrief: Promise<DebriefJson>;
  /** Start (or stop) sending `ready` in every phase before live. */
  hurry(on: boolean): void;
  stop(): Promise<void>;
}

export interface BotPlayerOptions {
  /** Create a room with these options, or join one by id. */
  create?: ClusterRoomOptions;
  roomId?: string;
  nickname: string;
  /** Send `ready` in every phase before live, so scripted rounds skip the waiting (see also hurry()). */
  hurry?: boolean;
  /** Longest the whole round may take before giving up, ms. */
  timeoutMs?: number;
  /** A class's scripted student: joins with a player key as a student, not as a bot (its results count). */
  playerKey?: string;
}

export async function startBotPlayer(endpoint: string, opts: BotPlayerOptions): Promise<BotPlayer> {
  const client = new Client(endpoint);
  const join = opts.playerKey !== undefined ? { nickname: opts.nickname, playerKey: opts.playerKey } : { nickname: opts.nickname, bot: true };
  const room = opts.create !== undefined
    ? await client.create<ClusterState>('cluster', { ...opts.create, ...join })
    : await client.joinById<ClusterState>(opts.roomId!, join);
  let hurry = opts.hurry === true;
  const player: BotPlayer = { room, sent: 0, errors: [], debrief: Promise.resolve(null as unknown as DebriefJson), hurry: () => {}, stop: async () => {} };
  room.onMessage(MSG.error, (m: ErrorMessage) => player.errors.push(m));
  room.onMessage(MSG.event, () => {});
  const memory: BotMemory = createBotMemory();
  let nextDecision = 1000;
  let readyFor = '';
  const act = (s: ClusterState) => {
    // Until the first full state arrives there is nothing to act on.
    if (s === undefined || typeof s.phase !== 'string') return;
    if (s.phase !== 'live') {
      if (hurry && s.phase !== 'debrief' && s.phase !== readyFor && readyFor !== 'never') {
        readyFor = s.phase;
        room.send(MSG.ready, { phase: s.phase } satisfies ReadyMessage);
      }
      return;
    }
    if (s.simMs < nextDecision) return;
    nextDecision = (Math.floor(s.simMs / 1000) + 1) * 1000;
    const me = s.players.get(room.sessionId);
    if (me === undefined || me.node < 0) return;
    const base = getScenario(s.scenario);
    if (base === undefined) return;
    // The scenario as played: its budget and promise scaled by the round's difficulty.
    const sc = atDifficulty(base, isDifficulty(s.difficulty) ? s.difficulty : 'normal');
    const cmd = botDecide(simView(s), me.node, memory, sc);
    if (cmd === null) return;
    player.sent++;
    room.send(MSG.command, { command: cmd, ref: player.sent });
  };
  room.onStateChange(act);
  player.debrief = waitForState(room, (s) => s.phase === 'debrief' && s.debrief !== '', opts.timeoutMs ?? 15 * 60_000, 'the debrief').then(
    (s) => JSON.parse(s.debrief) as DebriefJson,
  );
  player.debrief.catch(() => {});
  player.hurry = (on: boolean) => {
    hurry = on;
    if (on && room.state !== undefined) act(room.state);
  };
  player.stop = async () => {
    readyFor = 'never';
    room.removeAllListeners();
    if (room.connection.isOpen) await room.leave(true);
  };
  return player;
}

/**
 * The BotView that botDecide reads, rebuilt from what the server sends: each
 * node's id, region, status, size, queue and rate limiting; the floods in force; whether a
 * rebalance is under way; and the simulated time.
 */
export function simView(s: ClusterState): BotView {
  const view: BotView = {
    now: s.simMs,
    durationMs: s.durationMs,
    cost: s.measures.cost,
    nodes: s.nodes.map((n) => ({
      id: n.id, region: n.region, status: n.status, size: n.size, queue: n.queue, rateLimited: n.rateLimited,
      drained: n.drained, slow: n.slow, stance: n.stance, utilization: n.utilization, group: n.group, leaderOf: n.leaderOf,
    })),
    faults: s.faults.map((f) => ({ kind: f.kind, target: f.target, until: f.until, magnitude: f.magnitude })),
    rebalance: s.network.rebalancing ? { until: s.network.rebalanceUntil } : null,
  };
  return view;
}
