// The class flow as a pure model (shared/session/flow.ts): who gets in and why not, what
// each host action does to the class and what it asks the server to do, poll counting,
// rounds and their results, and the settings validator.
import { describe, expect, it } from 'vitest';
import { CHAOS_LEAD_TICKS, RESULTS_WAIT_MS, TEAM_SILENT_MS, handle, type ClassEffect, type ClassInput } from '../shared/session/flow.js';
import { DEFAULT_SESSION_SETTINGS, settingsAfter } from '../shared/session/settings.js';
import { MAX_STUDENTS, newClassState, type ClassState } from '../shared/session/state.js';
import type { TeamResult } from '../shared/session/results.js';
import { TEAM_ROOM_LOST, teamPhaseName } from '../shared/words/phases.js';

const CODE = 'ACDEFG';

function classWith(n: number): ClassState {
  const st = newClassState(CODE);
  for (let i = 0; i < n; i++) handle(st, { type: 'join', player: `p${i}`, nickname: `Student${i}`, newId: `s${i}` });
  return st;
}

const host = (st: ClassState, action: unknown, seed = 7): ClassEffect[] => handle(st, { type: 'host', role: 'host', action, seed });
const knock = (st: ClassState, over: Partial<Extract<ClassInput, { type: 'knock' }>> = {}): ClassEffect[] =>
  handle(st, { type: 'knock', code: CODE.toLowerCase(), player: 'newcomer', nickname: 'Ada', ...over });
const refusal = (effects: ClassEffect[]) => effects.find((e) => e.type === 'refuse');
const downs = (effects: ClassEffect[]) => effects.flatMap((e) => (e.type === 'down' ? [e.msg] : []));

function result(team: number): TeamResult {
  return { team, name: `T${team}`, replayId: '', interrupted: false, score: 10 * team, availability: 1, p99: 5, staleReads: 0, lostWrites: 0, cost: 1, requests: 9, students: [] };
}

describe('admission', () => {
  it('admits a newcomer with the right code, and a known student by their key', () => {
    const st = classWith(1);
    expect(knock(st)).toEqual([{ type: 'admit', student: '' }]);
    expect(knock(st, { player: 'p0' })).toEqual([{ type: 'admit', student: 's0' }]);
  });

  it('refuses a wrong code, a malformed key, a removed student, a locked or started or full class, a long name', () => {
    const away = (effects: ClassEffect[]) => (effects[0]?.type === 'turn-away' ? effects[0].error : null);
    const st = classWith(2);
    expect(away(knock(st, { code: 'CCCCCC' }))).toMatch(/join code/);
    expect(away(knock(st, { player: null }))).toMatch(/playerKey/);
    expect(away(knock(st, { nickname: 'x'.repeat(101) }))).toMatch(/nickname/);
    host(st, { action: 'kick', student: 's1' });
    expect(away(knock(st, { player: 'p1' }))).toMatch(/removed/);
    host(st, { action: 'lock', locked: true });
    expect(away(knock(st))).toMatch(/locked/);
    // A known student comes back through a locked door.
    expect(knock(st, { player: 'p0' })).toEqual([{ type: 'admit', student: 's0' }]);
    host(st, { action: 'lock', locked: false });
    host(st, { action: 'late-join', allow: false });
    host(st, { action: 'start' });
    expect(away(knock(st))).toMatch(/round has started/);
    const full = classWith(MAX_STUDENTS);
    expect(away(knock(full))).toMatch(/full/);
  });

  it('cleans, numbers and makes up names; a late joiner goes to the smallest team and is shared with the team rooms', () => {
    const st = newClassState(CODE);
    handle(st, { type: 'join', player: 'a', nickname: 'Ada', newId: 'a1' });
    handle(st, { type: 'join', player: 'b', nickname: 'ada', newId: 'b1' });
    handle(st, { type: 'join', player: 'c', nickname: 'shithead', newId: 'c1' });
    expect([...st.students.values()].map((s) => s.nickname)).toEqual(['Ada', 'ada 2', 'Student 3']);
    // Joining again with the same key finds the same student.
    expect(handle(st, { type: 'join', player: 'a', nickname: 'Other', newId: 'zz' })).toEqual([{ type: 'joined', student: 'a1' }]);
    expect(st.students.size).toBe(3);
    host(st, { action: 'start' });
    const late = handle(st, { type: 'join', player: 'd', nickname: 'Dan', newId: 'd1' });
    expect(st.students.get('d1')!.team).toBe(1);
    expect(late[0]).toEqual({ type: 'member', player: 'd', membership: { team: 1, nickname: 'Dan' } });
  });
});

describe('host actions', () => {
  it('only the host, and only valid actions', () => {
    const st = classWith(1);
    expect(refusal(handle(st, { type: 'host', role: 'student', action: { action: 'start' }, seed: 1 }))?.code).toBe('forbidden');
    expect(refusal(host(st, { action: 'launch' }))?.code).toBe('invalid');
    expect(st.phase).toBe('lobby');
  });

  it('settings: applied and rebalanced in the lobby, refused while running', () => {
    const st = classWith(6);
    expect(host(st, { action: 'settings', settings: { teamCount: 3, roundSeconds: 60 } })).toEqual([]);
    expect(st.settings.roundSeconds).toBe(60);
    expect([...st.students.values()].map((s) => s.team).sort()).toEqual([0, 0, 1, 1, 2, 2]);
    expect(refusal(host(st, { action: 'settings', settings: { preset: 'nope' } }))?.error).toMatch(/preset must be one of/);
    host(st, { action: 'start' });
    expect(refusal(host(st, { action: 'settings', settings: { roundSeconds: 90 } }))).toEqual({ type: 'refuse', error: 'settings change between rounds', code: 'phase' });
  });

  it('lock and late-join open and close the doors', () => {
    const st = classWith(0);
    host(st, { action: 'lock', locked: true });
    host(st, { action: 'late-join', allow: false });
    expect([st.locked, st.allowLate]).toEqual([true, false]);
  });

  it('move pins a student; kick bans, tells the teams and the student; allow lets them back', () => {
    const st = classWith(4);
    expect(refusal(host(st, { action: 'move', student: 's0', team: 5 }))?.error).toBe('there are 2 teams');
    expect(refusal(host(st, { action: 'move', student: 'nobody', team: 0 }))?.error).toBe('no such student');
    host(st, { action: 'move', student: 's0', team: 1 });
    expect(st.students.get('s0')).toMatchObject({ team: 1, pinned: true });
    const kick = host(st, { action: 'kick', student: 's2' });
    expect(kick).toEqual([
      { type: 'member', player: 'p2', membership: null },
      { type: 'down', msg: { type: 'kick', player: 'p2' } },
      { type: 'kicked', student: 's2', reason: 'The teacher removed you from this class.', leave: 4003 },
    ]);
    expect(st.students.has('s2')).toBe(false);
    expect(st.banned.get('p2')?.id).toBe('s2');
    expect(refusal(host(st, { action: 'allow', student: 's3' }))?.error).toBe('no such removed student');
    host(st, { action: 'allow', student: 's2' });
    expect(st.banned.size).toBe(0);
  });

  it('rename cleans and de-duplicates, and tells the team rooms', () => {
    const st = classWith(2);
    expect(refusal(host(st, { action: 'rename', student: 's0', nickname: 'f.u.c.k' }))?.error).toBe('that name is not allowed');
    expect(downs(host(st, { action: 'rename', student: 's0', nickname: 'Student1' }))).toEqual([{ type: 'rename', player: 'p0', nickname: 'Student1 2' }]);
  });

  it('start, pause, resume, end, next: the round goes round', () => {
    const st = classWith(4);
    expect(refusal(host(st, { action: 'pause' }))?.error).toBe('no round is running');
    const start = host(st, { action: 'start' }, 1234);
    expect(st).toMatchObject({ phase: 'running', round: 1, roundSeed: 1234 });
    expect(st.teams.map((t) => t.name)).toEqual(['Team Ada', 'Team Babbage']);
    expect(start.filter((e) => e.type === 'member')).toHaveLength(4);
    expect(start.at(-1)).toMatchObject({ type: 'make-team-rooms', round: 1, teams: 2, seed: 1234 });
    expect(refusal(host(st, { action: 'start' }))?.error).toBe('a round is already running');
    expect(downs(host(st, { action: 'pause' }))).toEqual([{ type: 'pause' }]);
    expect(st.paused).toBe(true);
    host(st, { action: 'resume' });
    expect(st.paused).toBe(false);
    expect(refusal(host(st, { action: 'next' }))?.code).toBe('phase');
    expect(host(st, { action: 'end' })).toEqual([{ type: 'down', msg: { type: 'end' } }, { type: 'results-timer', round: 1, ms: RESULTS_WAIT_MS }]);
    handle(st, { type: 'results-due', round: 1 });
    expect(st.phase).toBe('results');
    expect(downs(host(st, { action: 'next' }))).toEqual([{ type: 'close', round: 1 }]);
    expect(st.phase).toBe('lobby');
  });

  it('chaos waits until a team is live, then strikes after the furthest live team\'s tick', () => {
    const st = classWith(4);
    host(st, { action: 'start' });
    const chaos = { action: 'chaos', kind: 'crash', target: 1, durationMs: 20_000 };
    const order = (atTick: number) => [{ type: 'chaos', atTick, command: { type: 'chaos', kind: 'crash', target: 1, durationMs: 20_000, magnitude: 0 } }];
    expect(refusal(host(st, chaos))?.error).toBe('wait until a team is live');
    handle(st, { type: 'status', report: { team: 1, round: 1, roomId: 'r1', phase: 'setup', tick: 0 } });
    expect(refusal(host(st, chaos))?.code).toBe('phase');
    // One team live, another still in setup: the strike goes out (the late team keeps it for its own live phase).
    handle(st, { type: 'status', report: { team: 0, round: 1, roomId: 'r0', phase: 'live', tick: 100 } });
    expect(downs(host(st, chaos))).toEqual(order(100 + CHAOS_LEAD_TICKS));
    handle(st, { type: 'status', report: { team: 1, round: 1, roomId: 'r1', phase: 'live', tick: 130 } });
    expect(downs(host(st, chaos))).toEqual(order(130 + CHAOS_LEAD_TICKS));
  });

  it('card goes to every screen; close tells every student and closes', () => {
    const st = classWith(2);
    expect(host(st, { action: 'card', card: 'quorum' })).toEqual([{ type: 'card', card: 'quorum' }]);
    expect(st.card).toBe('quorum');
    const close = host(st, { action: 'close' });
    expect(close.filter((e) => e.type === 'kicked')).toHaveLength(2);
    expect(close.at(-1)).toEqual({ type: 'close' });
  });
});

describe('polls', () => {
  it('counts one answer per student, which they may change; closes and reveals', () => {
    const st = classWith(3);
    const ans = (student: string, poll: number, choice: number) => handle(st, { type: 'answer', role: 'student', student, answer: { poll, choice } });
    expect(refusal(host(st, { action: 'reveal' }))?.error).toBe('there is no poll to reveal');
    host(st, { action: 'poll', question: 'What heals?', options: ['A', 'B', 'C'] });
    expect(ans('s0', 1, 0)).toEqual([]);
    ans('s1', 1, 2);
    ans('s0', 1, 2);
    expect(st.poll).toMatchObject({ counts: [0, 0, 2], answered: 2, open: true });
    expect(refusal(ans('s2', 1, 3))?.error).toBe('choose one of the 3 answers');
    expect(refusal(ans('s2', 2, 0))?.error).toBe('this poll is closed');
    expect(refusal(handle(st, { type: 'answer', role: 'host', student: '', answer: { poll: 1, choice: 0 } }))?.code).toBe('forbidden');
    expect(refusal(host(st, { action: 'reveal', answer: 4 }))?.error).toBe('the poll has 3 answers');
    host(st, { action: 'reveal', answer: 1 });
    expect(st.poll).toMatchObject({ open: false, revealed: true, answer: 1 });
    expect(refusal(ans('s2', 1, 0))?.code).toBe('phase');
    // A new poll starts from nothing.
    host(st, { action: 'poll', question: 'Again?', options: ['yes', 'no'] });
    expect(st.poll).toMatchObject({ id: 2, counts: [0, 0], answered: 0, open: true, revealed: false, answer: -1 });
    host(st, { action: 'close-poll' });
    expect(st.poll.open).toBe(false);
  });
});

describe('rounds and results', () => {
  it('the results wait for every team whose room was made, in team order', () => {
    const st = classWith(6);
    host(st, { action: 'settings', settings: { teamCount: 3, difficulty: 'easy' } });
    host(st, { action: 'start' }, 99);
    for (const t of [0, 2]) handle(st, { type: 'team-room', round: 1, team: t, roomId: `r${t}` });
    handle(st, { type: 'team-rooms-made', round: 1 });
    handle(st, { type: 'result', round: 1, team: 2, result: result(2) });
    expect(st.phase).toBe('running');
    expect(st.teams[2]!.phase).toBe('debrief');
    handle(st, { type: 'result', round: 0, team: 0, result: result(0) });
    expect(st.phase).toBe('running');
    handle(st, { type: 'result', round: 1, team: 0, result: result(0) });
    expect(st.phase).toBe('results');
    // The results say how hard the round was.
    expect(st.rounds).toEqual([{ round: 1, scenario: 'bank', preset: 'cp', chaos: 'normal', difficulty: 'easy', seed: 99, teams: [result(0), result(2)] }]);
  });

  it('no team room made: back to the lobby', () => {
    const st = classWith(2);
    host(st, { action: 'start' });
    handle(st, { type: 'team-rooms-made', round: 1 });
    expect(st).toMatchObject({ phase: 'lobby', round: 0 });
  });

  it('a status from another round is ignored; this round\'s is kept and shown', () => {
    const st = classWith(2);
    host(st, { action: 'start' });
    expect(handle(st, { type: 'status', report: { team: 0, round: 2, roomId: 'x', phase: 'live', tick: 1 } })).toEqual([]);
    expect(handle(st, { type: 'status', report: { team: 0, round: 1, roomId: 'r0', phase: 'briefing', tick: 0 } })).toEqual([{ type: 'team-status', team: 0 }]);
    expect(st.teams[0]).toMatchObject({ roomId: 'r0', phase: 'briefing' });
  });
});

describe('a team room that stops reporting', () => {
  /** A running round of `teams` teams, every room made and reported in `phase`. */
  function running(teams: number, phase: string): ClassState {
    const st = classWith(2 * teams);
    host(st, { action: 'settings', settings: { teamCount: teams } });
    host(st, { action: 'start' }, 42);
    for (let t = 0; t < teams; t++) handle(st, { type: 'team-room', round: 1, team: t, roomId: `r${t}` });
    handle(st, { type: 'team-rooms-made', round: 1 });
    for (let t = 0; t < teams; t++) report(st, t, phase);
    return st;
  }
  const report = (st: ClassState, team: number, phase: string, roomId = `r${team}`) =>
    handle(st, { type: 'status', report: { team, round: st.round, roomId, phase, tick: phase === 'live' ? 100 : 0 } });
  const time = (st: ClassState, ms: number) => handle(st, { type: 'time', ms });

  it('a room that keeps reporting stays; one silent for TEAM_SILENT_MS during its live phase is lost', () => {
    const st = running(2, 'live');
    for (let ms = 0; ms < 2 * TEAM_SILENT_MS; ms += 1000) {
      expect(time(st, 1000)).toEqual([]);
      report(st, 0, 'live');
      if (ms < TEAM_SILENT_MS - 2000) report(st, 1, 'live');
    }
    expect(st.teams[0]).toMatchObject({ roomId: 'r0', phase: 'live' });
    expect(st.teams[1]).toMatchObject({ roomId: '', phase: TEAM_ROOM_LOST });
    expect(teamPhaseName(st.teams[1]!.phase)).toBe('room lost');
    // The results no longer wait for it, and the host's chaos no longer waits for it to be live.
    expect(st.expected.has(1)).toBe(false);
    expect(refusal(host(st, { action: 'chaos', kind: 'crash', target: 0, durationMs: 10_000 }))).toBeUndefined();
    handle(st, { type: 'result', round: 1, team: 0, result: result(0) });
    expect(st.phase).toBe('results');
    expect(st.rounds[0]!.teams).toEqual([result(0)]);
  });

  it('the last team still owed going silent closes the round with the results there are', () => {
    const st = running(2, 'live');
    handle(st, { type: 'result', round: 1, team: 0, result: result(0) });
    // Team 0 has its result: its room may close (a finished team's silence is not counted).
    time(st, TEAM_SILENT_MS);
    expect(st.teams[0]!.phase).toBe('debrief');
    expect(st.phase).toBe('results');
    expect(st.teams[1]!.phase).toBe(TEAM_ROOM_LOST);
    expect(st.rounds[0]!.teams).toEqual([result(0)]);
  });

  it('before the round begins a silent room is made again, once; a second silence loses it', () => {
    const st = running(2, 'briefing');
    report(st, 0, 'briefing');
    const effects = time(st, TEAM_SILENT_MS);
    expect(effects).toEqual([
      { type: 'remake-team-room', round: 1, team: 0, seed: 42, settings: st.settings },
      { type: 'remake-team-room', round: 1, team: 1, seed: 42, settings: st.settings },
    ]);
    expect(st.teams[0]).toMatchObject({ roomId: '', phase: '' });
    // The old room is not heard once it is replaced; the new one is.
    handle(st, { type: 'team-room', round: 1, team: 0, roomId: 'new0' });
    expect(report(st, 0, 'setup', 'r0')).toEqual([]);
    expect(report(st, 0, 'briefing', 'new0')).toEqual([{ type: 'team-status', team: 0 }]);
    expect(st.teams[0]).toMatchObject({ roomId: 'new0', phase: 'briefing' });
    // Team 1's second room never comes: it is lost, not made a third time.
    expect(time(st, TEAM_SILENT_MS - 1000)).toEqual([]);
    report(st, 0, 'briefing', 'new0');
    expect(time(st, 1000)).toEqual([]);
    expect(st.teams[0]!.phase).toBe('briefing');
    expect(st.teams[1]!.phase).toBe(TEAM_ROOM_LOST);
    expect(st.phase).toBe('running');
  });

  it('a room thought lost that reports after all is the team\'s again; silence counts only while a round runs', () => {
    const st = running(1, 'live');
    time(st, TEAM_SILENT_MS);
    expect(st.teams[0]!.phase).toBe(TEAM_ROOM_LOST);
    expect(st.phase).toBe('results');
    const late = running(2, 'live');
    time(late, TEAM_SILENT_MS - 1000);
    report(late, 1, 'live');
    time(late, 1000);
    expect(late.teams[0]!.phase).toBe(TEAM_ROOM_LOST);
    report(late, 0, 'live');
    expect(late.teams[0]).toMatchObject({ roomId: 'r0', phase: 'live' });
    expect(late.expected.has(0)).toBe(true);
    const lobby = classWith(2);
    expect(time(lobby, 10 * TEAM_SILENT_MS)).toEqual([]);
  });
});

describe('settings validation', () => {
  it('merges a valid change and refuses a bad one in words', () => {
    expect(settingsAfter(DEFAULT_SESSION_SETTINGS, { roundSeconds: 60, teamSize: 4 })).toEqual({ ...DEFAULT_SESSION_SETTINGS, roundSeconds: 60, teamSize: 4 });
    expect(settingsAfter(DEFAULT_SESSION_SETTINGS, 'fast')).toMatch(/settings/);
    expect(settingsAfter(DEFAULT_SESSION_SETTINGS, { roundSeconds: 5 })).toMatch(/roundSeconds/);
    expect(settingsAfter(DEFAULT_SESSION_SETTINGS, { colour: 'red' })).toMatch(/colour/);
    expect(settingsAfter(DEFAULT_SESSION_SETTINGS, { preset: 'nope' })).toMatch(/preset must be one of/);
    // A class starts at normal; the teacher may pick easy or hard, nothing else.
    expect(DEFAULT_SESSION_SETTINGS.difficulty).toBe('normal');
    expect(settingsAfter(DEFAULT_SESSION_SETTINGS, { difficulty: 'easy' })).toEqual({ ...DEFAULT_SESSION_SETTINGS, difficulty: 'easy' });
    expect(settingsAfter(DEFAULT_SESSION_SETTINGS, { difficulty: 'insane' })).toMatch(/difficulty must be one of: easy, normal, hard/);
  });

  it('a new scenario keeps the preset when it has it, else falls back to cp', () => {
    const quorum = { ...DEFAULT_SESSION_SETTINGS, preset: 'quorum' };
    expect(settingsAfter({ ...quorum, preset: 'ap' }, { scenario: 'chat' })).toMatchObject({ scenario: 'chat', preset: 'ap' });
    expect(settingsAfter(quorum, { scenario: 'chat' })).toMatchObject({ scenario: 'chat', preset: 'cp' });
    expect(settingsAfter(quorum, { scenario: 'cart', preset: 'version-vectors' })).toMatchObject({ scenario: 'cart', preset: 'version-vectors' });
    expect(settingsAfter(DEFAULT_SESSION_SETTINGS, {})).toEqual(DEFAULT_SESSION_SETTINGS);
  });
});
