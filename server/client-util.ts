// Small helpers for colyseus.js clients talking to a cluster room: used by the bot
// clients, the benchmark and the server tests. (colyseus.js 0.16's waitForNextPatch
// never resolves: everything here waits on room.onStateChange.)

import type { Room } from 'colyseus.js';
import type { ClusterState } from './rooms/schema.js';

/** Resolve once `check(state)` holds (checked now and after every patch); reject after timeoutMs. */
export function waitForState<T = ClusterState>(room: Room<T>, check: (s: T) => boolean, timeoutMs = 10_000, what = 'state'): Promise<T> {
  return new Promise((resolve, reject) => {
    const holds = (s: T) => {
      try {
        return s !== undefined && s !== null && check(s);
      } catch {
        return false;
      }
    };
    const done = (fn: () => void) => {
      clearTimeout(timer);
      room.onStateChange.remove(listener);
      room.onLeave.remove(left);
      fn();
    };
    const listener = (s: T) => {
      if (holds(s)) done(() => resolve(s));
    };
    const left = (code: number) => {
      if (holds(room.state)) done(() => resolve(room.state));
      else done(() => reject(new Error(`the room closed (code ${code}) while waiting for ${what}`)));
    };
    const timer = setTimeout(() => done(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`))), timeoutMs);
    room.onStateChange(listener);
    room.onLeave(left);
    listener(room.state);
  });
}

/** Resolve with the next message of a type (optionally one that matches); reject after timeoutMs. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function nextMessage<M = unknown>(room: Room<any>, type: string, timeoutMs = 5_000, match: (m: M) => boolean = () => true): Promise<M> {
  return new Promise((resolve, reject) => {
    const off = room.onMessage(type, (m: M) => {
      if (!match(m)) return;
      clearTimeout(timer);
      off();
      resolve(m);
    }) as () => void;
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for a '${type}' message`));
    }, timeoutMs);
  });
}

/** Count the bytes a client receives on its WebSocket (Node's `ws` under colyseus.js). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function countBytes(room: Room<any>): { readonly bytes: number } {
  const counter = { bytes: 0 };
  const ws = (room.connection.transport as unknown as { ws?: { addEventListener(t: 'message', cb: (e: { data: unknown }) => void): void } }).ws;
  ws?.addEventListener('message', (e) => {
    const d = e.data;
    if (d instanceof ArrayBuffer) counter.bytes += d.byteLength;
    else if (ArrayBuffer.isView(d)) counter.bytes += d.byteLength;
    else if (typeof d === 'string') counter.bytes += Buffer.byteLength(d);
  });
  return counter;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Poll `check` every 25 ms until it holds; reject after timeoutMs. */
export async function waitUntil(check: () => boolean, timeoutMs = 5_000, what = 'a condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}
