// A cap on the rooms one address may create per minute. A room costs memory for as long as
// it lives (a cluster round's feed, tens of MB), so new rooms are the one thing a single
// client could ask for without limit. Matchmaking `create`, and `joinOrCreate` when it does
// create, count against the caller's address; joining a room that exists never does, and
// neither do the rooms the server makes itself (a class's team rooms).
//
// Colyseus knows the caller's address only in the matchmaking call (invokeMethod's
// authOptions.ip) and decides to create a room deep inside it; the one hook on that path is
// selectProcessIdToCreateRoom. So each call carries its address in async context, and the
// hook charges it.

import { AsyncLocalStorage } from 'node:async_hooks';
import { matchMaker, ServerError } from '@colyseus/core';
import { createBucket, takeToken, type TokenBucket } from './rooms/rate-limit.js';

/** Rooms one address may create per minute (as a burst, then spread over the minute). */
export const ROOMS_PER_MINUTE = 30;
/** The status a refused creation is answered with (colyseus.js: the thrown error's code). */
export const CREATION_REFUSED_CODE = 429;

/** Tag every matchmaking call with its caller's address (once per process). */
export function tagMatchmakingCallers(): void {
  const controller = matchMaker.controller as typeof matchMaker.controller & { [TAGGED]?: true };
  if (controller[TAGGED]) return;
  controller[TAGGED] = true;
  const invoke = controller.invokeMethod.bind(controller);
  controller.invokeMethod = async (method, roomName, clientOptions, authOptions) => {
    const call: Caller = { ip: addressOf(authOptions?.ip), open: true };
    try {
      return await callers.run(call, () => invoke(method, roomName, clientOptions, authOptions));
    } finally {
      // Timers a room set up during the call keep this context: they are not the caller.
      call.open = false;
    }
  };
}

/**
 * Colyseus's selectProcessIdToCreateRoom, charging a creation to the address that asked for
 * it (over `perMinute`: refused with a ServerError saying so), then choosing the process as
 * `select` does (default: Colyseus's own choice, the process with the fewest rooms).
 */
export function capRoomCreation(perMinute: number = ROOMS_PER_MINUTE, select: matchMaker.SelectProcessIdCallback = fewestRooms, now: () => number = Date.now): matchMaker.SelectProcessIdCallback {
  const perAddress = new Map<string, TokenBucket>();
  return async (roomName, clientOptions) => {
    const call = callers.getStore();
    if (call?.open === true && !take(perAddress, call.ip, perMinute, now())) {
      throw new ServerError(CREATION_REFUSED_CODE, `too many new rooms from your address: at most ${perMinute} a minute. Join an open round, or try again in a minute.`);
    }
    return select(roomName, clientOptions);
  };
}

// ---------------------------------------------------------------------------------

interface Caller {
  ip: string;
  /** False once the matchmaking call has been answered. */
  open: boolean;
}

const callers = new AsyncLocalStorage<Caller>();
const TAGGED = Symbol('split-brain.tagged');
/** Addresses remembered at once; beyond this, those with a full allowance again are forgotten. */
const MAX_ADDRESSES = 10_000;

function take(perAddress: Map<string, TokenBucket>, ip: string, perMinute: number, t: number): boolean {
  let bucket = perAddress.get(ip);
  if (bucket === undefined) {
    if (perAddress.size >= MAX_ADDRESSES) forgetIdle(perAddress, perMinute, t);
    bucket = createBucket(t, perMinute);
    perAddress.set(ip, bucket);
  }
  return takeToken(bucket, t, perMinute, perMinute / 60);
}

function forgetIdle(perAddress: Map<string, TokenBucket>, perMinute: number, t: number): void {
  for (const [ip, b] of perAddress) if (b.tokens + ((t - b.at) * perMinute) / 60_000 >= perMinute) perAddress.delete(ip);
  // Still full of busy addresses: the oldest go (a cap that forgets is better than memory without one).
  for (const ip of perAddress.keys()) {
    if (perAddress.size < MAX_ADDRESSES) break;
    perAddress.delete(ip);
  }
}

/** Colyseus takes the address from X-Real-IP, X-Forwarded-For or the socket (a header may be a list). */
function addressOf(ip: unknown): string {
  const first = Array.isArray(ip) ? ip[0] : ip;
  return typeof first === 'string' && first !== '' ? first.slice(0, 100) : 'unknown';
}

async function fewestRooms(): Promise<string> {
  const processes = await matchMaker.stats.fetchAll();
  return processes.sort((a, b) => a.roomCount - b.roomCount)[0]?.processId ?? matchMaker.processId;
}
