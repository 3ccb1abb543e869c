// The round as a pure model (shared/round/model.ts), driven without a server: phases on
// time and on ready, votes, seats passing to bots and back, contributions, the debrief of a
// round cut short, and the host's chaos at its tick.
import { describe, expect, it } from 'vitest';
import { RoundModel, type RoundConfig, type RoundEffect, type RoundInput } from '../shared/round/model.js';
import { CHECKPOINT_EVERY_TICKS, checkpointHash } from '../shared/replay/recording.js';
import { actorKey, HOST } from '../shared/round/actor.js';
import { TICK_MS } from '../shared/round/runner.js';
import { getScenario } from '../shared/scenarios/index.js';
import { contribution } from '../shared/sim/summary.js';
import { proposalWords } from '../shared/words/settings.js';

function config(over: Partial<RoundConfig> = {}): RoundConfig {
  return {
    scenario: getScenario('bank')!, preset: 'cp', chaos: 'none', seed: 3, roundSeconds: 20,
    lobbySeconds: 10, briefingSeconds: 5, setupSeconds: 5, debriefSeconds: 5, voteSeconds: 10,
    inClass: false, checkpoints: { every: CHECKPOINT_EVERY_TICKS, fingerprint: checkpointHash }, ...over,
  };
}

/** A model opened, with the effects it has produced so far. */
function open(over: Partial<RoundConfig> = {}): { m: RoundModel; log: RoundEffect[]; send: (i: RoundInput) => RoundEffect[]; wait: (ms: number) => RoundEffect[] } {
  const m = new RoundModel(config(over));
  const log: RoundEffect[] = [];
  const send = (i: RoundInput) => {
    const fx = m.handle(i);
    log.push(...fx);
    return fx;
  };
  // Wall-clock time arrives in simulation intervals, as setSimulationInterval delivers it.
  const wait = (ms: number) => {
    const fx: RoundEffect[] = [];
    for (let t = 0; t < ms; t += TICK_MS) fx.push(...send({ type: 'time', ms: TICK_MS }));
    return fx;
  };
  send({ type: 'open' });
  return { m, log, send, wait };
}

const join = (key: string, nickname = key, playerKey: string | null = null): RoundInput => ({ type: 'join', key, nickname, bot: false, playerKey });
const of = <T extends RoundEffect['type']>(fx: readonly RoundEffect[], type: T) => fx.filter((e): e is Extract<RoundEffect, { type: T }> => e.type === type);

/** Into the live phase with the players given, the rest of the seats bots. */
function live(keys: string[], over: Partial<RoundConfig> = {}) {
  const r = open(over);
  for (const k of keys) r.send(join(k));
  r.wait(10_000 + 5_000 + 5_000);
  expect(r.m.phase).toBe('live');
  return r;
}

describe('the round model: phases', () => {
  it('advance on their wall-clock countdowns, and the live phase lasts the round', () => {
    const { m, log, wait, send } = open();
    send(join('a'));
    expect(m.phase).toBe('lobby');
    wait(9_950);
    expect(m.phase).toBe('lobby');
    wait(50);
    expect(m.phase).toBe('briefing');
    // Bots took the empty seats as the lobby closed.
    expect(of(log, 'owner').slice(-4).map((e) => e.owner.owner)).toEqual(['Bot 1', 'Bot 2', 'Bot 3', 'Bot 4']);
    wait(5_000);
    expect(m.phase).toBe('setup');
    const start = wait(5_000);
    expect(m.phase).toBe('live');
    const liveFx = of(start, 'live');
    expect(liveFx).toHaveLength(1);
    expect(liveFx[0]!.roster.map((r) => r.isBot)).toEqual([false, true, true, true, true]);
    expect(of(start, 'lock')).toHaveLength(1);
    const rest = wait(20_000);
    expect(of(rest, 'stepped').at(-1)!.tick).toBe(20_000 / TICK_MS);
    expect(m.isClosing).toBe(true);
    while (m.isClosing) send({ type: 'closing-step' });
    expect(m.phase).toBe('debrief');
    expect(of(log, 'debrief')[0]!.debrief.interrupted).toBe(false);
    wait(5_000);
    expect(of(log, 'close')).toHaveLength(1);
  });

  it('end early when everyone present is ready; a stale ready is ignored; a full room skips the lobby', () => {
    const { m, send, log } = open();
    send(join('a'));
    send(join('b'));
    send({ type: 'ready', key: 'a', phase: undefined });
    expect(m.phase).toBe('lobby');
    send({ type: 'ready', key: 'b', phase: 'briefing' });
    expect(m.phase).toBe('lobby');
    send({ type: 'ready', key: 'b', phase: 'lobby' });
    expect(m.phase).toBe('briefing');
    send({ type: 'ready', key: 'a', phase: undefined });
    send({ type: 'ready', key: 'b', phase: undefined });
    expect(m.phase).toBe('setup');
    expect(of(log, 'phase').map((e) => e.phase)).toEqual(['lobby', 'briefing', 'setup']);

    const full = open();
    for (const k of ['a', 'b', 'c', 'd', 'e']) full.send(join(k));
    expect(full.m.phase).toBe('briefing');
    const late = full.send(join('f'));
    expect(of(late, 'join-refused')[0]!.error).toBe('every seat in this room is taken');
  });

  it('refuses node actions before the live phase, with the sender\'s ref', () => {
    const { send } = open();
    send(join('a'));
    const fx = send({ type: 'command', key: 'a', command: { type: 'drain', node: 0 }, ref: 9 });
    expect(of(fx, 'error')).toEqual([{ type: 'error', to: 'a', ref: 9, error: 'node actions wait for the live phase (now: lobby)', code: 'phase' }]);
  });
});

describe('the round model: votes', () => {
  function inSetup(keys: string[], over: Partial<RoundConfig> = {}) {
    const r = open(over);
    for (const k of keys) r.send(join(k));
    r.wait(15_000);
    expect(r.m.phase).toBe('setup');
    return r;
  }

  it('passes by a strict majority of the connected humans, and the setup trial makes it the starting settings', () => {
    const { m, send } = inSetup(['a', 'b', 'c']);
    const before = m.sim;
    send({ type: 'vote', key: 'a', proposal: { replicationFactor: 4 }, agree: true });
    expect(m.startSettings.replicationFactor).not.toBe(4);
    const fx = send({ type: 'vote', key: 'b', proposal: { replicationFactor: 4 }, agree: true });
    expect(of(fx, 'vote').at(-1)!.view).toMatchObject({ status: 'passed', yes: 2, electorate: 3, needed: 2 });
    expect(m.startSettings.replicationFactor).toBe(4);
    expect(m.sim).not.toBe(before);
    expect(of(fx, 'simulation')).toHaveLength(1);
  });

  it('fails when a majority can no longer be reached, and expires on its clock', () => {
    const { send, wait } = inSetup(['a', 'b', 'c'], { voteSeconds: 3 });
    send({ type: 'vote', key: 'a', proposal: { replicationFactor: 4 }, agree: true });
    send({ type: 'vote', key: 'b', proposal: { replicationFactor: 4 }, agree: false });
    const fx = send({ type: 'vote', key: 'c', proposal: { replicationFactor: 4 }, agree: false });
    expect(of(fx, 'vote').at(-1)!.view.status).toBe('failed');
    expect(of(fx, 'feed').at(-1)!.text).toBe(`The team voted down ${proposalWords({ replicationFactor: 4 })} (1 of 3 agreed)`);

    send({ type: 'vote', key: 'a', proposal: { replicationFactor: 2 }, agree: true });
    const other = send({ type: 'vote', key: 'b', proposal: { replicationFactor: 3 }, agree: true });
    expect(of(other, 'error')[0]!.error).toMatch(/^another vote is open/);
    const late = wait(3_000);
    expect(of(late, 'vote').at(-1)!.view.status).toBe('expired');
    expect(of(late, 'feed').at(-1)!.text).toBe(`The vote on ${proposalWords({ replicationFactor: 2 })} expired`);
  });

  it('a passed change the cluster cannot take is refused, to the proposer, with the reason', () => {
    const { m, send } = inSetup(['a']);
    const fx = send({ type: 'vote', key: 'a', proposal: { replicationFactor: 7 }, agree: true, ref: 4 });
    expect(of(fx, 'vote').at(-1)!.view.status).toBe('refused');
    const err = of(fx, 'error')[0]!;
    expect(err).toMatchObject({ to: 'a', ref: 4, code: 'invalid' });
    expect(err.error).toMatch(/replication factor of 7/);
    expect(m.startSettings.replicationFactor).not.toBe(7);
  });

  it('bots do not vote, and nobody votes outside setup and live', () => {
    const { send, wait } = open();
    send({ type: 'join', key: 'r', nickname: 'Robo', bot: true, playerKey: null });
    send(join('a'));
    expect(of(send({ type: 'vote', key: 'a', proposal: { replicationFactor: 4 }, agree: true }), 'error')[0]!.code).toBe('phase');
    wait(15_000);
    expect(of(send({ type: 'vote', key: 'r', proposal: { replicationFactor: 4 }, agree: true }), 'error')[0]).toMatchObject({ code: 'forbidden', error: 'bots do not vote: they keep the preset' });
  });
});

describe('the round model: seats', () => {
  it('an away player\'s node is run by a stand-in bot until they come back; a leaver\'s goes to a bot for good', () => {
    const { send, wait } = live(['a', 'b']);
    const away = send({ type: 'away', key: 'a', consented: false });
    expect(of(away, 'await-return')).toEqual([{ type: 'await-return', key: 'a' }]);
    expect(of(away, 'owner')[0]).toMatchObject({ node: 0, owner: { ownerId: 'a', botControlled: true } });
    // The stand-in bot plays for the team, the seat stays theirs.
    wait(2_000);
    const back = send({ type: 'back', key: 'a' });
    expect(of(back, 'owner')[0]).toMatchObject({ node: 0, owner: { ownerId: 'a', owner: 'a', botControlled: false } });

    send({ type: 'away', key: 'b', consented: false });
    const gone = send({ type: 'leave', key: 'b' });
    expect(of(gone, 'owner').at(-1)).toMatchObject({ node: 1, owner: { ownerId: 'bot-1', owner: 'Bot 1', botControlled: true } });
    expect(of(gone, 'seat').at(-1)!.entry).toEqual({ id: 'bot-1', nickname: 'Bot 1', node: 1, isBot: true });
    expect(of(gone, 'feed').at(-1)!.text).toBe('b left; a bot runs node 1');
  });

  it('a class\'s student who comes back under a new connection gets their own node back', () => {
    const r = open({ inClass: true });
    r.send(join('s1', 'Ada', 'key-ada'));
    r.send(join('s2', 'Bo', 'key-bo'));
    r.wait(20_000);
    expect(r.m.phase).toBe('live');
    const fx = r.send(join('s3', 'Ada', 'key-ada'));
    expect(of(fx, 'disconnect')).toEqual([{ type: 'disconnect', key: 's1', code: 4000 }]);
    expect(of(fx, 'player-gone').map((e) => e.id)).toContain('s1');
    const ada = [...r.m.everyone].find((p) => p.nickname === 'Ada')!;
    expect(ada).toMatchObject({ key: 's3', node: 0, connected: true });
    expect(of(fx, 'feed').at(-1)!.text).toBe('Ada is back on node 0');
    // The old connection's close comes later and changes nothing.
    expect(r.send({ type: 'away', key: 's1', consented: false })).toEqual([]);
  });

  it('keeps an away player\'s seat for their player key only while they are expected back', () => {
    const r = open();
    r.send(join('a', 'Ada', 'key-ada'));
    r.send(join('b', 'Bo', 'key-bo'));
    r.wait(20_000);
    expect(r.m.phase).toBe('live');
    // Connected: nothing is kept (the server has not noticed a drop yet), the connection is open.
    expect(r.m.keptFor('key-ada')).toBeNull();
    expect(r.m.openFor('key-ada')).toBe(true);
    r.send({ type: 'away', key: 'a', consented: false });
    expect(r.m.keptFor('key-ada')).toBe('a');
    expect(r.m.openFor('key-ada')).toBe(false);
    expect(r.m.keptFor('key-bo')).toBeNull();
    expect(r.m.keptFor('key-someone-else')).toBeNull();
    r.send({ type: 'back', key: 'a' });
    expect(r.m.keptFor('key-ada')).toBeNull();
    // Not back in time: the seat went to a bot, nothing is kept any more.
    r.send({ type: 'away', key: 'a', consented: false });
    r.send({ type: 'leave', key: 'a' });
    expect(r.m.keptFor('key-ada')).toBeNull();
    // A player who left on purpose has nothing kept.
    r.send({ type: 'away', key: 'b', consented: true });
    expect(r.m.keptFor('key-bo')).toBeNull();
    expect(r.m.openFor('key-bo')).toBe(false);
    expect(r.m.openFor('key-someone-else')).toBe(false);
  });
});

describe('the round model: contributions, the debrief, the host', () => {
  it('a player is credited the requests their node served, and their share of the score', () => {
    const { m, send, wait, log } = live(['a']);
    wait(20_000);
    while (m.isClosing) send({ type: 'closing-step' });
    const d = of(log, 'debrief')[0]!.debrief;
    const served = m.sim.S.nodes[0]!.served;
    expect(served).toBeGreaterThan(0);
    const me = d.players.find((p) => p.id === 'a')!;
    expect(me.served).toBe(served);
    const total = d.players.reduce((n, p) => n + p.served, 0);
    expect(total).toBe(m.sim.S.nodes.reduce((n, node) => n + node.served, 0));
    expect(me.contribution).toBe(contribution(d.summary.score, served, total));
  });

  it('a round cut short is summed up as it stands, lost writes unjudged', () => {
    const { m, send, wait } = live(['a']);
    wait(7_000);
    send({ type: 'command', key: 'a', command: { type: 'drain', node: 0 }, ref: 1 });
    wait(500);
    const fx = send({ type: 'end' });
    expect(m.phase).toBe('debrief');
    const d = of(fx, 'debrief')[0]!.debrief;
    expect(d.interrupted).toBe(true);
    expect(d.summary.durationMs).toBe(m.tick * TICK_MS);
    expect(d.summary.lostWrites).toBe(0);
    expect(d.summary.score).toBe(m.finalSummary!.score);
    expect(d.checkpoints).toBe(Math.floor(m.tick / CHECKPOINT_EVERY_TICKS));
    expect(d.record.events.some((e) => e.kind === 'drain' && e.by === 'a')).toBe(true);
    expect(d.players.find((p) => p.id === 'a')!.actions).toBe(1);
  });

  it('a player\'s node action that helped is credited in the debrief, and its points count in their share', () => {
    // Every seat held by a person, so no bot restarts anything.
    const { m, send, wait, log } = live(['a', 'b', 'c', 'd', 'e'], { inClass: true });
    const crash = (target: number) => ({ type: 'chaos' as const, kind: 'crash' as const, target, durationMs: 60_000, magnitude: 0 });
    send({ type: 'chaos', atTick: m.tick + 20, command: crash(0) });
    send({ type: 'chaos', atTick: m.tick + 20, command: crash(1) });
    wait(6_000);
    send({ type: 'command', key: 'a', command: { type: 'restart', node: 0 }, ref: 1 });
    wait(20_000);
    while (m.isClosing) send({ type: 'closing-step' });
    const d = of(log, 'debrief')[0]!.debrief;
    expect(d.credits).toHaveLength(1);
    expect(d.credits![0]!.by).toBe('a');
    expect(d.credits![0]!.text).toMatch(/^a's restart of node 0 at \d:\d\d raised the requests that succeeded to .*; without it, /);
    // Points: requests served plus the requests the restart improved (bank forbids stale reads: none here).
    const rows = d.players.filter((p) => !p.isBot);
    expect(rows.every((p) => p.anomalies === 0)).toBe(true);
    const points = (p: (typeof rows)[number]) => p.served + (p.id === 'a' ? d.credits![0]!.points : 0);
    const total = rows.reduce((n, p) => n + points(p), 0);
    for (const p of rows) expect(p.contribution).toBe(contribution(d.summary.score, points(p), total));
  });

  it('a team still in setup keeps the host\'s chaos for the same tick of its own live phase', () => {
    const { m, send, wait } = open({ inClass: true });
    send(join('a'));
    wait(10_000 + 5_000);
    expect(m.phase).toBe('setup');
    send({ type: 'chaos', atTick: 40, command: { type: 'chaos', kind: 'crash', target: 1, durationMs: 5_000, magnitude: 0 } });
    const fx = wait(5_000 + 3_000);
    expect(m.phase).toBe('live');
    expect(of(fx, 'applied').filter((e) => e.by.kind === 'host').map((e) => e.tick)).toEqual([40]);
  });

  it('a round the teacher ends says so in its debrief', () => {
    const { send } = live(['a'], { inClass: true });
    const d = of(send({ type: 'end' }), 'debrief')[0]!.debrief;
    expect(d.interrupted).toBe(true);
    expect(d.endedBy).toBe('teacher');
  });

  it('the host\'s chaos lands at its tick, and a late team takes it at once', () => {
    const { m, send, wait } = live(['a'], { inClass: true });
    wait(500);
    const now = m.tick;
    send({ type: 'chaos', atTick: now + 30, command: { type: 'chaos', kind: 'crash', target: 2, durationMs: 5_000, magnitude: 0 } });
    const fx = wait(3_000);
    const applied = of(fx, 'applied').filter((e) => e.by.kind === 'host');
    expect(applied.map((e) => e.tick)).toEqual([now + 30]);
    send({ type: 'chaos', atTick: 1, command: { type: 'chaos', kind: 'crash', target: 3, durationMs: 5_000, magnitude: 0 } });
    const late = wait(TICK_MS);
    expect(of(late, 'applied').filter((e) => e.by.kind === 'host').map((e) => e.tick)).toEqual([m.tick - 1]);
    // The debrief's round record names the host as the actor key does.
    const d = of(send({ type: 'end' }), 'debrief')[0]!.debrief;
    expect(d.record.events.filter((e) => e.by === actorKey(HOST))).toHaveLength(2);
  });
});
