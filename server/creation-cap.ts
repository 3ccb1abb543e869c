// A cap on the rooms one address may create per minute. A room costs memory for as long as
// it lives (a cluster round's feed, tens of MB), so new rooms are the one thing a single
// client could ask for without limit. Matchmaking `create`, and `joinOrCreate` when it does
// create, count against the caller's address; joining a room that exists never does, and
// neither do the rooms the server makes itself (a class's team rooms).
//
// Colyseus knows the caller only in the matchmaking call (invokeMethod's authOptions: its
// HTTP request) and decides to create a room deep inside it; the one hook on that path is
// selectProcessIdToCreateRoom. So each call carries its request in async context, and the
// hook charges the address read from it.

import { AsyncLocalStorage } from 'node:async_hooks';
import { IncomingMessage } from 'node:http';
import { matchMaker, ServerError } from '@colyseus/core';
import { clientAddress } from './client-address.js';
import { createBucket, takeToken, type TokenBucket } from './rooms/rate-limit.js';

/** Rooms one address may create per minute (as a burst, then spread over the minute). */
export const ROOMS_PER_MINUTE = 30;
/** The status a refused creation is answered with (colyseus.js: the thrown error's code). */
export const CREATION_REFUSED_CODE = 429;

/**
 * Tag every matchmaking call with its HTTP request (once per process). The cap reads the
 * caller's address from it by the proxies the operator trusts (client-address.ts), not
 * Colyseus's own guess (authOptions.ip), which believes any X-Real-IP or X-Forwarded-For a
 * client sends.
 */
export function tagMatchmakingCallers(): void {
  const controller = matchMaker.controller as typeof matchMaker.controller & { [TAGGED]?: true };
  if (controller[TAGGED]) return;
  controller[TAGGED] = true;
  const invoke = controller.invokeMethod.bind(controller);
  controller.invokeMethod = async (method, roomName, clientOptions, authOptions) => {
    const req = authOptions?.req;
    const call: Caller = { req: req instanceof IncomingMessage ? req : null, open: true };
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
 * `select` does (default: Colyseus's own choice, the process with the fewest rooms). The
 * address is read through `trustedHops` proxies of the operator's (0: the socket's peer).
 */
export function capRoomCreation(
  perMinute: number = ROOMS_PER_MINUTE,
  select: matchMaker.SelectProcessIdCallback = fewestRooms,
  now: () => number = Date.now,
  trustedHops = 0,
): matchMaker.SelectProcessIdCallback {
  const perAddress = new Map<string, TokenBucket>();
  return async (roomName, clientOptions) => {
    const call = callers.getStore();
    if (call?.open === true && !take(perAddress, call.req === null ? 'unknown' : clientAddress(call.req, trustedHops), perMinute, now())) {
      throw new ServerError(CREATION_REFUSED_CODE, `too many new rooms from your address: at most ${perMinute} a minute. Join an open round, or try again in a minute.`);
    }
    return select(roomName, clientOptions);
  };
}

// ---------------------------------------------------------------------------------

interface Caller {
  /** The matchmaking call's HTTP request (null when it came another way). */
  req: IncomingMessage | null;
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

async function fewestRooms(): Promise<string> {
  const processes = await matchMaker.stats.fetchAll();
  return processes.sort((a, b) => a.roomCount - b.roomCount)[0]?.processId ?? matchMaker.processId;
}
