// Seats: every node of the cluster has one. A person holds it (connected, or away and
// expected back), a bot operates it while nobody does, and what the roster shows of each
// is a row (the room copies rows into its schema as they change).

import { createBotMemory, type BotMemory } from '../bots/node-bot.js';
import type { SimState } from '../sim/state.js';
import { actorKey, botActor, botName } from './actor.js';

/** Someone in the round (a browser or a bot client), by their key in the room. */
export interface Person {
  key: string;
  nickname: string;
  /** Joined as a scripted bot client. */
  bot: boolean;
  /** The browser's player key (lists this player's rounds), or null. */
  playerKey: string | null;
  /** The node whose seat they hold, or -1 (they watch and vote). */
  node: number;
  connected: boolean;
  ready: boolean;
  actions: number;
  served: number;
  contribution: number;
  /** Stale reads their node served while they ran it. */
  anomalies: number;
  /** Removed by the class's teacher: their seat is not kept for them. */
  kicked: boolean;
}

/** A server bot operating a seat nobody holds (or standing in for an away player). */
export interface SeatBot {
  key: string;
  memory: BotMemory;
  actions: number;
  served: number;
  anomalies: number;
}

export interface Seat {
  /** Key of the person holding the seat (connected, or away and expected back), or null. */
  holder: string | null;
  bot: SeatBot | null;
  /** node.served when last credited to whoever operated it. */
  servedSeen: number;
  /** node.staleServed likewise. */
  staleSeen: number;
}

/** One entry of the roster as screens and the debrief show it. */
export interface PlayerRow {
  id: string;
  nickname: string;
  node: number;
  connected: boolean;
  isBot: boolean;
  actions: number;
  served: number;
  contribution: number;
  anomalies: number;
}

/** Who a node's screen names as its operator ('' when nobody). */
export interface OwnerRow {
  ownerId: string;
  owner: string;
  botControlled: boolean;
}

/** The roster's counters are 16-bit on the wire. */
const U16 = 65535;

export function newPerson(key: string, nickname: string, bot: boolean, playerKey: string | null): Person {
  return { key, nickname, bot, playerKey, node: -1, connected: true, ready: false, actions: 0, served: 0, contribution: 0, anomalies: 0, kicked: false };
}

export function newSeat(n: { served: number; staleServed: number } | undefined): Seat {
  return { holder: null, bot: null, servedSeen: n?.served ?? 0, staleSeen: n?.staleServed ?? 0 };
}

export function newSeatBot(node: number): SeatBot {
  return { key: actorKey(botActor(node)), memory: createBotMemory(), actions: 0, served: 0, anomalies: 0 };
}

/** The first seat nobody holds on a node still in the cluster, or -1. */
export function freeSeat(seats: readonly Seat[], S: SimState): number {
  return seats.findIndex((s, i) => i < S.nodes.length && s.holder === null && S.nodes[i]!.status !== 'removed');
}

export function personRow(p: Person, row: PlayerRow | undefined): PlayerRow {
  const v = row ?? blankRow();
  v.id = p.key;
  v.nickname = p.nickname;
  v.node = p.node;
  v.connected = p.connected;
  v.isBot = p.bot;
  v.actions = Math.min(U16, p.actions);
  v.served = p.served;
  v.anomalies = p.anomalies;
  v.contribution = Math.min(U16, Math.max(0, p.contribution));
  return v;
}

/** A seat bot's row when it takes a seat (its contribution is refreshed with everyone's). */
export function botRow(bot: SeatBot, node: number, row: PlayerRow | undefined): PlayerRow {
  const v = row ?? blankRow();
  v.id = bot.key;
  v.nickname = botName(node);
  v.node = node;
  v.connected = true;
  v.isBot = true;
  v.actions = bot.actions;
  v.served = bot.served;
  v.anomalies = bot.anomalies;
  return v;
}

function blankRow(): PlayerRow {
  return { id: '', nickname: '', node: -1, connected: true, isBot: false, actions: 0, served: 0, contribution: 0, anomalies: 0 };
}
