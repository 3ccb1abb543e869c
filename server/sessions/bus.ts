// How a classroom session's rooms talk: through Colyseus presence, never process memory,
// so the session room and its teams' cluster rooms may live in different server processes
// (in-process presence by default, Redis when the game is scaled out).
//
//   keys      sb:codes            join code → session room id (unique among live sessions)
//             sb:code-claims      join code → claim counter (claiming is one atomic increment)
//             sb:sessions         session id → its secret (team rooms prove they belong)
//             sb:members:<id>     player-key hash → team index (who may join which team room)
//   channels  sb:down:<id>        session room → its team rooms (pause, chaos, kick, …)
//             sb:up:<id>          team rooms → their session room (status once a second, results)

import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { Presence } from '@colyseus/core';
import type { Membership, SessionDown } from '../../shared/protocol/session.js';
import { JOIN_CODE_LENGTH, joinCodeFrom } from '../../shared/session/codes.js';
import type { TeamResult } from '../../shared/session/results.js';
import type { TeamStatus } from '../../shared/view/team-status.js';

export type { Membership, SessionDown };

const CODES = 'sb:codes';
const CLAIMS = 'sb:code-claims';
const SESSIONS = 'sb:sessions';
const members = (sessionId: string) => `sb:members:${sessionId}`;
export const downChannel = (sessionId: string) => `sb:down:${sessionId}`;
export const upChannel = (sessionId: string) => `sb:up:${sessionId}`;

// A team's status is built from its round view by shared/view/team-status.ts teamStatusOf.
export type { TeamStatus };

export type SessionUp =
  | { type: 'status'; status: TeamStatus }
  | { type: 'result'; team: number; round: number; result: TeamResult };

/** The hash a player key is known by outside the browser (the round store uses the same). */
export function playerKeyHash(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function newSecret(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * Claim a join code no live session holds and point it at `roomId`. The claim is one atomic
 * increment, so two processes drawing the same code cannot both get it.
 */
export async function claimJoinCode(presence: Presence, roomId: string): Promise<string> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const ints = Array.from({ length: JOIN_CODE_LENGTH }, () => randomInt(0, 1 << 16));
    const code = joinCodeFrom(ints);
    if ((await presence.hincrby(CLAIMS, code, 1)) === 1) {
      await presence.hset(CODES, code, roomId);
      return code;
    }
  }
  throw new Error('could not find a free join code');
}

/** Point a claimed join code at `roomId` again (a session hosted again keeps its room id; this repairs a lost entry). */
export async function pointJoinCode(presence: Presence, code: string, roomId: string): Promise<void> {
  await presence.hincrby(CLAIMS, code, 1);
  await presence.hset(CODES, code, roomId);
}

export async function releaseJoinCode(presence: Presence, code: string): Promise<void> {
  await presence.hdel(CODES, code);
  await presence.hdel(CLAIMS, code);
}

/** The session room a join code leads to, or null. */
export async function roomOfJoinCode(presence: Presence, code: string): Promise<string | null> {
  return presence.hget(CODES, code);
}

export async function registerSession(presence: Presence, sessionId: string, secret: string): Promise<void> {
  await presence.hset(SESSIONS, sessionId, secret);
}

export async function unregisterSession(presence: Presence, sessionId: string): Promise<void> {
  await presence.hdel(SESSIONS, sessionId);
  await presence.del(members(sessionId));
}

/** The session's secret, or null once it has ended. */
export async function sessionSecret(presence: Presence, sessionId: string): Promise<string | null> {
  return presence.hget(SESSIONS, sessionId);
}

/** Whether `secret` is the live session's own (a cluster room claiming to be a team proves it so). */
export async function isSessionSecret(presence: Presence, sessionId: string, secret: string): Promise<boolean> {
  const known = await presence.hget(SESSIONS, sessionId);
  return known !== null && known === secret;
}

export async function setMember(presence: Presence, sessionId: string, player: string, member: Membership | null): Promise<void> {
  if (member === null) await presence.hdel(members(sessionId), player);
  else await presence.hset(members(sessionId), player, JSON.stringify(member));
}

/** The membership of a player (by key hash) in the session, or null when they are not a member. */
export async function membership(presence: Presence, sessionId: string, player: string): Promise<Membership | null> {
  const raw = await presence.hget(members(sessionId), player);
  return raw === null ? null : asMessage<Membership>(raw);
}

/**
 * Presence hands subscribers what was published: the object itself in one process, a JSON
 * copy through Redis. Either way the receiver reads it as untrusted-shaped data.
 */
export function asMessage<T>(data: unknown): T | null {
  if (typeof data === 'string') {
    try {
      return JSON.parse(data) as T;
    } catch {
      return null;
    }
  }
  return typeof data === 'object' && data !== null ? (data as T) : null;
}
