// The connection to the game server: matchmaking, the `cluster` room, the lobby's room list,
// and the messages a player sends. Everything a player does goes through here as a typed
// command or vote; the server validates it and answers errors with an `error` message.

import { Client, type Room, type RoomAvailable } from 'colyseus.js';
import type { Command } from '../../shared/protocol/commands.js';
import { MSG, TUTORIAL_STEP_MSG, type CommandMessage, type ErrorMessage, type RoomEventMessage, type TutorialStepMessage, type VoteMessage } from '../../shared/protocol/messages.js';
import type { ClusterRoomMetadata, ClusterRoomOptions } from '../../shared/protocol/room.js';
import { RECONNECT_SECONDS } from '../../shared/protocol/rejoin.js';
import type { ClusterSettings } from '../../shared/scenarios/settings.js';
import type { ClusterStateFields } from '../../shared/view/round.js';
import { keepTrying, tryComeback } from './reconnect.js';

export type ClusterRoom = Room<ClusterStateFields>;
export type ListedRoom = RoomAvailable<ClusterRoomMetadata>;

const RECONNECT_KEY = 'splitbrain.reconnect';
const PLAYER_KEY = 'splitbrain.playerKey';
const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * This browser's player key: random, made once and kept, sent with every join so the
 * server can list "my rounds" later without an account. It is a secret of sorts (whoever
 * has it sees the list), so it never appears on screen or in a link.
 */
export function playerKey(): string {
  let key: string | null = null;
  try {
    key = localStorage.getItem(PLAYER_KEY);
  } catch {
    key = null;
  }
  if (key !== null && /^[A-Za-z0-9_-]{32}$/.test(key)) return key;
  // 64 symbols: a byte's low six bits pick one evenly.
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  key = Array.from(bytes, (b) => KEY_ALPHABET[b & 63]).join('');
  try {
    localStorage.setItem(PLAYER_KEY, key);
  } catch {
    // Storage refused (private mode): the key lasts as long as the page.
  }
  return key;
}

/** Join options every join or create of the `cluster` room carries. */
function identity(nickname: string): { nickname: string; playerKey: string } {
  return { nickname, playerKey: playerKey() };
}

/** Where the game server is: the page's own origin, or the dev server's proxy, or ?server=. */
export function serverEndpoint(): string {
  const fromQuery = new URLSearchParams(location.search).get('server');
  if (fromQuery !== null && /^(https?|wss?):\/\//.test(fromQuery)) return fromQuery;
  const base = `${location.protocol}//${location.host}`;
  return import.meta.env.DEV ? `${base}/colyseus` : base;
}

/** Room options a test or a teacher may put in the page's URL (the server validates them). */
const URL_OPTIONS = ['scenario', 'preset', 'chaos', 'difficulty', 'seed', 'roundSeconds', 'lobbySeconds', 'briefingSeconds', 'setupSeconds', 'debriefSeconds', 'voteSeconds'] as const;

export function optionsFromUrl(): Partial<ClusterRoomOptions> {
  const q = new URLSearchParams(location.search);
  const out: Record<string, string | number> = {};
  for (const k of URL_OPTIONS) {
    const v = q.get(k);
    if (v === null || v === '') continue;
    out[k] = /^\d+$/.test(v) ? Number(v) : v;
  }
  return out as Partial<ClusterRoomOptions>;
}

export interface ConnectionEvents {
  onError(e: ErrorMessage): void;
  onEvent(e: RoomEventMessage): void;
  onLeave(code: number): void;
}

export class Connection {
  readonly client = new Client(serverEndpoint());
  room: ClusterRoom | null = null;
  private nextRef = 1;
  /** Bumped whenever the page joins or leaves a room: a comeback from an earlier one is stale. */
  private era = 0;
  /** Command refs sent, by ref: the tutorial and the action panel learn which ones failed. */
  readonly sent = new Map<number, { type: string; at: number; failed: boolean }>();

  constructor(private readonly events: ConnectionEvents) {
    // A reload or a closed tab drops the connection without onLeave: the seat is kept from now.
    addEventListener('pagehide', () => {
      if (this.room !== null) windowFrom(RECONNECT_SECONDS * 1000);
    });
  }

  /** A public round of the scenario at the difficulty: only rooms of that difficulty match (the server filters by both). */
  async quickPlay(nickname: string, scenario: string, difficulty = 'normal'): Promise<ClusterRoom> {
    return this.attach(await this.client.joinOrCreate<ClusterStateFields>('cluster', { ...identity(nickname), scenario, difficulty, ...optionsFromUrl() }));
  }

  async solo(nickname: string, scenario: string, extra: Partial<ClusterRoomOptions> = {}): Promise<ClusterRoom> {
    const options: ClusterRoomOptions & { playerKey: string } = { ...identity(nickname), scenario, private: true, lobbySeconds: 0, ...extra, ...optionsFromUrl() };
    if (options.scenario === undefined) options.scenario = scenario;
    return this.attach(await this.client.create<ClusterStateFields>('cluster', options));
  }

  async joinById(roomId: string, nickname: string): Promise<ClusterRoom> {
    return this.attach(await this.client.joinById<ClusterStateFields>(roomId, identity(nickname)));
  }

  /**
   * Back into the room this tab was in (after a reload or a dropped connection), if any:
   * trying again and again (reconnect.ts) while the room keeps the seat. `onRetry` hears of
   * each failed try that will be tried again. Null when there is no way back.
   */
  async resume(onRetry?: (tries: number) => void): Promise<ClusterRoom | null> {
    const kept = keptRound();
    if (kept === null) return null;
    const era = this.era;
    const tried = await keepTrying((_n) => tryComeback<ClusterStateFields>(this.client, { roomId: roomIdOf(kept.token), token: kept.token, playerKey: playerKey() }), {
      // A token kept without a window (the page went away without saying so): one try.
      until: kept.until ?? 0,
      now: () => Date.now(),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      stopped: () => this.era !== era,
      onRetry: (tries) => onRetry?.(tries),
    });
    if (this.era !== era) {
      // The page went on without it (the player left, or a class took them to a room): let a late comeback go.
      if ('room' in tried) void tried.room.leave(true).catch(() => undefined);
      return null;
    }
    if ('room' in tried) return this.attach(tried.room);
    keepRound(null);
    return null;
  }

  send(command: Command): number {
    const ref = this.nextRef++;
    this.remember(ref, command.type);
    const msg: CommandMessage = { command, ref };
    this.room?.send(MSG.command, msg);
    return ref;
  }

  /** A vote; recorded like a 'configure' command, which is what a passed vote becomes. */
  vote(proposal: Partial<ClusterSettings>, agree: boolean): number {
    const ref = this.nextRef++;
    this.remember(ref, 'configure');
    const msg: VoteMessage = { proposal, agree, ref };
    this.room?.send(MSG.vote, msg);
    return ref;
  }

  private remember(ref: number, type: string): void {
    this.sent.set(ref, { type, at: Date.now(), failed: false });
    if (this.sent.size > 100) this.sent.delete(this.sent.keys().next().value!);
  }

  ready(): void {
    this.room?.send(MSG.ready, {});
  }

  /** The tutorial player reached a step (server/rooms/tutorial.ts strikes its fault). */
  tutorialStep(step: string): void {
    const msg: TutorialStepMessage = { step };
    this.room?.send(TUTORIAL_STEP_MSG, msg);
  }

  async leave(): Promise<void> {
    this.era++;
    keepRound(null);
    const room = this.room;
    this.room = null;
    if (room !== null) {
      room.removeAllListeners();
      await room.leave(true).catch(() => undefined);
    }
  }

  private attach(room: ClusterRoom): ClusterRoom {
    this.era++;
    this.room = room;
    keepRound({ token: room.reconnectionToken, until: null });
    room.onMessage(MSG.error, (e: ErrorMessage) => {
      if (e.ref !== undefined) {
        const s = this.sent.get(e.ref);
        if (s) s.failed = true;
      }
      this.events.onError(e);
    });
    room.onMessage(MSG.event, (e: RoomEventMessage) => this.events.onEvent(e));
    room.onLeave((code) => {
      // A room the page has since replaced (a class took the player to a new connection) is not its connection.
      if (this.room !== null && this.room !== room) return;
      this.room = null;
      // 1000 is a leave the player asked for; 4000 and up a close the server meant (the room
      // closed, a kick, the same player elsewhere): one try, as nothing is kept. Anything
      // else is a dropped connection: the room keeps the seat, and the token, for the window.
      if (code === 1000) keepRound(null);
      else windowFrom(code >= 4000 ? 0 : RECONNECT_SECONDS * 1000);
      this.events.onLeave(code);
    });
    return room;
  }
}

/** The round this tab is in or was dropped from: its last token, and until when its seat is kept (null: still connected). */
interface KeptRound {
  token: string;
  until: number | null;
}

function keptRound(): KeptRound | null {
  let raw: string | null = null;
  try {
    raw = sessionStorage.getItem(RECONNECT_KEY);
  } catch {
    return null;
  }
  if (raw === null) return null;
  try {
    const v = JSON.parse(raw) as Partial<KeptRound>;
    if (typeof v.token === 'string' && (typeof v.until === 'number' || v.until === null)) return { token: v.token, until: v.until };
  } catch {
    // An older page kept the bare token.
  }
  return /^[\w-]+:[\w-]+$/.test(raw) ? { token: raw, until: null } : null;
}

function keepRound(k: KeptRound | null): void {
  try {
    if (k === null) sessionStorage.removeItem(RECONNECT_KEY);
    else sessionStorage.setItem(RECONNECT_KEY, JSON.stringify(k));
  } catch {
    // Storage refused: a reload will not find the round, the page itself still can.
  }
}

/** The connection dropped now: the kept round's window ends `ms` from now. */
function windowFrom(ms: number): void {
  const kept = keptRound();
  if (kept !== null) keepRound({ ...kept, until: Date.now() + ms });
}

function roomIdOf(token: string): string {
  return token.split(':')[0] ?? '';
}

/**
 * The list of open public rounds, from the server's lobby room. Calls `update` with the
 * whole list on every change; resolves to a stop function, or null when there is no lobby.
 */
export async function watchRooms(client: Client, update: (rooms: ListedRoom[]) => void): Promise<(() => void) | null> {
  let lobby: Room;
  try {
    lobby = await client.joinOrCreate('lobby');
  } catch {
    return null;
  }
  let rooms: ListedRoom[] = [];
  const publish = () => update(rooms.filter((r) => r.name === 'cluster'));
  lobby.onMessage('rooms', (list: ListedRoom[]) => {
    rooms = list;
    publish();
  });
  lobby.onMessage('+', ([roomId, room]: [string, ListedRoom]) => {
    const i = rooms.findIndex((r) => r.roomId === roomId);
    if (i >= 0) rooms[i] = room;
    else rooms.push(room);
    publish();
  });
  lobby.onMessage('-', (roomId: string) => {
    rooms = rooms.filter((r) => r.roomId !== roomId);
    publish();
  });
  return () => {
    lobby.removeAllListeners();
    void lobby.leave(true).catch(() => undefined);
  };
}
