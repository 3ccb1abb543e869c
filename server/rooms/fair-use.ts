// Fair use: one client cannot slow everyone. Every room kind (cluster, session, lobby) puts
// each frame a connection sends through this before Colyseus decodes it:
//   - one token bucket per connection covers every message type (RATE_LIMIT: a burst of 10,
//     then 10 a second), unknown types and byte messages included;
//   - a refused message is answered `rate-limited` while the connection's answers last (a
//     burst, then one a second) and dropped silently after that, so a flood is not echoed;
//   - a connection refused more than MAX_REFUSED times within REFUSED_WINDOW_MS is closed
//     with FLOOD_CLOSE (its code and a short reason);
//   - a connection that stopped reading (more than MAX_BUFFERED_BYTES waiting to be sent) is
//     cut, checked on every frame and every second;
//   - a message type that is not UTF-8 is refused here: Colyseus's decoder would write a log
//     line for each one;
//   - a frame nothing can read is answered in words before anything else happens: a message
//     whose body is not MessagePack gets an `error` and then the close Colyseus would have
//     given it (UNREADABLE_CLOSE, with a reason); a frame of a kind no client sends gets an
//     `error` and is dropped.
// What a room's clients did is logged through one bounded log per room (bounded-log.ts),
// under "[fair use]": a client's doing, not the room's fault.

import { createRequire } from 'node:module';
import { ClientState, Protocol, type Client, type Room } from '@colyseus/core';
import { MSG, type ErrorMessage } from '../../shared/protocol/messages.js';
import { decode } from '@colyseus/schema';
import { boundedLog, type BoundedLog } from './bounded-log.js';
import { createBucket, RATE_LIMIT, takeToken, type TokenBucket } from './rate-limit.js';

/** Refusals answered: a burst of this many, then one a second; the rest are dropped. */
export const REFUSALS_ANSWERED = { capacity: 20, perSecond: 1 } as const;
/** More refusals than this within REFUSED_WINDOW_MS and the connection is closed. */
export const MAX_REFUSED = 150;
export const REFUSED_WINDOW_MS = 5000;
/** Output waiting for a client beyond this means it stopped reading: the connection is cut. */
export const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
/** How a flooding connection is closed (a WebSocket close reason is at most 123 bytes). */
export const FLOOD_CLOSE = { code: 4008, reason: 'too many messages: far more than 10 a second, for too long' } as const;
export const RATE_LIMITED_TEXT = `too many messages: at most ${RATE_LIMIT.perSecond} a second`;
/** How a connection that sent a message nobody can read is closed (Colyseus's own code for it, with a reason). */
export const UNREADABLE_CLOSE = { code: Protocol.WS_CLOSE_WITH_ERROR, reason: 'a message the server could not read' } as const;
export const UNREADABLE_TEXT = 'the server could not read that message (its contents are not valid MessagePack), so it closes the connection';
export const UNKNOWN_FRAME_TEXT = 'the server could not read that frame: it is not a message, a join or a leave';

export interface FairUseOptions {
  /** Where lines about what the room's clients did go (default: a bounded log for the room). */
  log?: BoundedLog;
  /** A refusal names the message's `ref` when the room's messages carry one (cluster rooms). */
  refOf?: (payload: unknown) => number | undefined;
  now?: () => number;
}

/** One room's fair-use checks; the room calls admit() for every frame (its _onMessage). */
export class FairUse {
  private readonly conns = new WeakMap<Client, Connection>();
  private readonly now: () => number;
  private readonly log: BoundedLog;

  constructor(
    private readonly room: Room,
    private readonly opts: FairUseOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.log = opts.log ?? boundedLog(`[fair use] ${room.roomName} ${room.roomId}:`);
    room.clock.setInterval(() => this.checkBacklogs(), 1000);
  }

  /** Whether `frame` from `client` goes on to Colyseus; a refusal is answered (or not) here. */
  admit(client: Client, frame: Uint8Array): boolean {
    const conn = this.connectionOf(client);
    if (conn.closed) return false;
    if (this.stoppedReading(client, conn)) return false;
    const code = frame[0];
    // Joining (the handshake) and leaving are neither held up nor counted.
    if (code === Protocol.LEAVE_ROOM || (code === Protocol.JOIN_ROOM && client.state === ClientState.JOINING)) return true;
    const now = this.now();
    if (takeToken(conn.bucket, now)) return this.readable(client, frame);
    this.refuse(client, conn, frame, now);
    return false;
  }

  /** Cut every connection of the room that stopped reading. */
  checkBacklogs(): void {
    for (const client of this.room.clients) this.stoppedReading(client, this.connectionOf(client));
  }

  private connectionOf(client: Client): Connection {
    let conn = this.conns.get(client);
    if (conn === undefined) {
      const now = this.now();
      conn = { bucket: createBucket(now), answers: createBucket(now, REFUSALS_ANSWERED.capacity), windowStart: now, refused: 0, closed: false };
      this.conns.set(client, conn);
    }
    return conn;
  }

  private refuse(client: Client, conn: Connection, frame: Uint8Array, now: number): void {
    if (now - conn.windowStart > REFUSED_WINDOW_MS) {
      conn.windowStart = now;
      conn.refused = 0;
    }
    if (++conn.refused > MAX_REFUSED) {
      conn.closed = true;
      this.log(`closed ${client.sessionId}: more than ${MAX_REFUSED} messages refused within ${REFUSED_WINDOW_MS / 1000} s`);
      client.leave(FLOOD_CLOSE.code, FLOOD_CLOSE.reason);
      // A client that ignores the close is not waited for (ws would wait 30 s).
      setTimeout(() => socketOf(client).terminate?.(), 1000).unref();
      return;
    }
    if (!takeToken(conn.answers, now, REFUSALS_ANSWERED.capacity, REFUSALS_ANSWERED.perSecond)) return;
    const msg: ErrorMessage = { error: RATE_LIMITED_TEXT, code: 'rate-limited' };
    const ref = this.opts.refOf === undefined ? undefined : this.opts.refOf(payloadOf(frame));
    if (ref !== undefined) msg.ref = ref;
    client.send(MSG.error, msg);
  }

  /** A frame Colyseus can read without logging or closing in silence; any other is answered here. */
  private readable(client: Client, frame: Uint8Array): boolean {
    const code = frame[0];
    if (code === Protocol.JOIN_ROOM || code === Protocol.LEAVE_ROOM) return true;
    if (code !== Protocol.ROOM_DATA && code !== Protocol.ROOM_DATA_BYTES) {
      client.send(MSG.error, { error: UNKNOWN_FRAME_TEXT, code: 'invalid' } satisfies ErrorMessage);
      return false;
    }
    const type = stringTypeOf(frame);
    if (type !== null && logsAsBadText(frame, type.start, type.end)) {
      this.log(`refused a message type that is not UTF-8 text from ${client.sessionId}`);
      client.send(MSG.error, { error: 'a message type must be UTF-8 text', code: 'invalid' } satisfies ErrorMessage);
      return false;
    }
    if (code === Protocol.ROOM_DATA && !bodyUnpacks(frame)) {
      this.log(`closed ${client.sessionId}: a message whose contents are not MessagePack`);
      client.send(MSG.error, { error: UNREADABLE_TEXT, code: 'invalid' } satisfies ErrorMessage);
      client.leave(UNREADABLE_CLOSE.code, UNREADABLE_CLOSE.reason);
      return false;
    }
    return true;
  }

  private stoppedReading(client: Client, conn: Connection): boolean {
    const socket = socketOf(client);
    const waiting = socket.bufferedAmount ?? 0;
    if (waiting <= MAX_BUFFERED_BYTES) return false;
    if (!conn.closed) this.log(`cut ${client.sessionId}: ${(waiting / 1024 / 1024).toFixed(1)} MB not read`);
    conn.closed = true;
    // A close frame would wait behind what it does not read: the socket goes at once.
    if (socket.terminate !== undefined) socket.terminate();
    else client.leave(Protocol.WS_CLOSE_WITH_ERROR);
    return true;
  }
}

// ---------------------------------------------------------------------------------

interface Connection {
  bucket: TokenBucket;
  answers: TokenBucket;
  windowStart: number;
  refused: number;
  /** Closed or cut by us: nothing more from it is read. */
  closed: boolean;
}

/** The parts of the ws WebSocket behind a Colyseus client that fair use reads. */
interface Socket {
  bufferedAmount?: number;
  terminate?: () => void;
}

function socketOf(client: Client): Socket {
  return client.ref as unknown as Socket;
}

/** Colyseus's own msgpack decoder, for the `ref` of an answered refusal. */
const { unpack } = createRequire(createRequire(import.meta.url).resolve('@colyseus/core'))('@colyseus/msgpackr') as { unpack(b: Uint8Array): unknown };

/** Where a message frame's type is, when it is a string (the way @colyseus/schema reads it). */
function stringTypeOf(frame: Uint8Array): { start: number; end: number } | null {
  const p = frame[1];
  if (p === undefined) return null;
  let start = 2;
  let length: number;
  if (p > 0xa0 && p < 0xc0) length = p & 0x1f;
  else if (p === 0xd9) length = frame[start++] ?? 0;
  else if (p === 0xda) length = (frame[start++] ?? 0) | ((frame[start++] ?? 0) << 8);
  else if (p === 0xdb) length = ((frame[start++] ?? 0) | ((frame[start++] ?? 0) << 8) | ((frame[start++] ?? 0) << 16) | ((frame[start++] ?? 0) << 24)) >>> 0;
  else return null;
  return { start, end: Math.min(frame.length, start + length) };
}

/** The payload of a ROOM_DATA frame with a string type, or undefined. */
function payloadOf(frame: Uint8Array): unknown {
  const type = frame[0] === Protocol.ROOM_DATA ? stringTypeOf(frame) : null;
  if (type === null || type.end >= frame.length) return undefined;
  try {
    return unpack(frame.subarray(type.end));
  } catch {
    return undefined;
  }
}

/**
 * Whether a ROOM_DATA frame's body unpacks, read the way Colyseus reads it (the type, then
 * the rest as MessagePack): Colyseus would close the socket without a word on one that does not.
 */
function bodyUnpacks(frame: Uint8Array): boolean {
  try {
    const it = { offset: 1 };
    if (decode.stringCheck(frame as Buffer, it)) decode.string(frame as Buffer, it);
    else decode.number(frame as Buffer, it);
    if (frame.byteLength > it.offset) unpack(frame.subarray(it.offset));
    return true;
  } catch {
    return false;
  }
}

/** Whether @colyseus/schema's string decoder would log this text as an invalid byte (its own walk, not strict UTF-8). */
export function logsAsBadText(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const b = bytes[i]!;
    if ((b & 0x80) === 0x00) continue;
    if ((b & 0xe0) === 0xc0) i += 1;
    else if ((b & 0xf0) === 0xe0) i += 2;
    else if ((b & 0xf8) === 0xf0) i += 3;
    else return true;
  }
  return false;
}
