// Getting back into a round after the connection dropped. The room keeps the seat for
// RECONNECT_SECONDS (shared/protocol/rejoin.ts) and the page keeps trying for as long,
// backing off (0.5, 1, 2, 4 s, then every 5 s): the first tries often come before the server
// has noticed the drop, or while the network is still down. Each try reconnects with the
// token the page kept; when there is none, or it is refused, the page asks the server for
// the seat kept for its player key and reconnects with the token it gets. A room that no
// longer exists ends the tries at once. No DOM and no storage here: the page (net.ts)
// keeps the token, and tests run this against a real server.

import type { Client, Room } from 'colyseus.js';
import { REJOIN_PATH, REJOIN_STATUS, type RejoinAnswer, type RejoinRequest } from '../../shared/protocol/rejoin.js';

/** What the page kept of the round it was in. */
export interface Comeback {
  roomId: string;
  /** The last reconnection token (`roomId:token`), or null when it was lost. */
  token: string | null;
  playerKey: string;
}

/** One try's outcome: back in, worth another try, or over for good (the round has ended). */
export type Try<T> = { room: T } | { retry: string } | { over: string };

/** How the tries went: the room, or why they stopped; and how many there were. */
export type Tried<T> = { room: T; tries: number } | { gaveUp: string; tries: number };

export interface RetryOptions {
  /** Stop trying after this time (the `now` clock's ms). */
  until: number;
  now(): number;
  sleep(ms: number): Promise<void>;
  /** True once trying is pointless (the player left, or entered another room). */
  stopped?(): boolean;
  /** After each failed try that will be tried again. */
  onRetry?(tries: number, why: string, waitMs: number): void;
}

export const FIRST_WAIT_MS = 500;
export const LONGEST_WAIT_MS = 5000;

/** The wait after the `failures`-th failed try: 0.5, 1, 2, 4, then 5 s. */
export function backoffMs(failures: number): number {
  return Math.min(LONGEST_WAIT_MS, FIRST_WAIT_MS * 2 ** Math.max(0, failures - 1));
}

/** Try `attempt` until it gets back in, the round is over, trying stops, or time is up. */
export async function keepTrying<T>(attempt: (tries: number) => Promise<Try<T>>, o: RetryOptions): Promise<Tried<T>> {
  let tries = 0;
  for (;;) {
    if (o.stopped?.() === true) return { gaveUp: 'stopped', tries };
    tries++;
    const r = await attempt(tries);
    if ('room' in r) return { room: r.room, tries };
    if ('over' in r) return { gaveUp: r.over, tries };
    const left = o.until - o.now();
    if (left <= 0) return { gaveUp: `no longer kept: ${r.retry}`, tries };
    const wait = Math.min(backoffMs(tries), left);
    o.onRetry?.(tries, r.retry, wait);
    await o.sleep(wait);
  }
}

/** One try: the kept token, then the seat kept for the player key. */
export async function tryComeback<S>(client: Client, c: Comeback): Promise<Try<Room<S>>> {
  let why = 'no reconnection token';
  if (c.token !== null) {
    const r = await reconnectWith<S>(client, c.token);
    if (!('retry' in r)) return r;
    why = r.retry;
  }
  const asked = await askForSeat(client, { roomId: c.roomId, playerKey: c.playerKey });
  if ('retry' in asked) return { retry: `${why}; ${asked.retry}` };
  if ('over' in asked) return asked;
  return reconnectWith<S>(client, asked.token);
}

/** Reconnect with a token. */
async function reconnectWith<S>(client: Client, token: string): Promise<Try<Room<S>>> {
  try {
    return { room: await client.reconnect<S>(token) };
  } catch (err) {
    const why = messageOf(err);
    // The room itself is gone (disposed once its round closed): nothing to come back to.
    if (/disposed|not found/.test(why)) return { over: why };
    return { retry: why };
  }
}

/** POST the rejoin route: the token of the seat kept for this player key. */
async function askForSeat(client: Client, request: RejoinRequest): Promise<{ token: string } | { retry: string } | { over: string }> {
  try {
    const res = await client.http.post<RejoinAnswer>(REJOIN_PATH, {
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: JSON.stringify(request),
    });
    const answer = res.data as Partial<Record<'reconnectionToken' | 'retry', unknown>> | undefined;
    if (typeof answer?.reconnectionToken === 'string') return { token: answer.reconnectionToken };
    return { retry: typeof answer?.retry === 'string' ? answer.retry : 'the server gave no token' };
  } catch (err) {
    const status = (err as { code?: unknown }).code;
    if (status === REJOIN_STATUS.nothingKept) return { over: messageOf(err) };
    return { retry: messageOf(err) };
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

// ---------------------------------------------------------------------------------
// Back into a class. A class's session room can go away with the server process that held
// it; another process then hosts the same class again (same join code, same room id) a few
// seconds later. The host's, the projector's and the students' pages keep trying for
// CLASS_COMEBACK_MS: each try asks where the join code leads now, then joins there with the
// same credentials as before. A code that leads nowhere means the class has closed; a
// refusal that will not change (removed, locked out, full) ends the tries too.

/** How long a page tries to get back into its class. */
export const CLASS_COMEBACK_MS = 90_000;

export interface ClassComeback {
  /** The server's address (http(s):// or ws(s)://). */
  endpoint: string;
  code: string;
  /** The join options: the host key, or the code, nickname and player key. */
  options: Record<string, unknown>;
}

/** One try to get back into a class's session room. */
export async function tryClassComeback<S>(client: Client, c: ClassComeback): Promise<Try<Room<S>>> {
  let res: Response;
  try {
    res = await fetch(`${c.endpoint.replace(/^ws/, 'http')}/api/sessions/${encodeURIComponent(c.code)}`, { headers: { accept: 'application/json' } });
  } catch (err) {
    return { retry: messageOf(err) };
  }
  const body = (await res.json().catch(() => ({}))) as { roomId?: unknown };
  if (res.status === 404) return { over: 'the class has closed' };
  if (!res.ok || typeof body.roomId !== 'string') return { retry: `the class could not be looked up (${res.status})` };
  try {
    return { room: await client.joinById<S>(body.roomId, c.options) };
  } catch (err) {
    const why = messageOf(err);
    if (/removed you|locked|not letting|full|not this class/.test(why)) return { over: why };
    return { retry: why };
  }
}
