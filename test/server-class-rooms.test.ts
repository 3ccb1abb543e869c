// A class's team rooms live as long as the class needs them, through the real server: a
// team room nobody joins for longer than Colyseus's empty-room delay, or whose only visitor
// was refused, is still there when its students arrive; a team room that stops reporting
// (its process died: here the test disposes it) is made again before its round begins, and
// marked lost once the round is live, which the class screens' view says; and a team room
// counts its session gone only after it has stopped listening for SESSION_GONE_MS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type Room } from 'colyseus.js';
import { LocalPresence, matchMaker } from '@colyseus/core';
import { startTestServer, type TestServer } from './support/game-server.js';
import { nextMessage, sleep, waitForState, waitUntil } from '../server/client-util.js';
import { ClusterRoom } from '../server/rooms/ClusterRoom.js';
import { registerSession, upChannel } from '../server/sessions/bus.js';
import { SESSION_GONE_MS, TeamLink } from '../server/sessions/team-link.js';
import type { ClusterState } from '../server/rooms/schema.js';
import type { SessionState, SessionWelcome } from '../server/rooms/session-schema.js';
import { TEAM_SILENT_MS } from '../shared/session/flow.js';
import { TEAM_ROOM_LOST } from '../shared/words/phases.js';
import { teamPhaseWords, toClassView } from '../client/src/class/view.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.server.shutdown();
});

/** Colyseus disposes an empty room after its seat reservation time (15 s) unless told not to. */
const OLD_DISPOSE_MS = 15_000;
const key = (i: number) => `class-rooms-key-${String(i).padStart(4, '0')}-abcdef`;

async function hostClass(name: string, settings: Record<string, unknown>): Promise<Room<SessionState>> {
  const host = await new Client(t.ws).create<SessionState>('session', { hostKey: `class-rooms-host-${name}`, settings });
  for (const type of ['welcome', 'card', 'error']) host.onMessage(type, () => {});
  await waitForState(host, (s) => s.code.length === 6, 5000, 'the join code');
  return host;
}

async function joinClass(host: Room<SessionState>, i: number): Promise<Room<SessionState>> {
  const s = await new Client(t.ws).joinById<SessionState>(host.roomId, { code: host.state.code, nickname: `Student${i}`, playerKey: key(i) });
  for (const type of ['error', 'card', 'kicked']) s.onMessage(type, () => {});
  await nextMessage<SessionWelcome>(s, 'welcome');
  return s;
}

async function joinTeamRoom(roomId: string, i: number): Promise<Room<ClusterState>> {
  const room = await new Client(t.ws).joinById<ClusterState>(roomId, { nickname: `Student${i}`, playerKey: key(i) });
  room.onMessage('event', () => {});
  room.onMessage('error', () => {});
  return room;
}

async function listed(roomId: string): Promise<boolean> {
  return (await matchMaker.query({ roomId })).length === 1 && [...ClusterRoom.live].some((r) => r.roomId === roomId);
}

function liveRoom(roomId: string): ClusterRoom {
  const room = [...ClusterRoom.live].find((r) => r.roomId === roomId);
  if (room === undefined) throw new Error(`no team room ${roomId}`);
  return room;
}

/** Each student's team, by their index (students join as 0, 1, …). */
function teamsOf(s: SessionState): number[] {
  return [...s.students.values()].sort((a, b) => a.nickname.localeCompare(b.nickname)).map((v) => v.team);
}

describe('a class\'s team rooms', () => {
  it('stay while nobody has joined and after a refused join; a silent one is made again before its round begins', async () => {
    // A long briefing and setup: the rooms wait for their students well past the old dispose delay.
    const host = await hostClass('waiting', { teamCount: 2, briefingSeconds: 120, setupSeconds: 300 });
    for (let i = 0; i < 2; i++) await joinClass(host, i);
    await waitForState(host, (s) => s.students.size === 2, 5000, 'two students');
    host.send('host', { action: 'start' });
    const running = await waitForState(host, (s) => s.phase === 'running' && s.teams.length === 2 && [...s.teams].every((v) => v.roomId !== ''), 15_000, 'two team rooms');
    const made = Date.now();
    const teams = teamsOf(running);
    expect([...teams].sort()).toEqual([0, 1]);
    const [first, second] = [running.teams[0]!.roomId, running.teams[1]!.roomId];
    const studentOf = (team: number) => teams.indexOf(team);

    // A refused join (a student of the other team, then a stranger) leaves the room empty: it stays.
    await expect(joinTeamRoom(first, studentOf(1))).rejects.toThrow(/another team/);
    await expect(joinTeamRoom(first, 99)).rejects.toThrow(/not a student/);
    // Team 1's room dies (as with its process) before anyone joined it.
    await liveRoom(second).disconnect();

    // Past the old dispose delay (and the session's silence limit), team 0's room is still listed.
    while (Date.now() - made < OLD_DISPOSE_MS + 6000 || host.state.teams[1]!.roomId === '' || host.state.teams[1]!.roomId === second) {
      expect(await listed(first)).toBe(true);
      expect(host.state.teams[0]!.roomId).toBe(first);
      expect(Date.now() - made).toBeLessThan(OLD_DISPOSE_MS + TEAM_SILENT_MS + 20_000);
      await sleep(500);
    }
    // Both students get in: team 0 to the room that waited, team 1 to its new room.
    const remade = host.state.teams[1]!.roomId;
    expect(await listed(remade)).toBe(true);
    for (const [team, roomId] of [[0, first], [1, remade]] as const) {
      const room = await joinTeamRoom(roomId, studentOf(team));
      const st = await waitForState(room, (s) => s.players.size > 0, 5000, 'the team state');
      expect(st.players.get(room.sessionId)?.nickname).toBe(`Student${studentOf(team)}`);
      expect(st.phase).toBe('briefing');
    }
    expect(host.state.teams[1]!.phase).not.toBe(TEAM_ROOM_LOST);

    host.send('host', { action: 'close' });
    await waitUntil(() => ![...ClusterRoom.live].some((r) => r.roomId === first || r.roomId === remade), 10_000, 'the rooms closed');
  }, 90_000);

  it('a room that stops reporting once its round is live is marked lost, and the screens say so', async () => {
    const host = await hostClass('live', { teamCount: 2, briefingSeconds: 0, setupSeconds: 0, roundSeconds: 120 });
    for (let i = 10; i < 12; i++) await joinClass(host, i);
    await waitForState(host, (s) => s.students.size === 2, 5000, 'two students');
    host.send('host', { action: 'start' });
    const live = await waitForState(host, (s) => s.phase === 'running' && s.teams.length === 2 && [...s.teams].every((v) => v.phase === 'live'), 20_000, 'both teams live');
    const [first, second] = [live.teams[0]!.roomId, live.teams[1]!.roomId];

    await liveRoom(second).disconnect();
    const lost = await waitForState(host, (s) => s.teams[1]!.phase === TEAM_ROOM_LOST, TEAM_SILENT_MS + 15_000, 'team 2 marked lost');
    expect(lost.teams[1]!.roomId).toBe('');
    expect(lost.phase).toBe('running');
    const view = toClassView(lost);
    expect(teamPhaseWords(view.teams[1]!)).toBe('room lost');
    expect(teamPhaseWords(view.teams[0]!)).toMatch(/^live/);
    expect(await listed(first)).toBe(true);

    host.send('host', { action: 'close' });
    await waitUntil(() => ![...ClusterRoom.live].some((r) => r.roomId === first), 10_000, 'the rooms closed');
  }, 60_000);
});

describe('a team room\'s watch on its session', () => {
  it('counts the session gone only after SESSION_GONE_MS without its room listening', async () => {
    const presence = new LocalPresence();
    await registerSession(presence, 'sess', 'secret');
    const sessionListens = () => {};
    await presence.subscribe(upChannel('sess'), sessionListens);
    const link = await TeamLink.open(presence, { id: 'sess', secret: 'secret', team: 0, round: 1 }, () => {});
    expect(await link.sessionGone(0)).toBe(false);
    expect(await link.sessionGone(10 * SESSION_GONE_MS)).toBe(false);
    // The session room stops listening (its process died): gone only once that has lasted.
    presence.unsubscribe(upChannel('sess'), sessionListens);
    expect(await link.sessionGone(1000)).toBe(false);
    expect(await link.sessionGone(1000 + SESSION_GONE_MS - 1)).toBe(false);
    // Back in between: the count starts over.
    await presence.subscribe(upChannel('sess'), sessionListens);
    expect(await link.sessionGone(2000 + SESSION_GONE_MS)).toBe(false);
    presence.unsubscribe(upChannel('sess'), sessionListens);
    expect(await link.sessionGone(3000 + SESSION_GONE_MS)).toBe(false);
    expect(await link.sessionGone(3000 + 2 * SESSION_GONE_MS)).toBe(true);
    // Presence not answering proves nothing.
    presence.channels = () => Promise.reject(new Error('no answer'));
    expect(await link.sessionGone(3000 + 3 * SESSION_GONE_MS)).toBe(false);
    link.close();
  });
});
