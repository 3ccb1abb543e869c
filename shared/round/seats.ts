// Seats: every node of the cluster has one. A person holds it (connected, or away and
// expected back), a bot operates it while nobody does, and what the roster shows of each
// is a row (the room copies rows into its schema as they change). A player who leaves
// hands their node to a bot; one who comes back (reconnecting, or a class's student on a
// new connection) takes it back.

import { createBotMemory, type BotMemory } from '../bots/node-bot.js';
import type { Phase } from '../protocol/messages.js';
import type { Sim } from '../sim/engine.js';
import type { SimState } from '../sim/state.js';
import { actorKey, botActor, botName, parseActor, type Actor } from './actor.js';
import { creditServed, shareOf } from './contributions.js';
import type { RoundEffect } from './effects.js';
import type { BotSeat } from './runner.js';
import { SEAT_STYLE_OF, STYLES } from '../bots/policies.js';
import type { PlayerViewFields } from '../view/round.js';
import { uniqueNickname } from '../protocol/player.js';

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
  /** Requests improved by their actions that helped (shared/round/credits.ts), at the round's end. */
  bonus: number;
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
  bonus: number;
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

/** Who holds a seat, as a recording's roster names them (shared/replay/recording.ts RosterEntry). */
export interface SeatHolder {
  /** The holder's actor key: a player's key, or `bot-<node>`. */
  id: string;
  nickname: string;
  node: number;
  isBot: boolean;
}

/** One entry of the roster as screens and the debrief show it (the view's player). */
export type PlayerRow = PlayerViewFields;

/** Who a node's screen names as its operator ('' when nobody). */
export interface OwnerRow {
  ownerId: string;
  owner: string;
  botControlled: boolean;
}

/** What the seats need to know of the round around them. */
export interface SeatContext {
  readonly sim: Sim;
  readonly phase: Phase;
  readonly tick: number;
  emit(e: RoundEffect): void;
  roomEvent(kind: string, text: string, node?: number): void;
}

export class Seating {
  private readonly people = new Map<string, Person>();
  private readonly seats: Seat[] = [];
  /** The roster as screens show it, in the order it was filled. */
  private readonly rows = new Map<string, PlayerRow>();
  /** Nodes the screens have (projected so far): owners are shown only for those. */
  private shownNodes = 0;
  /** Who the recording last saw on each seat, to record only real changes. */
  private rosterSeen: string[] = [];

  constructor(private readonly r: SeatContext) {}

  get everyone(): Iterable<Person> {
    return this.people.values();
  }

  /** The roster's rows, in order (the debrief lists them so). */
  get shown(): Iterable<PlayerRow> {
    return this.rows.values();
  }

  get(key: string): Person | undefined {
    return this.people.get(key);
  }

  /** Connected human players. */
  humans(): number {
    let n = 0;
    for (const p of this.people.values()) if (p.connected && !p.bot) n++;
    return n;
  }

  /** Who may vote: connected human players holding a seat. */
  electorate(): Set<string> {
    const out = new Set<string>();
    for (const p of this.people.values()) if (p.connected && !p.bot && p.node >= 0) out.add(p.key);
    return out;
  }

  /** Every seat of the first `count` is held. */
  full(count: number): boolean {
    return this.seats.slice(0, count).every((s) => s.holder !== null);
  }

  hasFreeSeat(): boolean {
    return freeSeat(this.seats, this.r.sim.S) >= 0;
  }

  /** Someone new: on the first free seat, or watching (node -1) when none is free. */
  add(key: string, wanted: string, bot: boolean, playerKey: string | null): Person {
    const node = freeSeat(this.seats, this.r.sim.S);
    const taken = new Set([...this.people.values()].map((p) => p.nickname.toLowerCase()));
    const nickname = uniqueNickname(wanted !== '' ? wanted : `Player ${node + 1}`, taken);
    const person = newPerson(key, nickname, bot, playerKey);
    this.people.set(key, person);
    if (node < 0) {
      this.syncPerson(person);
      this.r.roomEvent('player', `${nickname} joined; every node has an operator, so they watch and vote`);
    } else {
      this.take(node, person);
      this.r.roomEvent('player', `${nickname} joined and runs node ${node}`, node);
    }
    return person;
  }

  /** A student who left (or reloads) takes their person, and so their node, back; false if there is none. */
  rejoin(key: string, playerKey: string, nickname: string): boolean {
    const person = [...this.people.values()].find((p) => p.playerKey === playerKey && !p.bot);
    if (person === undefined) return false;
    if (person.connected) this.r.emit({ type: 'disconnect', key: person.key, code: 4000 });
    const oldKey = person.key;
    this.people.delete(oldKey);
    this.dropRow(oldKey);
    person.key = key;
    person.connected = true;
    person.kicked = false;
    if (nickname !== '') person.nickname = nickname;
    this.people.set(key, person);
    for (const seat of this.seats) if (seat.holder === oldKey) seat.holder = key;
    if (person.node < 0) {
      const node = freeSeat(this.seats, this.r.sim.S);
      if (node >= 0) this.take(node, person);
    } else if (this.seats[person.node]?.holder !== key) {
      if (this.seats[person.node]?.holder === null) this.take(person.node, person);
      else person.node = -1;
    }
    this.syncPerson(person);
    if (person.node >= 0) this.syncOwner(person.node);
    this.r.roomEvent('player', `${person.nickname} is back${person.node >= 0 ? ` on node ${person.node}` : ''}`, person.node);
    return true;
  }

  /** Their connection closed (or came back): the seat stays theirs, a bot runs it meanwhile. */
  setConnected(person: Person, connected: boolean): void {
    person.connected = connected;
    if (!connected) person.ready = false;
    this.syncPerson(person);
    this.syncOwner(person.node);
  }

  /** The person leaves their seat for good: before the round it is free, after it a bot takes it. */
  release(person: Person): void {
    const node = person.node;
    const phase = this.r.phase;
    if (node >= 0 && this.seats[node]?.holder === person.key) this.seats[node]!.holder = null;
    person.node = -1;
    if (phase === 'lobby') {
      this.people.delete(person.key);
      this.dropRow(person.key);
    } else {
      this.syncPerson(person);
      if (node >= 0 && phase !== 'debrief') this.r.roomEvent('player', `${person.nickname} left; a bot runs node ${node}`, node);
    }
    if (node >= 0) {
      // After the round nobody needs to operate the node any more.
      if (phase !== 'lobby' && phase !== 'debrief') this.seatBot(node);
      this.syncOwner(node);
    }
  }

  rename(person: Person, nickname: string): void {
    person.nickname = nickname;
    this.syncPerson(person);
    if (person.node >= 0) this.syncOwner(person.node);
  }

  /** The person is done waiting; true when everyone connected is. */
  ready(person: Person): boolean {
    person.ready = true;
    const present = [...this.people.values()].filter((p) => p.connected);
    return present.length > 0 && present.every((p) => p.ready);
  }

  unready(): void {
    for (const p of this.people.values()) p.ready = false;
  }

  /** Bots on every seat nobody holds. */
  fillWithBots(): void {
    for (let i = 0; i < this.r.sim.S.nodes.length; i++) if (this.seat(i).holder === null && this.seats[i]!.bot === null) this.seatBot(i);
  }

  /** The screens now have the simulation's nodes: seat the new ones (scale-out) and show every owner. */
  showNodes(allOwners: boolean): void {
    const n = this.r.sim.S.nodes.length;
    this.shownNodes = Math.max(this.shownNodes, n);
    if (!allOwners) return;
    for (let i = this.seats.length; i < n; i++) this.seats.push(newSeat(undefined));
    for (let i = 0; i < n; i++) this.syncOwner(i);
  }

  /** New nodes (scale-out) get a seat with a bot at once. */
  seatNewNodes(): void {
    const n = this.r.sim.S.nodes.length;
    for (let i = this.seats.length; i < n; i++) this.seat(i);
    for (let i = 0; i < n; i++) if (this.seats[i]!.holder === null && this.seats[i]!.bot === null) this.seatBot(i);
  }

  /** Who holds each seat as the live phase begins (the recording's roster). */
  liveRoster(): SeatHolder[] {
    const roster = this.seats.map((seat, node) => {
      const p = seat.holder === null ? undefined : this.people.get(seat.holder);
      return p !== undefined ? { id: p.key, nickname: p.nickname, node, isBot: p.bot } : { id: actorKey(botActor(node)), nickname: botName(node), node, isBot: true };
    });
    this.rosterSeen = roster.map(rosterKey);
    return roster;
  }

  /** The nodes nobody runs now, for the runner's bots to look at (seating a bot where nobody sits). */
  *botSeats(): Generator<BotSeat> {
    const { S } = this.r.sim;
    for (let id = 0; id < S.nodes.length; id++) {
      const seat = this.seat(id);
      const holder = seat.holder === null ? undefined : this.people.get(seat.holder);
      if (holder !== undefined && holder.connected) continue;
      if (holder === undefined) this.seatBot(id);
      // An away player's node is kept running by a stand-in bot that has no seat of its own.
      const bot = seat.bot ?? (seat.bot = newSeatBot(id));
      // Seat bots play the style of the round's difficulty (policies.ts): easy bots react late.
      yield { node: id, memory: bot.memory, by: botActor(id), style: STYLES[SEAT_STYLE_OF[S.difficulty]] };
    }
  }

  /** A command of theirs was applied. */
  acted(by: Actor): void {
    if (by.kind === 'player') {
      const person = this.people.get(by.id);
      if (person === undefined) return;
      person.actions++;
      this.syncPerson(person);
    } else if (by.kind === 'bot') {
      const bot = this.seats[by.node]?.bot;
      if (bot !== undefined && bot !== null) bot.actions++;
    }
  }

  /** Points for the actions that helped (shared/round/credits.ts), to whoever took them. */
  award(credits: readonly { by: string; points: number }[]): void {
    for (const c of credits) {
      const person = this.people.get(c.by);
      if (person !== undefined) {
        person.bonus += c.points;
        continue;
      }
      const actor = parseActor(c.by);
      const bot = actor.kind === 'bot' ? this.seats[actor.node]?.bot : undefined;
      if (bot !== undefined && bot !== null) bot.bonus += c.points;
    }
  }

  /** Credit the requests served since last time, then refresh every contribution to `score`. */
  credit(score: () => number): void {
    for (let i = this.seats.length; i < this.r.sim.S.nodes.length; i++) this.seat(i);
    creditServed(this.r.sim.S, this.seats, this.people);
    const share = shareOf(score(), this.people.values(), this.seats, this.r.sim.sc.sla.maxStaleReads === 0);
    for (const p of this.people.values()) {
      p.contribution = share(p);
      this.syncPerson(p);
    }
    for (const s of this.seats) {
      if (s.bot === null || s.holder !== null) continue;
      const v = this.rows.get(s.bot.key);
      if (v === undefined) continue;
      v.served = s.bot.served;
      v.anomalies = s.bot.anomalies;
      v.contribution = Math.min(U16, share(s.bot));
      v.actions = Math.min(U16, s.bot.actions);
      this.r.emit({ type: 'player', row: { ...v } });
    }
  }

  private seat(node: number): Seat {
    while (this.seats.length <= node) this.seats.push(newSeat(this.r.sim.S.nodes[this.seats.length]));
    return this.seats[node]!;
  }

  private take(node: number, person: Person): void {
    const seat = this.seat(node);
    if (seat.bot !== null) {
      this.dropRow(seat.bot.key);
      seat.bot = null;
    }
    seat.holder = person.key;
    person.node = node;
    this.syncPerson(person);
    this.syncOwner(node);
  }

  private seatBot(node: number): void {
    const seat = this.seat(node);
    if (seat.holder !== null) return;
    if (seat.bot === null) seat.bot = newSeatBot(node);
    this.putRow(botRow(seat.bot, node, this.rows.get(seat.bot.key)));
    this.syncOwner(node);
  }

  private syncPerson(p: Person): void {
    this.putRow(personRow(p, this.rows.get(p.key)));
  }

  private putRow(row: PlayerRow): void {
    if (!this.rows.has(row.id)) this.rows.set(row.id, row);
    this.r.emit({ type: 'player', row: { ...row } });
  }

  private dropRow(id: string): void {
    this.rows.delete(id);
    this.r.emit({ type: 'player-gone', id });
  }

  private syncOwner(node: number): void {
    if (node < 0 || node >= this.shownNodes) return;
    const seat = this.seat(node);
    const holder = seat.holder === null ? undefined : this.people.get(seat.holder);
    let owner: OwnerRow;
    if (holder !== undefined) owner = { ownerId: holder.key, owner: holder.nickname, botControlled: !holder.connected };
    else if (seat.bot !== null) owner = { ownerId: seat.bot.key, owner: botName(node), botControlled: true };
    else owner = { ownerId: '', owner: '', botControlled: true };
    this.r.emit({ type: 'owner', node, owner });
    this.recordSeat({ id: owner.ownerId, nickname: owner.owner, node, isBot: holder === undefined || holder.bot || !holder.connected });
  }

  /** A seat changing hands in the live phase goes into the recording (the replay names who ran each node when). */
  private recordSeat(entry: SeatHolder): void {
    if (this.r.phase !== 'live' || entry.id === '') return;
    const key = rosterKey(entry);
    if (this.rosterSeen[entry.node] === key) return;
    this.rosterSeen[entry.node] = key;
    this.r.emit({ type: 'seat', tick: this.r.tick, entry });
  }
}

/** The roster's counters are 16-bit on the wire. */
const U16 = 65535;

function newPerson(key: string, nickname: string, bot: boolean, playerKey: string | null): Person {
  return { key, nickname, bot, playerKey, node: -1, connected: true, ready: false, actions: 0, served: 0, contribution: 0, anomalies: 0, bonus: 0, kicked: false };
}

function newSeat(n: { served: number; staleServed: number } | undefined): Seat {
  return { holder: null, bot: null, servedSeen: n?.served ?? 0, staleSeen: n?.staleServed ?? 0 };
}

function newSeatBot(node: number): SeatBot {
  return { key: actorKey(botActor(node)), memory: createBotMemory(), actions: 0, served: 0, anomalies: 0, bonus: 0 };
}

/** The first seat nobody holds on a node still in the cluster, or -1. */
function freeSeat(seats: readonly Seat[], S: SimState): number {
  return seats.findIndex((s, i) => i < S.nodes.length && s.holder === null && S.nodes[i]!.status !== 'removed');
}

function personRow(p: Person, row: PlayerRow | undefined): PlayerRow {
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
function botRow(bot: SeatBot, node: number, row: PlayerRow | undefined): PlayerRow {
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

function rosterKey(r: SeatHolder): string {
  return `${r.id}|${r.nickname}|${r.isBot ? 1 : 0}`;
}
