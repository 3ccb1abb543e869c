// A classroom session kept where another server process can find it: its class model
// (shared/session/state.ts) and what the session room itself holds (the host's key hash,
// the secret its team rooms prove themselves with, its room id), written to presence
// (Redis when scaled out) a moment after each change. When the process holding the
// session dies, another one reads it back and hosts the same session again: same room id,
// same join code, same students and teams (server/sessions/rehost.ts).
//
//   keys  sb:class:<sessionId>   the snapshot (JSON; expires a day after its last write)
//         sb:session-hosts       session id → the process that hosts it now

import type { Presence } from '@colyseus/core';
import type { ClassState, ClassStudent, ClassTeam, TeamReport } from '../../shared/session/state.js';
import type { RoundResults, TeamResult } from '../../shared/session/results.js';
import { settingsAfter } from '../../shared/session/settings.js';
import { DEFAULT_SESSION_SETTINGS } from '../../shared/session/settings.js';

export const SESSION_HOSTS = 'sb:session-hosts';
const snapshotKey = (sessionId: string) => `sb:class:${sessionId}`;
/** A snapshot nobody wrote for this long is gone (a session closes after 15 min without anyone). */
const SNAPSHOT_TTL_S = 24 * 3600;
/** Changes within this long are written together. */
const WRITE_AFTER_MS = 200;

/** What a session room needs to be hosted again elsewhere. */
export interface SessionSnapshot {
  v: 1;
  roomId: string;
  sessionId: string;
  secret: string;
  hostHash: string;
  cls: ClassState;
  /** When the results of the running round are due (wall-clock ms), after the host ended it; null: not ended. */
  resultsDue: { round: number; at: number } | null;
}

/** The snapshot as JSON (Maps and Sets as arrays). */
export function encodeSnapshot(s: SessionSnapshot): string {
  const c = s.cls;
  return JSON.stringify({
    ...s,
    cls: {
      ...c,
      students: [...c.students.values()],
      byPlayer: [...c.byPlayer.entries()],
      banned: [...c.banned.entries()],
      poll: { ...c.poll, answers: [...c.poll.answers.entries()] },
      reports: [...c.reports.values()],
      pending: [...c.pending.values()],
      expected: [...c.expected],
    },
  });
}

/**
 * A snapshot read back, or the problem in words. It comes from shared storage, so its shape
 * is checked before a room trusts it; the class settings go through the host's own validator.
 */
export function decodeSnapshot(text: string): SessionSnapshot | string {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return 'the stored session is not JSON';
  }
  const o = raw as Record<string, unknown>;
  if (!isObj(o) || o.v !== 1) return 'the stored session has an unknown version';
  for (const k of ['roomId', 'sessionId', 'secret', 'hostHash'] as const) if (typeof o[k] !== 'string' || o[k] === '') return `the stored session has no ${k}`;
  const c = o.cls as Record<string, unknown>;
  if (!isObj(c)) return 'the stored session has no class';
  const settings = settingsAfter(DEFAULT_SESSION_SETTINGS, c.settings);
  if (typeof settings === 'string') return `the stored session's settings: ${settings}`;
  const students = arr<ClassStudent>(c.students, (s) => typeof s.id === 'string' && typeof s.player === 'string' && typeof s.nickname === 'string' && Number.isInteger(s.team));
  const banned = arr<[string, ClassStudent]>(c.banned, (e) => Array.isArray(e) && typeof e[0] === 'string' && isObj(e[1]));
  const byPlayer = arr<[string, string]>(c.byPlayer, (e) => Array.isArray(e) && typeof e[0] === 'string' && typeof e[1] === 'string');
  const teams = arr<ClassTeam>(c.teams, (t) => Number.isInteger(t.index) && typeof t.name === 'string' && typeof t.roomId === 'string' && typeof t.phase === 'string');
  const reports = arr<TeamReport>(c.reports, (r) => Number.isInteger(r.team) && Number.isInteger(r.round));
  const pending = arr<TeamResult>(c.pending, (r) => Number.isInteger(r.team));
  const rounds = arr<RoundResults>(c.rounds, (r) => Number.isInteger(r.round) && Array.isArray(r.teams));
  const expected = arr<number>(c.expected, (n) => Number.isInteger(n));
  const poll = c.poll as Record<string, unknown>;
  const answers = isObj(poll) ? arr<[string, number]>(poll.answers, (e) => Array.isArray(e) && typeof e[0] === 'string' && Number.isInteger(e[1])) : null;
  if ([students, banned, byPlayer, teams, reports, pending, rounds, expected, answers].some((x) => x === null)) return 'the stored session is damaged';
  if (typeof c.code !== 'string' || !['lobby', 'running', 'results'].includes(c.phase as string) || !Number.isInteger(c.round)) return 'the stored session is damaged';
  const due = o.resultsDue as { round?: unknown; at?: unknown } | null;
  const cls: ClassState = {
    code: c.code,
    phase: c.phase as ClassState['phase'],
    round: c.round as number,
    paused: c.paused === true,
    locked: c.locked === true,
    allowLate: c.allowLate !== false,
    settings,
    students: new Map(students!.map((s) => [s.id, { ...s, pinned: s.pinned === true, connected: s.connected === true }])),
    byPlayer: new Map(byPlayer!),
    banned: new Map(banned!),
    teams: teams!.map((t) => ({ ...t, quietMs: Number(t.quietMs) || 0, remade: t.remade === true })),
    poll: {
      id: Number(poll.id) || 0,
      question: String(poll.question ?? ''),
      options: Array.isArray(poll.options) ? poll.options.map(String) : [],
      counts: Array.isArray(poll.counts) ? poll.counts.map(Number) : [],
      answered: Number(poll.answered) || 0,
      open: poll.open === true,
      revealed: poll.revealed === true,
      answer: Number.isInteger(poll.answer) ? (poll.answer as number) : -1,
      answers: new Map(answers!),
    },
    card: (typeof c.card === 'string' ? c.card : '') as ClassState['card'],
    reports: new Map(reports!.map((r) => [r.team, r])),
    pending: new Map(pending!.map((r) => [r.team, r])),
    expected: new Set(expected!),
    rounds: rounds!,
    roundSeed: Number(c.roundSeed) >>> 0,
  };
  return {
    v: 1, roomId: o.roomId as string, sessionId: o.sessionId as string, secret: o.secret as string, hostHash: o.hostHash as string, cls,
    resultsDue: isObj(due) && Number.isInteger(due.round) && Number.isFinite(due.at) ? { round: due.round as number, at: due.at as number } : null,
  };
}

export async function loadSnapshot(presence: Presence, sessionId: string): Promise<SessionSnapshot | string> {
  const text = (await presence.get(snapshotKey(sessionId))) as string | null;
  return text === null ? 'the session is no longer stored' : decodeSnapshot(text);
}

export async function dropSnapshot(presence: Presence, sessionId: string): Promise<void> {
  await presence.del(snapshotKey(sessionId));
  await presence.hdel(SESSION_HOSTS, sessionId);
}

/** This process hosts the session from now on. */
export async function claimHosting(presence: Presence, sessionId: string, processId: string): Promise<void> {
  await presence.hset(SESSION_HOSTS, sessionId, processId);
}

/** The process that hosts the session, or null when none is recorded. */
export async function hostOf(presence: Presence, sessionId: string): Promise<string | null> {
  return presence.hget(SESSION_HOSTS, sessionId);
}

/**
 * Writes a session's snapshot a moment after it changes (several changes, one write), only
 * when it differs from the last one written. Writes are ordered (one connection); a failed
 * one is logged and the next change writes everything again.
 */
export class SnapshotWriter {
  private timer: NodeJS.Timeout | null = null;
  private last = '';
  private stopped = false;

  constructor(
    private readonly presence: Presence,
    private readonly take: () => SessionSnapshot,
    private readonly log: (msg: string) => void,
  ) {}

  changed(): void {
    if (this.stopped || this.timer !== null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.write();
    }, WRITE_AFTER_MS);
    this.timer.unref();
  }

  /** Write now (if anything changed). */
  async write(): Promise<void> {
    if (this.stopped) return;
    const snap = this.take();
    const text = encodeSnapshot(snap);
    if (text === this.last) return;
    this.last = text;
    try {
      await this.presence.setex(snapshotKey(snap.sessionId), text, SNAPSHOT_TTL_S);
    } catch (err) {
      this.last = '';
      this.log(`the class could not be saved for another server to take over: ${(err as Error).message}`);
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}

function isObj(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function arr<T>(x: unknown, ok: (item: T & Record<string, unknown>) => boolean): T[] | null {
  if (!Array.isArray(x)) return null;
  for (const item of x) if (!ok(item as T & Record<string, unknown>)) return null;
  return x as T[];
}
