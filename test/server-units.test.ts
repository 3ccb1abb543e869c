// The server's small pure parts, without a server: options, nicknames, votes, the rate
// limit, configuration and the bot CLI's arguments.
import { describe, expect, it } from 'vitest';
import { cleanNickname, parseJoinOptions, parseRoomOptions, uniqueNickname } from '../server/rooms/options.js';
import { sameProposal, tally, type Vote } from '../shared/round/votes.js';
import { createBucket, takeToken } from '../server/rooms/rate-limit.js';
import { readConfig } from '../server/config.js';
import { withBase } from '../server/app.js';
import { parseBotsArgs } from '../server/bots/cli.js';
import { createProjectionMemory, projectSim, projectStatic, utilizationOf } from '../server/rooms/projection.js';
import { parseTutorialStep, tutorialChaos } from '../server/rooms/tutorial.js';
import { ClusterState } from '../server/rooms/schema.js';
import { advance, createSim } from '../shared/sim/engine.js';
import { applyCommand } from '../shared/sim/commands.js';
import { getScenario } from '../shared/scenarios/index.js';

describe('room options', () => {
  it('defaults to the scenario and its round length', () => {
    const r = parseRoomOptions({ scenario: 'feed' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.scenario.id).toBe('feed');
    expect(r.value.roundSeconds).toBe(300);
    expect(r.value.preset).toBe('cp');
    expect(r.value.seed).toBeUndefined();
    expect(r.value.lobbySeconds).toBe(15);
    // Older clients send no difficulty: their rounds are normal ones.
    expect(r.value.difficulty).toBe('normal');
    expect(parseRoomOptions({ private: true }).ok && (parseRoomOptions({ private: true }) as { value: { lobbySeconds: number } }).value.lobbySeconds).toBe(0);
  });

  it.each([
    [{ scenario: 'nope' }, 'scenario'],
    [{ scenario: 'constructor' }, 'scenario'],
    [{ scenario: 'bank', preset: 'version-vectors' }, 'preset'],
    [{ chaos: 'extreme' }, 'chaos'],
    [{ difficulty: 'nightmare' }, 'difficulty must be one of: easy, normal, hard'],
    [{ difficulty: 2 }, 'difficulty'],
    [{ difficulty: '' }, 'difficulty'],
    [{ seed: -1 }, 'seed'],
    [{ seed: 1.5 }, 'seed'],
    [{ roundSeconds: 29 }, 'roundSeconds'],
    [{ roundSeconds: 601 }, 'roundSeconds'],
    [{ roundSeconds: '60' }, 'roundSeconds'],
    [{ private: 'yes' }, 'private'],
    [{ lobbySeconds: -1 }, 'lobbySeconds'],
    [{ setupSeconds: 10_000 }, 'setupSeconds'],
    [{ nickname: 7 }, 'nickname'],
    [{ admin: true }, 'admin'],
    [[1, 2], 'array'],
    ['bank', 'object'],
  ])('refuses %j', (input, mentions) => {
    const r = parseRoomOptions(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain(mentions);
  });

  it('accepts the bounds themselves', () => {
    expect(parseRoomOptions({ roundSeconds: 30, lobbySeconds: 0, briefingSeconds: 0, setupSeconds: 0, seed: 0xffffffff }).ok).toBe(true);
    expect(parseRoomOptions({ roundSeconds: 600 }).ok).toBe(true);
    expect(parseRoomOptions(undefined).ok).toBe(true);
    for (const difficulty of ['easy', 'normal', 'hard']) {
      const r = parseRoomOptions({ difficulty });
      expect(r.ok && r.value.difficulty).toBe(difficulty);
    }
  });

  it('join options ignore room options but check their own', () => {
    expect(parseJoinOptions({ scenario: 'bank', nickname: 'Ada' })).toEqual({ ok: true, value: { nickname: 'Ada', bot: false, playerKey: null } });
    expect(parseJoinOptions({ playerKey: 'abcdefghijklmnop' })).toEqual({ ok: true, value: { nickname: '', bot: false, playerKey: 'abcdefghijklmnop' } });
    for (const playerKey of ['short', 'x'.repeat(65), 'has space in it here', 42]) expect(parseJoinOptions({ playerKey }).ok).toBe(false);
    // A class's team room: only with the session's proof, which the room then checks against presence.
    expect(parseRoomOptions({ session: { id: 'abc', secret: 'x'.repeat(24), team: 2, round: 1 } }).ok).toBe(true);
    expect(parseRoomOptions({ session: { id: 'abc', secret: 'x'.repeat(24), team: 12, round: 1 } }).ok).toBe(false);
    expect(parseRoomOptions({ session: { id: 'abc', team: 1, round: 1 } }).ok).toBe(false);
    expect(parseJoinOptions({ bot: 'true' }).ok).toBe(false);
    expect(parseJoinOptions({ nickname: 'x'.repeat(101) }).ok).toBe(false);
  });
});

describe('nicknames', () => {
  it('keeps letters, digits and a little punctuation, at most 20 characters', () => {
    expect(cleanNickname('  Ada   Lovelace ')).toBe('Ada Lovelace');
    expect(cleanNickname('<script>alert(1)</script>')).toBe('scriptalert1script');
    expect(cleanNickname('Zoë-María_O\'Neil')).toBe("Zoë-María_O'Neil");
    expect(cleanNickname('x'.repeat(40))).toHaveLength(20);
    expect(cleanNickname('\u0000\u200b')).toBe('');
    expect(cleanNickname('shithead')).toBe('');
    // Disguises do not get past; ordinary names that contain a short word do.
    for (const bad of ['Sh1thead', 'f.u.c.k', 'FUUUCK', 'b!tch', 'big dick', 'Ass', 'n4zi']) expect(cleanNickname(bad), bad).toBe('');
    for (const fine of ['Hancock', 'Grape', 'Document', 'Analisa', 'Scott', 'Dickens', 'Cassandra', 'Spicy']) expect(cleanNickname(fine), fine).toBe(fine);
  });
  it('renames duplicates', () => {
    expect(uniqueNickname('Ada', new Set(['bob']))).toBe('Ada');
    expect(uniqueNickname('Ada', new Set(['ada', 'ada 2']))).toBe('Ada 3');
    expect(uniqueNickname('x'.repeat(20), new Set(['x'.repeat(20)]))).toBe(`${'x'.repeat(18)} 2`);
  });
});

describe('votes', () => {
  const vote = (ballots: [string, boolean][], leftMs = 10_000): Vote => ({
    id: 1, proposal: { readRepair: true }, proposer: 'a', proposerRef: undefined, ballots: new Map(ballots), leftMs,
  });
  const team = new Set(['a', 'b', 'c']);
  it('passes on a strict majority of connected players only', () => {
    expect(tally(vote([['a', true]]), team).outcome).toBe('open');
    expect(tally(vote([['a', true], ['b', true]]), team).outcome).toBe('passed');
    expect(tally(vote([['a', true], ['b', false], ['c', false]]), team).outcome).toBe('failed');
    // Half is not a majority.
    const four = new Set(['a', 'b', 'c', 'd']);
    expect(tally(vote([['a', true], ['b', true], ['c', false], ['d', false]]), four).outcome).toBe('failed');
    expect(tally(vote([['a', true], ['b', true]]), four).outcome).toBe('open');
    // Ballots of players who left do not count.
    expect(tally(vote([['a', true], ['x', true]]), team).outcome).toBe('open');
    expect(tally(vote([['a', true]], 0), team).outcome).toBe('expired');
    expect(tally(vote([['a', true]]), new Set(['a'])).outcome).toBe('passed');
  });
  it('compares proposals by content', () => {
    expect(sameProposal({ readRepair: true, shardCount: 4 }, { shardCount: 4, readRepair: true })).toBe(true);
    expect(sameProposal({ readRepair: true }, { readRepair: false })).toBe(false);
    expect(sameProposal({ readRepair: true }, { readRepair: true, shardCount: 4 })).toBe(false);
  });
});

describe('rate limit', () => {
  it('allows a burst of 10, then 10 a second', () => {
    const b = createBucket(0);
    let ok = 0;
    for (let i = 0; i < 30; i++) if (takeToken(b, 0)) ok++;
    expect(ok).toBe(10);
    expect(takeToken(b, 50)).toBe(false);
    expect(takeToken(b, 100)).toBe(true);
    expect(takeToken(b, 100)).toBe(false);
    let later = 0;
    for (let i = 0; i < 30; i++) if (takeToken(b, 10_000)) later++;
    expect(later).toBe(10);
  });
});

describe('configuration', () => {
  it('defaults to port 2567 and no monitor', () => {
    const c = readConfig({}, '/nonexistent');
    expect('errors' in c).toBe(false);
    if ('errors' in c) return;
    expect(c.port).toBe(2567);
    expect(c.monitorPassword).toBeNull();
    expect(c.clientDir).toBeNull();
    // Recorded rounds in SQLite under ./data, one process, no Redis.
    expect(c.databaseUrl).toBeNull();
    expect(c.dataDir).toBe('/nonexistent/data');
    expect(c.redis).toBeNull();
    // No proxy believed: a client's address is its socket's.
    expect(c.trustProxy).toBe(0);
  });
  it('believes X-Forwarded-For only as far as TRUST_PROXY says', () => {
    expect(readConfig({ TRUST_PROXY: '1' }, '/tmp')).toMatchObject({ trustProxy: 1 });
    expect(readConfig({ TRUST_PROXY: ' 2 ' }, '/tmp')).toMatchObject({ trustProxy: 2 });
  });
  it('takes PostgreSQL and Redis for a scaled-out deployment', () => {
    const c = readConfig({ DATABASE_URL: 'postgres://game@db:5432/splitbrain', DATABASE_SCHEMA: 'game', REDIS_URL: 'redis://cache:6379', PUBLIC_ADDRESS: 'node1.example:2567' }, '/tmp');
    expect(c).toMatchObject({ databaseUrl: 'postgres://game@db:5432/splitbrain', databaseSchema: 'game', redis: { url: 'redis://cache:6379', publicAddress: 'node1.example:2567' } });
  });
  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '0' }, 'PORT'],
    [{ PORT: '65536' }, 'PORT'],
    [{ PORT: '80 80' }, 'PORT'],
    [{ MONITOR_PASSWORD: 'short' }, 'MONITOR_PASSWORD'],
    [{ MONITOR_USER: 'a b' }, 'MONITOR_USER'],
    [{ HOST: ' ' }, 'HOST'],
    [{ CLIENT_DIR: '/no/such/dir' }, 'CLIENT_DIR'],
    [{ DATABASE_URL: 'mysql://x/y' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'postgres://host' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'postgres://h/db', DATABASE_SCHEMA: 'Robert"); drop' }, 'DATABASE_SCHEMA'],
    [{ DATABASE_SCHEMA: 'game' }, 'DATABASE_SCHEMA'],
    [{ DATA_DIR: '/etc/hostname' }, 'DATA_DIR'],
    [{ REDIS_URL: 'http://cache:6379', PUBLIC_ADDRESS: 'a:1' }, 'REDIS_URL'],
    [{ REDIS_URL: 'redis://cache:6379' }, 'PUBLIC_ADDRESS'],
    [{ PUBLIC_ADDRESS: 'a:1' }, 'PUBLIC_ADDRESS'],
    [{ TRUST_PROXY: 'yes' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: '-1' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: '11' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: '1.5' }, 'TRUST_PROXY'],
  ])('refuses %j with a message naming it', (env, name) => {
    const c = readConfig(env, '/tmp');
    expect('errors' in c).toBe(true);
    if ('errors' in c) expect(c.errors.join('\n')).toContain(name);
  });
});

describe('bot CLI arguments', () => {
  it('parses a full command line', () => {
    expect(parseBotsArgs(['--server', 'ws://localhost:2567', '--rooms', '3', '--players', '2', '--scenario', 'feed', '--seconds', '45'])).toEqual({
      server: 'ws://localhost:2567', rooms: 3, players: 2, scenario: 'feed', seconds: 45, chaos: 'normal', seed: undefined,
    });
  });
  it.each([
    [['--rooms', '0'], '--rooms'],
    [['--rooms', '2.5'], '--rooms'],
    [['--players', '6', '--scenario', 'bank'], 'seats'],
    [['--seconds', '10'], '--seconds'],
    [['--scenario', 'nope'], '--scenario'],
    [['--server', 'localhost'], '--server'],
    [['--server', 'ftp://x'], '--server'],
    [['--color', 'red'], 'unknown option'],
    [['--rooms'], 'needs a value'],
    [['stray'], 'unexpected argument'],
    [['--class', '--rooms', '2'], 'unknown option --rooms with --class'],
    [['--class', '--students', '0'], '--students'],
    [['--class', '--teams', '13'], '--teams'],
    [['--students', '3'], 'unknown option --students'],
  ])('refuses %j', (argv, mentions) => {
    const r = parseBotsArgs(argv);
    expect(typeof r).toBe('string');
    expect(r as string).toContain(mentions);
  });
});

describe('bot CLI arguments for a class', () => {
  it('parses --class', () => {
    expect(parseBotsArgs(['--server', 'http://localhost:2567', '--class', '--students', '30', '--teams', '6', '--scenario', 'chat', '--seconds', '60', '--csv', 'out.csv'])).toEqual({
      server: 'ws://localhost:2567', students: 30, teams: 6, scenario: 'chat', seconds: 60, chaos: 'normal', csv: 'out.csv',
    });
  });
});

describe('node utilization', () => {
  it('is the served rate against capacity, or the queue once it fills; 0 for a node that is not up', () => {
    expect(utilizationOf(true, 750, 1500, 3)).toBe(50);
    expect(utilizationOf(true, 0, 1500, 0)).toBe(0);
    expect(utilizationOf(true, 300, 1500, 90)).toBe(90);
    expect(utilizationOf(true, 3000, 1500, 250)).toBe(100);
    expect(utilizationOf(false, 750, 1500, 50)).toBe(0);
  });

  it('rises with the traffic before any node is overloaded; windows carry their requests', () => {
    const sim = createSim({ scenario: 'tutorial', preset: 'cp', chaos: 'none', seed: 3, durationMs: 60_000, recordHistory: false });
    const state = new ClusterState();
    const mem = createProjectionMemory();
    projectStatic(state, sim);
    const busyAt = (ms: number) => {
      for (let t = sim.S.now + 200; t <= ms; t += 200) {
        advance(sim, t);
        projectSim(state, sim, mem);
      }
      return state.nodes.map((n) => n.utilization);
    };
    const calm = busyAt(5000);
    // Nodes that serve client requests show it; none is near full.
    expect(calm.filter((u) => u > 0).length).toBeGreaterThanOrEqual(2);
    for (const u of calm) expect(u).toBeLessThan(60);
    for (const n of state.nodes) expect(n.load).toBeLessThan(100);
    expect(applyCommand(sim, { type: 'chaos', kind: 'load-surge', target: 0, durationMs: 20_000, magnitude: 2.5 }).ok).toBe(true);
    const surged = busyAt(10_000);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect(sum(surged)).toBeGreaterThan(sum(calm) * 1.5);
    // Windows: requests as the simulation counted them; availability is their share that succeeded.
    expect(state.windows.length).toBeGreaterThan(5);
    for (const w of state.windows) {
      const m = sim.S.metrics.windows.find((x) => x.start === w.t)!;
      expect(w.requests).toBe(m.requests);
      expect(w.requests).toBeGreaterThan(0);
    }
  });
});

describe('tutorial steps', () => {
  const sc = getScenario('tutorial')!;
  it('accepts only the tutorial’s own step ids, in tutorial rounds', () => {
    expect(parseTutorialStep({ step: 'crash' }, sc)).toEqual({ ok: true, value: 'crash' });
    expect(parseTutorialStep({ step: 'nope' }, sc).ok).toBe(false);
    expect(parseTutorialStep({ step: 'crash', extra: 1 }, sc).ok).toBe(false);
    expect(parseTutorialStep(null, sc).ok).toBe(false);
    expect(parseTutorialStep({ step: 'crash' }, getScenario('bank')!).ok).toBe(false);
  });

  it('crashes a bot’s node, then the player’s own, then (all back up) cuts the player off, through chaos commands', () => {
    for (const me of [0, 1, 2]) {
      const sim = createSim({ scenario: 'tutorial', preset: 'cp', chaos: 'none', seed: 1, durationMs: 60_000, recordHistory: false });
      advance(sim, 1000);
      const crash = tutorialChaos(sim.S, 'crash', me)!;
      expect(crash.type).toBe('chaos');
      expect(applyCommand(sim, crash).ok).toBe(true);
      const down = sim.S.nodes.filter((n) => n.status === 'down').map((n) => n.id);
      expect(down).toHaveLength(1);
      expect(down[0]).not.toBe(me);
      expect(tutorialChaos(sim.S, 'crash', me)).toBeNull();
      expect(applyCommand(sim, tutorialChaos(sim.S, 'restart', me)!).ok).toBe(true);
      expect(sim.S.nodes[me]!.status).toBe('down');
      // No split while a node is down or starting: one node cut off and another down would
      // leave no side with a majority. Once every node is back up, the player is cut off.
      expect(tutorialChaos(sim.S, 'partition', me)).toBeNull();
      for (const n of sim.S.nodes) if (n.status === 'down') expect(applyCommand(sim, { type: 'restart', node: n.id }).ok).toBe(true);
      expect(tutorialChaos(sim.S, 'partition', me)).toBeNull();
      advance(sim, sim.S.now + 5000);
      expect(sim.S.nodes.map((n) => n.status)).toEqual(['up', 'up', 'up']);
      expect(applyCommand(sim, tutorialChaos(sim.S, 'partition', me)!).ok).toBe(true);
      const groups = sim.S.partition!.groups;
      expect(sim.S.nodes.filter((n) => groups[n.id] === groups[me]).map((n) => n.id)).toEqual([me]);
      expect(tutorialChaos(sim.S, 'partition', me)).toBeNull();
      expect(tutorialChaos(sim.S, 'select-node', me)).toBeNull();
    }
  });
});

describe('client routes', () => {
  it('the page at a client route finds its assets from the app root', () => {
    const page = '<!doctype html><html><head><title>x</title></head></html>';
    expect(withBase(page, '/replays')).toContain('<head><base href="./">');
    expect(withBase(page, '/join/ABCDEF')).toContain('<head><base href="../">');
    expect(withBase(page, '/replay/AAAAAAAAAAAAAAAAAAAAAA/')).toContain('<head><base href="../../">');
    expect(withBase(page, '/class/host')).toContain('<head><base href="../">');
  });
});
