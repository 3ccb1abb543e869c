// The connection to a class's `session` room: find a class by its join code, join it as a
// student or as its host, send the host's orders and a student's poll answers. Every
// refusal comes back as a sentence for the person at the screen, never as an exception.

import { Client, type Room } from 'colyseus.js';
import { SESSION_MSG, type HostAction, type KickedMessage, type PollAnswer, type SessionSettings, type SessionWelcome } from '../../../shared/protocol/session.js';
import type { SessionStateFields as SessionState } from '../../../shared/view/session.js';
import type { ErrorMessage } from '../../../shared/protocol/messages.js';
import type { ConceptId } from '../../../shared/lessons/cards.js';
import { normalizeJoinCode } from '../../../shared/session/codes.js';
import { serverEndpoint } from '../net.js';
import { CLASS_COMEBACK_MS, keepTrying, tryClassComeback } from '../reconnect.js';
import { hostKey, playerKey } from './keys.js';

export type SessionRoom = Room<SessionState>;
export type { SessionState };

export type Found = { ok: true; roomId: string; code: string } | { ok: false; error: string };

/** Where a join code leads (GET /api/sessions/<code>). */
export async function findClass(typed: string): Promise<Found> {
  const code = normalizeJoinCode(typed);
  if (code === null) return { ok: false, error: 'A join code is 6 letters and digits, like the one on your teacher\'s screen (for example K7MQ3X).' };
  let res: Response;
  try {
    res = await fetch(`${serverEndpoint()}/api/sessions/${code}`, { headers: { accept: 'application/json' } });
  } catch {
    return { ok: false, error: 'Could not reach the game server. Check your connection and try again.' };
  }
  const body = (await res.json().catch(() => ({}))) as { roomId?: unknown; error?: unknown };
  if (res.ok && typeof body.roomId === 'string') return { ok: true, roomId: body.roomId, code };
  if (res.status === 404) return { ok: false, error: `No class is open with the code ${code}. Check the code on your teacher's screen: letters like O, I, S and Z are never used.` };
  if (res.status === 429) {
    const wait = Number(res.headers.get('Retry-After') ?? '60');
    return { ok: false, error: `Too many wrong codes were tried from here. Wait ${waitWords(wait)}, then try again.` };
  }
  return { ok: false, error: typeof body.error === 'string' ? `The server said: ${body.error}.` : `The server could not look the code up (error ${res.status}). Try again.` };
}

/** Handlers a screen gives a session room; all optional. */
export interface SessionEvents {
  welcome?(w: SessionWelcome): void;
  error?(e: ErrorMessage): void;
  card?(card: ConceptId): void;
  kicked?(reason: string): void;
}

export async function joinAsStudent(client: Client, roomId: string, code: string, nickname: string, on: SessionEvents): Promise<SessionRoom> {
  return listen(await client.joinById<SessionState>(roomId, { code, nickname, playerKey: playerKey() }), on);
}

export async function createAsHost(client: Client, settings: Partial<SessionSettings>, on: SessionEvents): Promise<SessionRoom> {
  return listen(await client.create<SessionState>('session', { hostKey: hostKey(), settings }), on);
}

/** Back into a class this browser hosts (a reload, or the projector window). */
export async function joinAsHost(client: Client, roomId: string, on: SessionEvents): Promise<SessionRoom> {
  return listen(await client.joinById<SessionState>(roomId, { hostKey: hostKey() }), on);
}

/**
 * Back into the class after its connection dropped (its server process may have stopped,
 * and another one hosts the class again a few seconds later): the room, or why not.
 * `stopped` ends the tries early (the page moved on).
 */
export async function backIntoClass(code: string, as: { host: true } | { nickname: string }, on: SessionEvents, stopped: () => boolean = () => false): Promise<SessionRoom | string> {
  const options = 'host' in as ? { hostKey: hostKey() } : { code, nickname: as.nickname, playerKey: playerKey() };
  const tried = await keepTrying((_n) => tryClassComeback<SessionState>(classClient(), { endpoint: serverEndpoint(), code, options }), {
    until: Date.now() + CLASS_COMEBACK_MS,
    now: Date.now,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    stopped,
  });
  return 'room' in tried ? listen(tried.room, on) : tried.gaveUp;
}

export function sendHost(room: SessionRoom, action: HostAction): void {
  room.send(SESSION_MSG.host, action);
}

export function sendAnswer(room: SessionRoom, poll: number, choice: number): void {
  const msg: PollAnswer = { poll, choice };
  room.send(SESSION_MSG.answer, msg);
}

/** A refused join in words: the server's reason, with what to do about it. */
export function joinProblem(err: unknown): string {
  const said = err instanceof Error ? err.message : String(err);
  if (/removed you/.test(said)) return 'Your teacher removed you from this class. Ask them to let you back in, then try again.';
  if (/locked/.test(said)) return 'The class is locked: nobody new can join right now. Ask your teacher to unlock it.';
  if (/has started|not letting anyone/.test(said)) return 'The round has already started and your teacher is not letting anyone else in. Ask them to allow late joiners.';
  if (/full/.test(said)) return 'This class is full.';
  if (/not found|not exist|expired/.test(said)) return 'This class has ended, or the code is out of date. Check the code on your teacher\'s screen.';
  if (/join code/.test(said)) return 'That join code belongs to another class. Check the code on your teacher\'s screen.';
  if (/nickname/.test(said)) return 'That name is too long: at most 20 letters and digits.';
  if (/Failed to fetch|NetworkError|ECONNREFUSED|WebSocket/i.test(said)) return 'Could not reach the game server. Check your connection and try again.';
  return `Could not join: ${said}`;
}

/** Seconds as a reader says them: "45 seconds", "about 2 minutes". */
export function waitWords(s: number): string {
  const t = Math.max(1, Math.round(Number.isFinite(s) ? s : 60));
  if (t < 90) return `${t} second${t === 1 ? '' : 's'}`;
  return `about ${Math.round(t / 60)} minutes`;
}

function listen(room: SessionRoom, on: SessionEvents): SessionRoom {
  room.onMessage('welcome', (w: SessionWelcome) => on.welcome?.(w));
  room.onMessage(SESSION_MSG.error, (e: ErrorMessage) => on.error?.(e));
  room.onMessage(SESSION_MSG.card, (m: { card: ConceptId }) => on.card?.(m.card));
  room.onMessage(SESSION_MSG.kicked, (m: KickedMessage) => on.kicked?.(m.reason));
  return room;
}

/** One client per page for the class's rooms (the round screens keep their own). */
let shared: Client | null = null;
export function classClient(): Client {
  shared ??= new Client(serverEndpoint());
  return shared;
}
