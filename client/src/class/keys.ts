// What this browser keeps for classes: the player key (one per browser, shared with every
// other round it plays, client/src/net.ts), the host key that makes it a class's host, the
// class it hosts (so a reload or the projector window finds it), and the class a tab joined
// as a student (so a reload goes back in without asking again).

import { playerKey } from '../net.js';

export { playerKey };

/** The nickname this browser used last; the home screen keeps it under the same key. */
export const NICKNAME_KEY = 'splitbrain.nickname';
const HOST_KEY = 'splitbrain.hostKey';
export const HOSTED = 'splitbrain.class.hosted';
const JOINED = 'splitbrain.class.joined';
const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** This browser's host key: whoever joins a class with it is that class's host. Never shown. */
export function hostKey(): string {
  const kept = read(localStorage, HOST_KEY);
  if (kept !== null && /^[A-Za-z0-9_-]{32}$/.test(kept)) return kept;
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const key = Array.from(bytes, (b) => KEY_ALPHABET[b & 63]).join('');
  write(localStorage, HOST_KEY, key);
  return key;
}

export interface Hosted {
  roomId: string;
  code: string;
}

/** The class this browser hosts now, if it hosts one. */
export function hostedClass(): Hosted | null {
  try {
    const v = JSON.parse(read(localStorage, HOSTED) ?? 'null') as Partial<Hosted> | null;
    return v !== null && typeof v.roomId === 'string' && typeof v.code === 'string' ? { roomId: v.roomId, code: v.code } : null;
  } catch {
    return null;
  }
}

export function rememberHosted(h: Hosted | null): void {
  if (h === null) remove(localStorage, HOSTED);
  else write(localStorage, HOSTED, JSON.stringify(h));
}

/** The join code this tab is in as a student ('' none): a reload rejoins it at once. */
export function joinedCode(): string {
  return read(sessionStorage, JOINED) ?? '';
}

export function rememberJoined(code: string): void {
  if (code === '') remove(sessionStorage, JOINED);
  else write(sessionStorage, JOINED, code);
}

// Storage may be refused (private windows, strict settings): the class still works, it
// just forgets on reload.
function read(s: Storage, k: string): string | null {
  try {
    return s.getItem(k);
  } catch {
    return null;
  }
}

function write(s: Storage, k: string, v: string): void {
  try {
    s.setItem(k, v);
  } catch {
    // Forgotten on reload; nothing else changes.
  }
}

function remove(s: Storage, k: string): void {
  try {
    s.removeItem(k);
  } catch {
    // As above.
  }
}
