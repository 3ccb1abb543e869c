// A real server on a fixed port and real colyseus.js clients: commands, refusals,
// reconnection and the team's votes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type Room } from 'colyseus.js';
import { type GameServer } from '../server/app.js';
import { startTestServer } from './support/game-server.js';
import { ClusterRoom } from '../server/rooms/ClusterRoom.js';
import { nextMessage, sleep, waitForState } from '../server/client-util.js';
import type { ClusterState } from '../server/rooms/schema.js';
import type { ErrorMessage } from '../shared/protocol/messages.js';

let URL = '';
let HTTP = '';
let server: GameServer;

beforeAll(async () => {
  ({ server, ws: URL, http: HTTP } = await startTestServer());
});
afterAll(async () => {
  await server?.shutdown();
});

/** A private tutorial room (3 seats) whose phases pass at once. */
async function liveRoom(nickname = 'Ada'): Promise<Room<ClusterState>> {
  const room = await new Client(URL).create<ClusterState>('cluster', {
    scenario: 'tutorial', private: true, nickname, lobbySeconds: 0, briefingSeconds: 0, setupSeconds: 0, roundSeconds: 120,
  });
  await waitForState(room, (s) => s.phase === 'live', 10_000, 'the live phase');
  return room;
}

function serverRoom(id: string): ClusterRoom {
  const room = [...ClusterRoom.live].find((r) => r.roomId === id);
  if (room === undefined) throw new Error(`no room ${id} on the server`);
  return room;
}

function myNode(room: Room<ClusterState>): number {
  return room.state.players.get(room.sessionId)!.node;
}

describe('a cluster room', () => {
  it('seats a player on a node; a command they send changes the state they receive', async () => {
    const room = await liveRoom('Ada');
    const s = room.state;
    const me = s.players.get(room.sessionId)!;
    expect(me.nickname).toBe('Ada');
    expect(me.node).toBe(0);
    expect(me.isBot).toBe(false);
    expect(s.nodes[0]!.owner).toBe('Ada');
    expect(s.nodes[0]!.botControlled).toBe(false);
    // The other seats are bots.
    expect([...s.players.values()].filter((p) => p.isBot).map((p) => p.node).sort()).toEqual([1, 2]);
    expect(s.nodes[0]!.drained).toBe(false);

    room.send('command', { command: { type: 'drain', node: 0 }, ref: 7 });
    await waitForState(room, (st) => st.nodes[0]!.drained, 5000, 'node 0 drained');
    await waitForState(room, (st) => st.feed.some((f) => f.kind === 'drain' && f.node === 0), 5000, 'the drain in the feed');
    const rec = serverRoom(room.roomId).recording!;
    const mine = rec.commands.filter((c) => c.by === room.sessionId);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.command).toEqual({ type: 'drain', node: 0 });
    expect(mine[0]!.tick).toBeGreaterThanOrEqual(0);
    expect(mine[0]!.tick).toBeLessThanOrEqual(serverRoom(room.roomId).tick);
    await room.leave();
  });

  it('refuses every kind of invalid input with an error to the sender; the client stays and the room goes on', async () => {
    const room = await liveRoom('Eve');
    const node = myNode(room);
    const other = (node + 1) % 3;
    const errors: ErrorMessage[] = [];
    room.onMessage('error', (m: ErrorMessage) => errors.push(m));
    const refused = async (type: string, payload: unknown, code: string, ref?: number) => {
      const got = nextMessage<ErrorMessage>(room, 'error', 3000);
      room.send(type, payload);
      const e = await got;
      expect(e.code, JSON.stringify(payload)).toBe(code);
      expect(typeof e.error).toBe('string');
      if (ref !== undefined) expect(e.ref).toBe(ref);
      return e;
    };
    await refused('command', 'restart everything', 'invalid');
    await refused('command', { command: { type: 'restart', node: '1' }, ref: 1 }, 'invalid', 1);
    await refused('command', { command: { type: 'restart', node: 99 }, ref: 2 }, 'invalid', 2);
    await refused('command', { command: { type: 'reboot', node: node }, ref: 3 }, 'invalid', 3);
    await refused('command', { command: { type: 'restart', node: other }, ref: 4 }, 'forbidden', 4);
    await refused('command', { command: { type: 'chaos', kind: 'crash', target: other, durationMs: 5000, magnitude: 0 }, ref: 5 }, 'forbidden', 5);
    await refused('vote', { proposal: { replicationFactor: 99 }, agree: true, ref: 6 }, 'invalid', 6);
    await refused('hack', { give: 'me root' }, 'invalid');
    await refused('ready', undefined, 'phase');
    await refused('ready', { phase: 'later' }, 'invalid');
    // Nothing changed: the other node was not restarted, nothing was recorded for this client.
    const srv = serverRoom(room.roomId);
    expect(srv.recording!.commands.filter((c) => c.by === room.sessionId)).toHaveLength(0);
    expect(room.state.feed.some((f) => f.kind === 'restart')).toBe(false);
    expect(room.connection.isOpen).toBe(true);

    // A flood past the rate limit: the excess is refused, the client stays connected.
    await sleep(1100);
    const before = errors.length;
    for (let i = 0; i < 30; i++) room.send('command', { command: { type: 'stance', node, stance: i % 2 === 0 ? 'serve' : 'refuse' }, ref: 100 + i });
    await waitForState(room, () => errors.filter((e) => e.code === 'rate-limited').length >= 15, 5000, 'rate-limited errors');
    const limited = errors.slice(before).filter((e) => e.code === 'rate-limited');
    expect(limited.length).toBeGreaterThanOrEqual(15);
    expect(limited.length).toBeLessThanOrEqual(21);
    expect(limited.every((e) => e.ref !== undefined && e.ref >= 100)).toBe(true);
    expect(room.connection.isOpen).toBe(true);

    // The room is healthy: time moves on and a valid command still works.
    const t = room.state.simMs;
    await sleep(1200);
    room.send('command', { command: { type: 'drain', node }, ref: 200 });
    await waitForState(room, (s) => s.nodes[node]!.drained && s.simMs > t + 1000, 5000, 'the drain after the flood');
    expect(room.connection.isOpen).toBe(true);
    await room.leave();
  });

  it('gives a player whose connection dropped the same node back when they reconnect', async () => {
    const a = await new Client(URL).create<ClusterState>('cluster', {
      scenario: 'tutorial', private: true, nickname: 'Ada', lobbySeconds: 60, briefingSeconds: 0, setupSeconds: 0, roundSeconds: 120,
    });
    const clientB = new Client(URL);
    const b = await clientB.joinById<ClusterState>(a.roomId, { nickname: 'Bob' });
    await waitForState(b, (s) => s.players.get(b.sessionId)?.node === 1, 5000, 'Bob seated');
    a.send('ready', { phase: 'lobby' });
    b.send('ready', { phase: 'lobby' });
    await waitForState(b, (s) => s.phase === 'live', 10_000, 'the live phase');
    b.send('command', { command: { type: 'stance', node: 1, stance: 'serve' }, ref: 1 });
    await waitForState(a, (s) => s.nodes[1]!.stance === 'serve' && s.players.get(b.sessionId)!.actions === 1, 5000, "Bob's action");

    const sessionId = b.sessionId;
    const token = b.reconnectionToken;
    await b.leave(false); // the connection drops; no goodbye
    await waitForState(a, (s) => s.players.get(sessionId)?.connected === false && s.nodes[1]!.botControlled, 5000, 'Bob away');
    expect(a.state.nodes[1]!.owner).toBe('Bob');

    const b2 = await clientB.reconnect<ClusterState>(token);
    expect(b2.sessionId).toBe(sessionId);
    await waitForState(b2, (s) => s.players.get(sessionId)?.connected === true && !s.nodes[1]!.botControlled, 5000, 'Bob back');
    const me = b2.state.players.get(sessionId)!;
    expect(me.node).toBe(1);
    expect(me.actions).toBe(1);
    b2.send('command', { command: { type: 'drain', node: 1 }, ref: 2 });
    await waitForState(a, (s) => s.nodes[1]!.drained, 5000, 'node 1 drained by Bob');
    await b2.leave();
    await a.leave();
  });

  it('changes a setting by a majority vote of the team, and not by a minority', async () => {
    const opts = { scenario: 'tutorial', private: true, lobbySeconds: 60, briefingSeconds: 0, setupSeconds: 300, roundSeconds: 120, voteSeconds: 60 };
    const a = await new Client(URL).create<ClusterState>('cluster', { ...opts, nickname: 'Ada' });
    const b = await new Client(URL).joinById<ClusterState>(a.roomId, { nickname: 'Bob' });
    const c = await new Client(URL).joinById<ClusterState>(a.roomId, { nickname: 'Cy' });
    // A full room leaves the lobby at once; a `ready` for a phase that is over is ignored.
    for (const r of [a, b, c]) r.send('ready', { phase: 'lobby' });
    await waitForState(a, (s) => s.phase === 'setup', 10_000, 'the setup phase');
    const before = a.state.settings.readRepair;
    const proposal = { readRepair: !before };

    // One of three agrees: open, not passed, nothing changes.
    a.send('vote', { proposal, agree: true });
    await waitForState(a, (s) => s.vote.status === 'open' && s.vote.yes === 1, 5000, 'an open vote');
    expect(a.state.vote.electorate).toBe(3);
    expect(a.state.vote.needed).toBe(2);
    // A different proposal cannot open while this one is.
    b.send('vote', { proposal: { shardCount: 2 }, agree: true, ref: 9 });
    expect((await nextMessage<ErrorMessage>(b, 'error', 3000)).ref).toBe(9);
    await sleep(500);
    expect(a.state.settings.readRepair).toBe(before);
    // The other two disagree: it fails, nothing changes.
    b.send('vote', { proposal, agree: false });
    c.send('vote', { proposal, agree: false });
    await waitForState(a, (s) => s.vote.status === 'failed', 5000, 'a failed vote');
    await sleep(300);
    expect(a.state.settings.readRepair).toBe(before);

    // Two of three agree: it passes and the setting changes.
    a.send('vote', { proposal, agree: true });
    await waitForState(a, (s) => s.vote.status === 'open' && s.vote.id === 2, 5000, 'a second vote');
    b.send('vote', { proposal, agree: true });
    await waitForState(a, (s) => s.vote.status === 'passed' && s.settings.readRepair === !before, 5000, 'the setting changed');

    // Live: a `configure` command opens a vote; once a majority agrees it is applied at a tick.
    for (const r of [a, b, c]) r.send('ready', { phase: 'setup' });
    await waitForState(a, (s) => s.phase === 'live', 10_000, 'the live phase');
    c.send('command', { command: { type: 'configure', settings: { antiEntropyMs: 4321 } }, ref: 3 });
    const opened = await waitForState(a, (s) => s.vote.status === 'open' && s.vote.yes === 1, 5000, 'a live vote');
    // Half a simulated second later, the minority's proposal is still not applied.
    const at = opened.simMs;
    await waitForState(a, (s) => s.simMs >= at + 500, 5000, 'half a second of the round');
    expect(a.state.settings.antiEntropyMs).not.toBe(4321);
    a.send('vote', { proposal: { antiEntropyMs: 4321 }, agree: true });
    await waitForState(a, (s) => s.settings.antiEntropyMs === 4321, 5000, 'the live setting changed');
    const rec = serverRoom(a.roomId).recording!;
    expect(rec.commands.some((x) => x.by === 'team' && x.command.type === 'configure')).toBe(true);
    // The setup choice is the round's starting settings.
    expect(rec.settings?.readRepair).toBe(!before);
    for (const r of [a, b, c]) await r.leave();
  });

  it('tutorial steps: the room strikes a crash on a bot, then on the player (who restarts it), then cuts the player off; all recorded as chaos', async () => {
    const room = await new Client(URL).create<ClusterState>('cluster', {
      scenario: 'tutorial', private: true, nickname: 'Tess', chaos: 'none', lobbySeconds: 0, briefingSeconds: 0, setupSeconds: 0, roundSeconds: 120,
    });
    const errors: ErrorMessage[] = [];
    room.onMessage('error', (m: ErrorMessage) => errors.push(m));
    const refused = async (payload: unknown, code: string) => {
      const got = nextMessage<ErrorMessage>(room, 'error', 3000);
      room.send('tutorial-step', payload);
      expect((await got).code, JSON.stringify(payload)).toBe(code);
    };
    await waitForState(room, (s) => s.phase === 'live', 10_000, 'the live phase');
    const me = myNode(room);
    await refused({ step: 'meltdown' }, 'invalid');
    await refused({ step: 7 }, 'invalid');
    await refused({ step: 'crash', node: 2 }, 'invalid');
    await refused('crash', 'invalid');
    await refused({}, 'invalid');
    for (const n of room.state.nodes) expect(n.status).toBe('up');
    // A step without a fault is accepted and does nothing.
    room.send('tutorial-step', { step: 'select-node' });

    room.send('tutorial-step', { step: 'crash' });
    const crashed = await waitForState(room, (s) => s.nodes.some((n) => n.status === 'down'), 5000, 'a crash');
    const down = crashed.nodes.filter((n) => n.status === 'down').map((n) => n.id);
    expect(down).toHaveLength(1);
    expect(down[0]).not.toBe(me);
    // Sent again while the crash shows: no second fault.
    const sentAt = room.state.simMs;
    room.send('tutorial-step', { step: 'crash' });
    await waitForState(room, (s) => s.simMs >= sentAt + 600, 5000, 'the round 0.6 s on');
    expect(room.state.nodes.filter((n) => n.status === 'down' && n.id !== down[0])).toHaveLength(0);

    room.send('tutorial-step', { step: 'restart' });
    await waitForState(room, (s) => s.nodes[me]!.status === 'down', 5000, 'my node crashed');
    room.send('command', { command: { type: 'restart', node: me }, ref: 1 });
    await waitForState(room, (s) => s.nodes[me]!.status !== 'down', 5000, 'my node restarting');

    // The split waits until every node is up again (the bot's crashed node too): the coach
    // says the step again while it waits, as this loop does.
    const again = setInterval(() => room.send('tutorial-step', { step: 'partition' }), 500);
    const cut = await waitForState(room, (s) => s.network.partitioned, 30_000, 'a partition').finally(() => clearInterval(again));
    const mine = cut.nodes[me]!.group;
    expect(cut.nodes.filter((n) => n.group === mine).map((n) => n.id)).toEqual([me]);

    expect(errors.filter((e) => e.code !== 'invalid')).toEqual([]);
    const rec = serverRoom(room.roomId).recording!;
    const scripted = rec.commands.filter((c) => c.by === 'tutorial');
    expect(scripted.map((c) => c.command.type === 'chaos' && c.command.kind)).toEqual(['crash', 'crash', 'partition-random']);
    await room.leave();

    // Before the live phase: refused.
    const early = await new Client(URL).create<ClusterState>('cluster', { scenario: 'tutorial', private: true, nickname: 'Lee', lobbySeconds: 60 });
    const phase = nextMessage<ErrorMessage>(early, 'error', 3000);
    early.send('tutorial-step', { step: 'partition' });
    expect((await phase).code).toBe('phase');
    expect(serverRoom(early.roomId).sim.S.partition).toBeNull();
    await early.leave();

    // Not a tutorial room: refused.
    const bank = await new Client(URL).create<ClusterState>('cluster', { scenario: 'bank', private: true, nickname: 'Bo', lobbySeconds: 60 });
    const got = nextMessage<ErrorMessage>(bank, 'error', 3000);
    bank.send('tutorial-step', { step: 'crash' });
    expect((await got).code).toBe('forbidden');
    await bank.leave();
  });

  it('quick play matches rooms by difficulty: asking for easy never lands in a hard round', async () => {
    // Public rounds of one scenario waiting in their lobbies; each joinOrCreate is a quick play.
    const quick = (nickname: string, difficulty?: string) =>
      new Client(URL).joinOrCreate<ClusterState>('cluster', { scenario: 'inventory', nickname, lobbySeconds: 60, ...(difficulty === undefined ? {} : { difficulty }) });
    // A room made without a difficulty is a normal one, and a player asking for normal finds it.
    const plain = await quick('Dan');
    const normal = await quick('Eve', 'normal');
    expect(normal.roomId).toBe(plain.roomId);
    const easy = await quick('Ann', 'easy');
    const hard = await quick('Ben', 'hard');
    const easyToo = await quick('Cat', 'easy');
    expect(new Set([plain.roomId, easy.roomId, hard.roomId]).size).toBe(3);
    expect(easyToo.roomId).toBe(easy.roomId);
    const states = await Promise.all([easy, hard, normal].map((r) => waitForState(r, (s) => s.scenario === 'inventory', 5000, 'the round')));
    expect(states.map((s) => s.difficulty)).toEqual(['easy', 'hard', 'normal']);
    expect(serverRoom(easy.roomId).round.sim.S.difficulty).toBe('easy');
    expect(serverRoom(hard.roomId).round.sim.S.difficulty).toBe('hard');
    // An unknown difficulty is refused in words, and makes no room.
    await expect(quick('Fay', 'nightmare')).rejects.toThrow(/difficulty must be one of: easy, normal, hard/);
    for (const r of [easy, hard, easyToo, plain, normal]) await r.leave();
  });

  it("quick play matches rooms by all their options: the first player's choices never apply to a player who asked for another round", async () => {
    const quick = (nickname: string, extra: Record<string, unknown> = {}) =>
      new Client(URL).joinOrCreate<ClusterState>('cluster', { scenario: 'chat', nickname, lobbySeconds: 60, ...extra });
    // The first player of each room asked for something of their own.
    const calm = await quick('Ann', { chaos: 'none' });
    const seeded = await quick('Ben', { seed: 4242 });
    const long = await quick('Cat', { lobbySeconds: 300 });
    const short = await quick('Dan', { roundSeconds: 60 });
    const plain = await quick('Eve');
    const firsts = [calm, seeded, long, short, plain];
    expect(new Set(firsts.map((r) => r.roomId)).size).toBe(firsts.length);
    expect(serverRoom(calm.roomId).cfg.chaos).toBe('none');
    expect(serverRoom(plain.roomId).cfg.chaos).toBe('normal');
    expect(serverRoom(plain.roomId).cfg.seed).toBeUndefined();
    // Each later player lands in the room made exactly as they asked, defaults read as defaults.
    const joins = [
      [await quick('Fay', { chaos: 'none' }), calm],
      [await quick('Gus', { seed: 4242 }), seeded],
      [await quick('Hal', { lobbySeconds: 300 }), long],
      [await quick('Ivy', { roundSeconds: 60 }), short],
      [await quick('Jo', { chaos: 'normal', preset: 'cp', difficulty: 'normal' }), plain],
    ] as const;
    for (const [later, first] of joins) expect(later.roomId).toBe(first.roomId);
    for (const r of [...firsts, ...joins.map(([later]) => later)]) await r.leave();
  });

  it('a room with every phase before live at 0 never refuses its own creator, even one whose connection arrives late', async () => {
    const options = { scenario: 'tutorial', private: true, nickname: 'Ada', lobbySeconds: 0, briefingSeconds: 0, setupSeconds: 0, roundSeconds: 120 };
    // As the browser does it, several times over: create, then connect at once.
    for (let i = 0; i < 5; i++) {
      const room = await new Client(URL).create<ClusterState>('cluster', options);
      const s = await waitForState(room, (st) => st.phase === 'live' && st.players.get(room.sessionId)?.node === 0, 10_000, 'the creator seated, live');
      expect(s.players.get(room.sessionId)!.isBot).toBe(false);
      await room.leave();
    }
    // A slow network between the seat and the socket: the creator still gets the seat, and the
    // round waits for them (it does not go live, nor fill their seat with a bot, without them).
    for (const delayMs of [150, 400]) {
      const res = await fetch(`${HTTP}/matchmake/create/cluster`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(options) });
      expect(res.status).toBe(200);
      const reservation = await res.json();
      await sleep(delayMs);
      const room = await new Client(URL).consumeSeatReservation<ClusterState>(reservation);
      const s = await waitForState(room, (st) => st.phase === 'live' && st.players.get(room.sessionId)?.node === 0, 10_000, 'the late creator seated, live');
      expect(s.nodes[0]!.owner).toBe('Ada');
      expect(s.nodes[0]!.botControlled).toBe(false);
      await room.leave();
    }
  });
});
