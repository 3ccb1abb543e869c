// Classroom sessions' pure parts: join codes, splitting a class into teams, the results CSV,
// and the validators of what hosts and students send (nothing makes them throw).
import { describe, expect, it } from 'vitest';
import { JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH, joinCodeFrom, normalizeJoinCode } from '../shared/session/codes.js';
import { balanceTeams, MAX_TEAMS, smallestTeam, teamCountFor, teamName } from '../shared/session/teams.js';
import { CSV_COLUMNS, csvField, resultsCsv, type RoundResults } from '../shared/session/results.js';
import { HOST_ACTIONS, checkPreset, validateHostAction, validatePollAnswer } from '../shared/protocol/session.js';
import { mulberry32 } from './support/prng.js';

describe('join codes', () => {
  it('use six characters without look-alikes', () => {
    for (const bad of '0O1IL25SB8UV') expect(JOIN_CODE_ALPHABET).not.toContain(bad);
    const rnd = mulberry32(1);
    for (let i = 0; i < 200; i++) {
      const code = joinCodeFrom(Array.from({ length: JOIN_CODE_LENGTH }, () => Math.floor(rnd() * 65536)));
      expect(code).toHaveLength(6);
      expect(normalizeJoinCode(code)).toBe(code);
    }
  });
  it('accept what a student types: lower case, spaces, a dash; refuse anything else', () => {
    expect(normalizeJoinCode('qk x-jy e')).toBe('QKXJYE');
    for (const bad of ['', 'QKXJY', 'QKXJYEE', 'QKXJY0', 'QKXJY1', 12345, null, undefined, {}, 'Q'.repeat(40)]) expect(normalizeJoinCode(bad)).toBeNull();
  });
});

describe('teams', () => {
  it('a team count or a team size gives the number of teams', () => {
    expect(teamCountFor(30, { teamCount: 6 })).toBe(6);
    expect(teamCountFor(30, { teamSize: 4 })).toBe(8);
    expect(teamCountFor(0, { teamSize: 4 })).toBe(1);
    expect(teamCountFor(500, { teamSize: 1 })).toBe(MAX_TEAMS);
  });
  it('sizes differ by at most one, pinned students stay, a rebalance moves as few as it can', () => {
    const rnd = mulberry32(7);
    for (let trial = 0; trial < 300; trial++) {
      const n = Math.floor(rnd() * 40);
      const teams = 1 + Math.floor(rnd() * 8);
      const ids = Array.from({ length: n }, (_, i) => `s${i}`);
      const current = new Map(ids.filter(() => rnd() < 0.6).map((id) => [id, Math.floor(rnd() * 10)]));
      const out = balanceTeams(ids, teams, current);
      expect(out.size).toBe(n);
      const sizes = new Array<number>(teams).fill(0);
      for (const t of out.values()) sizes[t]!++;
      if (n > 0) expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      // Balanced already: nobody moves.
      expect(balanceTeams(ids, teams, out)).toEqual(out);
    }
    const pinned = balanceTeams(['a', 'b', 'c', 'd'], 2, new Map([['a', 1], ['b', 1], ['c', 1]]), new Set(['a', 'b', 'c']));
    expect([pinned.get('a'), pinned.get('b'), pinned.get('c'), pinned.get('d')]).toEqual([1, 1, 1, 0]);
    expect(smallestTeam([3, 2, 2])).toBe(1);
    expect(teamName(3)).toBe('Team Dijkstra');
    expect(teamName(12)).toBe('Team Ada 2');
  });
});

describe('results CSV', () => {
  const round: RoundResults = {
    round: 1, scenario: 'bank', preset: 'cp', chaos: 'normal', seed: 9,
    teams: [{
      team: 0, name: 'Team Ada', replayId: 'AAAAAAAAAAAAAAAAAAAAAA', interrupted: false, score: 900, availability: 0.999, p99: 120.5,
      staleReads: 3, lostWrites: 0, cost: 100, requests: 5000,
      students: [
        { nickname: 'Ada, "the first"', team: 0, node: 0, score: 500, actions: 4, served: 3000, anomalies: 2, connected: true },
        { nickname: '=HYPERLINK("x")', team: 0, node: 1, score: 400, actions: 1, served: 2000, anomalies: 1, connected: false },
      ],
    }],
  };
  it('has a header and one row per student, with their team\'s measures and the replay link', () => {
    const lines = resultsCsv([round], 'https://game.example').trim().split('\r\n');
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(3);
    expect(lines[1]).toBe('1,bank,1,Team Ada,"Ada, ""the first""",0,500,4,3000,2,900,0.999,120.5,3,0,100,no,https://game.example/replay/AAAAAAAAAAAAAAAAAAAAAA');
    // A nickname a spreadsheet would run as a formula is kept as text.
    expect(lines[2]!.split(',')[4]).toBe(`"'=HYPERLINK(""x"")"`);
  });
  it('quotes what needs quoting and leaves numbers alone', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a\nb')).toBe('"a\nb"');
    expect(csvField('-1')).toBe("'-1");
    expect(csvField(3.5)).toBe('3.5');
    expect(csvField(Number.NaN)).toBe('');
  });
});

describe('what hosts and students send', () => {
  const ok = <T>(v: { ok: true; value: T } | { ok: false; error: string }) => {
    if (!v.ok) throw new Error(v.error);
    return v.value;
  };
  const err = (v: { ok: boolean; error?: string }) => (v.ok ? '' : v.error!);

  it('accepts every host action in its shape', () => {
    expect(ok(validateHostAction({ action: 'start' }))).toEqual({ action: 'start' });
    expect(ok(validateHostAction({ action: 'settings', settings: { scenario: 'feed', chaos: 'heavy', roundSeconds: 120, teamCount: 4, teamSize: 0 } }))).toEqual({
      action: 'settings', settings: { scenario: 'feed', chaos: 'heavy', roundSeconds: 120, teamCount: 4, teamSize: 0 },
    });
    expect(ok(validateHostAction({ action: 'chaos', kind: 'partition-region' }))).toMatchObject({ action: 'chaos', kind: 'partition-region', target: 0 });
    expect(ok(validateHostAction({ action: 'poll', question: ' What happens? ', options: [' a ', 'b'] }))).toEqual({ action: 'poll', question: 'What happens?', options: ['a', 'b'] });
    expect(ok(validateHostAction({ action: 'move', student: 'abc_DEF-1', team: 2 }))).toEqual({ action: 'move', student: 'abc_DEF-1', team: 2 });
    expect(ok(validateHostAction({ action: 'card', card: 'quorum' }))).toEqual({ action: 'card', card: 'quorum' });
  });
  it('names the problem with a bad one', () => {
    expect(err(validateHostAction({ action: 'launch' }))).toMatch(/action must be one of/);
    expect(err(validateHostAction({ action: 'start', team: 1 }))).toMatch(/'start' takes no field 'team'/);
    expect(err(validateHostAction({ action: 'settings', settings: { roundSeconds: 5 } }))).toMatch(/roundSeconds must be an integer from 30 to 600/);
    expect(err(validateHostAction({ action: 'settings', settings: { teams: 3 } }))).toMatch(/unknown field 'settings.teams'/);
    expect(err(validateHostAction({ action: 'move', student: '../x', team: 1 }))).toMatch(/student/);
    expect(err(validateHostAction({ action: 'move', student: 'a', team: 40 }))).toMatch(/team must be an integer/);
    expect(err(validateHostAction({ action: 'poll', question: 'q', options: ['only one'] }))).toMatch(/2-5 answers/);
    expect(err(validateHostAction({ action: 'poll', question: 'x'.repeat(500), options: ['a', 'b'] }))).toMatch(/question/);
    expect(err(validateHostAction({ action: 'chaos', kind: 'flood', magnitude: 1e9 }))).toMatch(/magnitude/);
    expect(err(validateHostAction({ action: 'card', card: 'nonsense' }))).toMatch(/card must be one of/);
    expect(err(validatePollAnswer({ poll: 1, choice: 9 }))).toMatch(/choice/);
    expect(err(validatePollAnswer({ poll: 0, choice: 0 }))).toMatch(/poll/);
    expect(checkPreset('bank', 'quorum')).toBeNull();
    expect(checkPreset('bank', 'nope')).toMatch(/preset must be one of/);
  });
  it('never throws, whatever arrives', () => {
    const rnd = mulberry32(3);
    const junk = (depth: number): unknown => {
      const r = rnd();
      if (depth > 2 || r < 0.3) return [null, undefined, 0, -1, 1e308, Number.NaN, '', 'start', 'x'.repeat(300), true, HOST_ACTIONS[Math.floor(rnd() * HOST_ACTIONS.length)]][Math.floor(rnd() * 11)];
      if (r < 0.5) return Array.from({ length: Math.floor(rnd() * 4) }, () => junk(depth + 1));
      const o: Record<string, unknown> = {};
      for (const k of ['action', 'settings', 'student', 'team', 'kind', 'options', 'question', 'poll', 'choice', 'locked']) if (rnd() < 0.4) o[k] = junk(depth + 1);
      return o;
    };
    for (let i = 0; i < 3000; i++) {
      const input = junk(0);
      expect(() => validateHostAction(input)).not.toThrow();
      expect(() => validatePollAnswer(input)).not.toThrow();
    }
    const hostile = new Proxy({}, { ownKeys: () => { throw new Error('boom'); }, getPrototypeOf: () => Object.prototype });
    expect(err(validateHostAction(hostile))).toBe('message could not be read');
    expect(err(validateHostAction({ action: 'poll', question: 'q', options: new Proxy(['a', 'b'], { get: () => { throw new Error('boom'); } }) }))).toMatch(/could not be read|options/);
  });
});
