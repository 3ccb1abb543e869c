// A classroom session through the real server, with colyseus.js clients: a host and 30
// students join by code, are split into 6 teams, every team plays its own cluster room under
// the same seed and the same chaos (the host's partition strikes every team at the same
// simulated moment), the host's controls work and a student's do not, and the results have a
// row per student with the right totals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type Room } from 'colyseus.js';
import { startTestServer, type TestServer } from './support/game-server.js';
import { nextMessage, sleep, waitForState, waitUntil } from '../server/client-util.js';
import { ClusterRoom } from '../server/rooms/ClusterRoom.js';
import type { ClusterState } from '../server/rooms/schema.js';
import type { SessionState, SessionWelcome } from '../server/rooms/session-schema.js';
import type { ErrorMessage } from '../shared/protocol/messages.js';
import { resultsCsv, CSV_COLUMNS, type RoundResults } from '../shared/session/results.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.server.shutdown();
});

const HOST_KEY = 'host-key-for-the-session-test';
const key = (i: number) => `student-key-${String(i).padStart(4, '0')}-abcdef`;

interface Student {
  i: number;
  session: Room<SessionState>;
  id: string;
  team: Room<ClusterState> | null;
}

async function joinSession(roomId: string, code: string, i: number, nickname = `Student${i}`): Promise<Student> {
  const session = await new Client(t.ws).joinById<SessionState>(roomId, { code, nickname, playerKey: key(i) });
  session.onMessage('error', () => {});
  session.onMessage('card', () => {});
  session.onMessage('kicked', () => {});
  const welcome = await nextMessage<SessionWelcome>(session, 'welcome');
  return { i, session, id: welcome.studentId, team: null };
}

async function joinTeam(s: Student, roomId: string): Promise<Room<ClusterState>> {
  const room = await new Client(t.ws).joinById<ClusterState>(roomId, { nickname: `Student${s.i}`, playerKey: key(s.i) });
  room.onMessage('event', () => {});
  room.onMessage('error', () => {});
  return room;
}

function roomsOfSession(sessionId: string): ClusterRoom[] {
  return [...ClusterRoom.live].filter((r) => r.recording?.sessionId === sessionId || r.cfg.session?.id === sessionId);
}

describe('a classroom session', () => {
  it('30 students in 6 teams play one round under the same chaos, to results', async () => {
    const host = await new Client(t.ws).create<SessionState>('session', {
      hostKey: HOST_KEY, settings: { scenario: 'bank', chaos: 'normal', roundSeconds: 30, teamCount: 6, briefingSeconds: 1, setupSeconds: 1 },
    });
    host.onMessage('welcome', () => {});
    host.onMessage('card', () => {});
    const hostErrors: ErrorMessage[] = [];
    host.onMessage('error', (e: ErrorMessage) => hostErrors.push(e));
    const lobby = await waitForState(host, (s) => typeof s.code === 'string' && s.code.length === 6, 5000, 'the join code');
    const code = lobby.code;
    expect(code).toMatch(/^[ACDEFGHJKMNPQRTWXY34679]{6}$/);

    // The join code leads to the room; a wrong one says so; guessing is slowed down.
    const found = (await (await fetch(`${t.http}/api/sessions/${code.toLowerCase()}`)).json()) as { roomId: string };
    expect(found.roomId).toBe(host.roomId);
    const statuses: number[] = [];
    // (The right lookup above added one wrong guess to this address's allowance: a classroom shares an address.)
    for (let i = 0; i < 8; i++) statuses.push((await fetch(`${t.http}/api/sessions/AAAAAA`)).status);
    expect(statuses.slice(0, 5)).toEqual([404, 404, 404, 404, 404]);
    expect(statuses.at(-1)).toBe(429);
    await expect(new Client(t.ws).joinById(host.roomId, { code: 'CCCCCC', nickname: 'x', playerKey: key(999) })).rejects.toThrow(/join code/);

    // 30 students; a duplicate nickname is renamed, an offensive one is replaced.
    const students: Student[] = [];
    for (let i = 0; i < 30; i++) students.push(await joinSession(host.roomId, code, i, i === 1 ? 'Student0' : i === 2 ? 'shithead' : `Student${i}`));
    const joined = await waitForState(host, (s) => s.students.size === 30, 10_000, '30 students');
    const names = [...joined.students.values()].map((s) => s.nickname);
    expect(new Set(names).size).toBe(30);
    expect(names).toContain('Student0 2');
    expect(names.some((n) => /shit/i.test(n))).toBe(false);
    const sizes = [0, 0, 0, 0, 0, 0];
    for (const s of joined.students.values()) sizes[s.team]!++;
    expect(sizes).toEqual([5, 5, 5, 5, 5, 5]);

    // A student cannot use the host's controls; nothing changes.
    const s0 = students[0]!;
    s0.session.send('host', { action: 'start' });
    const refused = await nextMessage<ErrorMessage>(s0.session, 'error');
    expect(refused.code).toBe('forbidden');
    s0.session.send('host', { action: 'settings', settings: { roundSeconds: 600 } });
    expect((await nextMessage<ErrorMessage>(s0.session, 'error')).code).toBe('forbidden');
    expect(host.state.phase).toBe('lobby');
    expect(host.state.settings.roundSeconds).toBe(30);

    // Kick: the student is told, cannot come back until the host allows it.
    const victim = students[29]!;
    const kicked = nextMessage<{ reason: string }>(victim.session, 'kicked');
    host.send('host', { action: 'kick', student: victim.id });
    expect((await kicked).reason).toMatch(/removed/);
    await waitForState(host, (s) => s.students.size === 29 && s.banned.size === 1, 5000, 'the kick');
    await expect(joinSession(host.roomId, code, 29)).rejects.toThrow(/removed/);
    host.send('host', { action: 'allow', student: victim.id });
    await waitForState(host, (s) => s.banned.size === 0, 5000, 'the pardon');
    // Lock: nobody new gets in; the pardoned student is new again, so wait for the unlock.
    host.send('host', { action: 'lock', locked: true });
    await waitForState(host, (s) => s.locked, 5000, 'the lock');
    await expect(joinSession(host.roomId, code, 29)).rejects.toThrow(/locked/);
    host.send('host', { action: 'lock', locked: false });
    await waitForState(host, (s) => !s.locked, 5000, 'the unlock');
    students[29] = await joinSession(host.roomId, code, 29);
    await waitForState(host, (s) => s.students.size === 30, 5000, 'the return');
    // Rename.
    host.send('host', { action: 'rename', student: students[3]!.id, nickname: 'Grace' });
    await waitForState(host, (s) => s.students.get(students[3]!.id)?.nickname === 'Grace', 5000, 'the rename');
    // The teacher starts the class gently: every team's round is easy.
    host.send('host', { action: 'settings', settings: { difficulty: 'easy' } });
    await waitForState(students[4]!.session, (s) => s.settings.difficulty === 'easy', 5000, 'the difficulty');

    // Start: six team rooms, every student into their own team's room.
    host.send('host', { action: 'start' });
    const running = await waitForState(host, (s) => s.phase === 'running' && s.teams.length === 6 && [...s.teams].every((tv) => tv.roomId !== ''), 15_000, 'six team rooms');
    const teamOf = new Map([...running.students.values()].map((s) => [s.id, s.team]));
    for (const s of students) s.team = await joinTeam(s, running.teams[teamOf.get(s.id)!]!.roomId);
    // Another team's room is refused.
    const outsider = students[0]!;
    const otherTeam = running.teams[(teamOf.get(outsider.id)! + 1) % 6]!.roomId;
    await expect(joinTeam(outsider, otherTeam)).rejects.toThrow(/another team/);

    // Every student holds a node of their team's cluster.
    for (const s of students) {
      const st = await waitForState(s.team!, (x) => x.players.size > 0, 5000, 'the team state');
      const me = st.players.get(s.team!.sessionId);
      expect(me?.node ?? -1).toBeGreaterThanOrEqual(0);
    }
    // All live; the host's partition strikes every team at the same tick.
    await waitForState(host, (s) => [...s.teams].every((tv) => tv.phase === 'live' && tv.simMs >= 2000), 30_000, 'every team live');
    host.send('host', { action: 'chaos', kind: 'partition-region', target: 0, durationMs: 8000, magnitude: 0 });
    await waitForState(host, (s) => [...s.teams].every((tv) => tv.partitioned), 15_000, 'the partition in every team');
    const rooms = roomsOfSession(running.sessionId);
    expect(rooms).toHaveLength(6);
    expect(rooms.map((r) => r.sim.S.difficulty)).toEqual(Array(6).fill('easy'));
    expect(rooms.map((r) => r.recording!.difficulty)).toEqual(Array(6).fill('easy'));
    expect(students[0]!.team!.state.difficulty).toBe('easy');
    const chaosTicks = rooms.map((r) => r.recording!.commands.filter((c) => c.command.type === 'chaos').map((c) => c.tick));
    expect(chaosTicks[0]).toHaveLength(1);
    for (const ticks of chaosTicks) expect(ticks).toEqual(chaosTicks[0]);
    // Same seed, same scheduled chaos.
    const schedules = rooms.map((r) => JSON.stringify(r.recording!.chaosEvents));
    for (const sch of schedules) expect(sch).toBe(schedules[0]);
    expect(new Set(rooms.map((r) => r.recording!.seed)).size).toBe(1);

    // Pause stops every team's clock; resume starts it again.
    host.send('host', { action: 'pause' });
    await waitForState(host, (s) => [...s.teams].every((tv) => tv.paused), 5000, 'the pause');
    const frozen = rooms.map((r) => r.tick);
    await sleep(600);
    expect(rooms.map((r) => r.tick)).toEqual(frozen);
    host.send('host', { action: 'resume' });
    await waitForState(host, (s) => [...s.teams].every((tv) => !tv.paused), 5000, 'the resume');

    // A student who drops comes back to the same node.
    const back = students[7]!;
    const nodeBefore = back.team!.state.players.get(back.team!.sessionId)!.node;
    const teamRoomId = back.team!.roomId;
    await back.team!.leave(true);
    back.team = await joinTeam(back, teamRoomId);
    const again = await waitForState(back.team, (x) => x.players.get(back.team!.sessionId)?.node !== undefined, 5000, 'the rejoin');
    expect(again.players.get(back.team.sessionId)!.node).toBe(nodeBefore);

    // A poll: students answer; the host reveals.
    host.send('host', { action: 'poll', question: 'When the partition heals, what happens?', options: ['Nothing is lost', 'Some writes are lost'] });
    await waitForState(host, (s) => s.poll.open, 5000, 'the poll');
    for (const s of students.slice(0, 10)) s.session.send('answer', { poll: host.state.poll.id, choice: s.i % 2 });
    await waitForState(host, (s) => s.poll.answered === 10, 5000, 'ten answers');
    expect([...host.state.poll.counts]).toEqual([5, 5]);
    host.send('host', { action: 'reveal', answer: 1 });
    await waitForState(students[12]!.session, (s) => s.poll.revealed && s.poll.answer === 1, 5000, 'the reveal');
    // A concept card reaches every student.
    const card = nextMessage<{ card: string }>(students[5]!.session, 'card');
    host.send('host', { action: 'card', card: 'split-brain' });
    expect((await card).card).toBe('split-brain');

    // Results: a row per student with their team's totals.
    const done = await waitForState(host, (s) => s.phase === 'results', 60_000, 'the results');
    const results = JSON.parse(done.results) as RoundResults[];
    expect(results).toHaveLength(1);
    const r = results[0]!;
    expect(r.difficulty).toBe('easy');
    expect(r.teams).toHaveLength(6);
    expect(r.teams.reduce((a, tm) => a + tm.students.length, 0)).toBe(30);
    for (const tm of r.teams) {
      expect(tm.replayId).toBe('');
      expect(tm.requests).toBeGreaterThan(1000);
      const room = rooms.find((x) => x.cfg.session!.team === tm.team)!;
      expect(tm.score).toBe(room.finalSummary!.score);
      // Actions credited per student add up to the human commands the recording holds.
      const humanCommands = room.recording!.commands.filter((c) => !c.by.startsWith('bot-') && c.by !== 'host' && c.by !== 'team').length;
      expect(tm.students.reduce((a, s) => a + s.actions, 0)).toBe(humanCommands);
    }
    const csv = resultsCsv(results).trim().split('\r\n');
    expect(csv[0]).toBe(CSV_COLUMNS.join(','));
    expect(csv).toHaveLength(31);
    expect(csv.filter((l) => l.includes(',Grace,'))).toHaveLength(1);
    expect(hostErrors).toEqual([]);

    for (const s of students) {
      await s.team?.leave();
      await s.session.leave();
    }
    await host.leave();
  }, 180_000);

  it('refuses what it must, and says why; nothing else changes', async () => {
    const host = await new Client(t.ws).create<SessionState>('session', { hostKey: `${HOST_KEY}-2` });
    host.onMessage('welcome', () => {});
    const errors: ErrorMessage[] = [];
    host.onMessage('error', (e: ErrorMessage) => errors.push(e));
    const { code } = await waitForState(host, (s) => typeof s.code === 'string' && s.code.length === 6, 5000, 'the join code');
    // A cluster room cannot pass itself off as a team of the class.
    await expect(new Client(t.ws).create('cluster', { session: { id: host.state.sessionId, secret: 'forged-secret-forged-secret', team: 0, round: 1 } })).rejects.toThrow(/does not exist|ended/);
    // Joining without the code, without a player key, with junk.
    await expect(new Client(t.ws).joinById(host.roomId, { nickname: 'x', playerKey: key(500) })).rejects.toThrow(/join code/);
    await expect(new Client(t.ws).joinById(host.roomId, { code, nickname: 'x' })).rejects.toThrow(/playerKey/);
    await expect(new Client(t.ws).joinById(host.roomId, { code, playerKey: key(501), extra: 1 })).rejects.toThrow(/unknown field/);
    await expect(new Client(t.ws).joinById(host.roomId, { code, playerKey: key(502), nickname: 7 })).rejects.toThrow(/nickname/);
    await expect(new Client(t.ws).create('session', { hostKey: 'short' })).rejects.toThrow(/hostKey/);
    // The host's bad messages: each refused in words.
    const sent: unknown[] = [{ action: 'chaos', kind: 'crash' }, { action: 'pause' }, { action: 'next' }, { action: 'move', student: 'nobody', team: 0 }, { action: 'fly' }, 'junk', null, { action: 'reveal' }];
    for (const m of sent) host.send('host', m);
    host.send('nonsense', {});
    await waitUntil(() => errors.length >= sent.length + 1, 5000, 'the refusals');
    expect(errors.map((e) => e.code)).toEqual(['phase', 'phase', 'phase', 'invalid', 'invalid', 'invalid', 'invalid', 'phase', 'invalid']);
    for (const e of errors) expect(e.error.length).toBeGreaterThan(8);
    // A student: no poll to answer; too many messages get rate-limited.
    const s = await joinSession(host.roomId, code, 600);
    const studentErrors: ErrorMessage[] = [];
    s.session.onMessage('error', (e: ErrorMessage) => studentErrors.push(e));
    s.session.send('answer', { poll: 1, choice: 0 });
    for (let i = 0; i < 15; i++) s.session.send('answer', 'spam');
    await waitUntil(() => studentErrors.length >= 16, 5000, 'the student\'s refusals');
    expect(studentErrors[0]!.code).toBe('phase');
    expect(studentErrors.some((e) => e.code === 'rate-limited')).toBe(true);
    expect(host.state.phase).toBe('lobby');
    // Only the student who joined properly is in the class.
    const after = await waitForState(host, (st) => st.students.size >= 1, 5000, 'the student');
    expect(after.students.size).toBe(1);
    // The host closes the class: the student is told, the code leads nowhere any more.
    s.session.onMessage('kicked', () => {});
    const told = nextMessage<{ reason: string }>(s.session, 'kicked');
    host.send('host', { action: 'close' });
    expect((await told).reason).toMatch(/closed this class/);
    let status = 200;
    for (let i = 0; i < 40 && status === 200; i++) {
      await sleep(100);
      status = (await fetch(`${t.http}/api/sessions/${code}`)).status;
    }
    expect([404, 429]).toContain(status);
  }, 30_000);
});
