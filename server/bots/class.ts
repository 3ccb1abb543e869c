// npm run bots -- --class --server ws://HOST:PORT --students 30 --teams 6 --scenario ID --seconds T --csv FILE
//
// Runs a whole class through a running server, as a teacher's rehearsal, a load test or a
// check: a scripted host creates a session, scripted students join it by its code (looked
// up over HTTP like a browser does), the host starts a round, every student plays their
// node in their team's room with the shared node bot, and the session's results are written
// as the same CSV a teacher downloads.

import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { Client, type Room } from 'colyseus.js';
import { resultsCsv, type RoundResults } from '../../shared/session/results.js';
import { nextMessage, waitForState } from '../client-util.js';
import { startBotPlayer, type BotPlayer } from './bot-client.js';
import type { SessionState, SessionWelcome } from '../rooms/session-schema.js';
import type { ChaosLevel } from '../../shared/scenarios/chaos-types.js';

export interface ClassArgs {
  server: string;
  students: number;
  teams: number;
  scenario: string;
  seconds: number;
  chaos: ChaosLevel;
  csv: string | null;
}

export interface ClassOutcome {
  ok: boolean;
  error?: string;
  code: string;
  sessionId: string;
  results: RoundResults | null;
  csv: string;
}

const key = () => randomBytes(24).toString('base64url');

export async function playClass(args: ClassArgs, log: (line: string) => void = () => {}): Promise<ClassOutcome> {
  const http = args.server.replace(/^ws/, 'http');
  const host = await new Client(args.server).create<SessionState>('session', {
    hostKey: key(),
    settings: { scenario: args.scenario, chaos: args.chaos, roundSeconds: args.seconds, teamCount: args.teams, briefingSeconds: 3, setupSeconds: 3 },
  });
  host.onMessage('welcome', () => {});
  host.onMessage('card', () => {});
  const sessions: Room<SessionState>[] = [];
  const players: BotPlayer[] = [];
  let code = '';
  try {
    const lobby = await waitForState(host, (s) => typeof s.code === 'string' && s.code.length === 6, 10_000, 'the join code');
    code = lobby.code;
    log(`class ${code} (session ${lobby.sessionId}): ${args.students} students joining`);
    const found = await fetch(`${http}/api/sessions/${code}`);
    if (!found.ok) throw new Error(`looking up the join code: ${((await found.json()) as { error: string }).error}`);
    const { roomId } = (await found.json()) as { roomId: string };
    const students: { nickname: string; playerKey: string; id: string }[] = [];
    for (let i = 0; i < args.students; i++) {
      const s = { nickname: `Student ${i + 1}`, playerKey: key(), id: '' };
      const room = await new Client(args.server).joinById<SessionState>(roomId, { code, nickname: s.nickname, playerKey: s.playerKey });
      room.onMessage('card', () => {});
      s.id = (await nextMessage<SessionWelcome>(room, 'welcome')).studentId;
      sessions.push(room);
      students.push(s);
    }
    await waitForState(host, (s) => s.students.size === args.students, 10_000, 'every student in the class');
    host.send('host', { action: 'start' });
    const running = await waitForState(host, (s) => s.phase === 'running' && s.teams.length > 0 && [...s.teams].every((t) => t.roomId !== ''), 30_000, 'the team rooms');
    log(`round ${running.round}: ${running.teams.length} teams, seed shared by all`);
    for (const s of students) {
      const team = running.students.get(s.id)!.team;
      players.push(await startBotPlayer(args.server, { roomId: running.teams[team]!.roomId, nickname: s.nickname, playerKey: s.playerKey, timeoutMs: (args.seconds + 300) * 1000 }));
    }
    const done = await waitForState(host, (s) => s.phase === 'results', (args.seconds + 300) * 1000, 'the results');
    const rounds = JSON.parse(done.results) as RoundResults[];
    const csv = resultsCsv(rounds, http);
    if (args.csv !== null) await writeFile(args.csv, csv);
    return { ok: true, code, sessionId: done.sessionId, results: rounds.at(-1) ?? null, csv };
  } catch (err) {
    return { ok: false, error: (err as Error).message, code, sessionId: host.state?.sessionId ?? '', results: null, csv: '' };
  } finally {
    await Promise.all(players.map((p) => p.stop().catch(() => {})));
    await Promise.all(sessions.map((r) => r.leave(true).catch(() => {})));
    await host.leave(true).catch(() => {});
  }
}

export function formatClass(o: ClassOutcome): string[] {
  if (!o.ok || o.results === null) return [`class ${o.code || '(not created)'}: FAILED — ${o.error ?? 'no results'}`];
  return o.results.teams.map(
    (t) => `${t.name}: score ${t.score}, availability ${(100 * t.availability).toFixed(3)} %, stale reads ${t.staleReads}, lost writes ${t.lostWrites}, ${t.students.length} students, ${t.students.reduce((a, s) => a + s.actions, 0)} actions`,
  );
}
