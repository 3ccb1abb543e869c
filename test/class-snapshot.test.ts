// A class's snapshot (server/sessions/class-snapshot.ts), what another process hosts the
// class again from: a class in the middle of a round comes back the same, and a damaged or
// foreign snapshot is refused in words instead of being trusted.
import { describe, expect, it } from 'vitest';
import { decodeSnapshot, encodeSnapshot, type SessionSnapshot } from '../server/sessions/class-snapshot.js';
import { handle } from '../shared/session/flow.js';
import { newClassState } from '../shared/session/state.js';

function classMidRound(): SessionSnapshot {
  const cls = newClassState('K7MQ3X');
  for (let i = 0; i < 5; i++) handle(cls, { type: 'join', player: `p${i}`.padEnd(64, '0'), nickname: `Student ${i}`, newId: `s${i}` });
  handle(cls, { type: 'host', role: 'host', action: { action: 'kick', student: 's4' }, seed: 1 });
  handle(cls, { type: 'host', role: 'host', action: { action: 'poll', question: 'Who wins?', options: ['A', 'B'] }, seed: 1 });
  handle(cls, { type: 'answer', role: 'student', student: 's1', answer: { poll: 1, choice: 1 } });
  handle(cls, { type: 'host', role: 'host', action: { action: 'start' }, seed: 4242 });
  handle(cls, { type: 'team-room', round: 1, team: 0, roomId: 'room-a' });
  handle(cls, { type: 'team-room', round: 1, team: 1, roomId: 'room-b' });
  handle(cls, { type: 'status', report: { team: 1, round: 1, roomId: 'room-b', phase: 'live', tick: 400 } });
  return { v: 1, roomId: 'sess-room', sessionId: 'sess-id', secret: 'sekrit', hostHash: 'h'.repeat(64), cls, resultsDue: { round: 1, at: 123 } };
}

describe('a class snapshot', () => {
  it('brings a class in the middle of a round back as it was', () => {
    const snap = classMidRound();
    const back = decodeSnapshot(encodeSnapshot(snap));
    if (typeof back === 'string') throw new Error(back);
    expect(back).toEqual(snap);
    // And it plays on: the restored class takes the next input like the original.
    const a = handle(snap.cls, { type: 'status', report: { team: 0, round: 1, roomId: 'room-a', phase: 'live', tick: 420 } });
    const b = handle(back.cls, { type: 'status', report: { team: 0, round: 1, roomId: 'room-a', phase: 'live', tick: 420 } });
    expect(b).toEqual(a);
    expect(back.cls).toEqual(snap.cls);
  });

  it('refuses what is not a snapshot, or a damaged one, in words', () => {
    const good = JSON.parse(encodeSnapshot(classMidRound())) as Record<string, unknown>;
    expect(decodeSnapshot('{')).toMatch(/not JSON/);
    expect(decodeSnapshot(JSON.stringify({ ...good, v: 2 }))).toMatch(/unknown version/);
    expect(decodeSnapshot(JSON.stringify({ ...good, secret: '' }))).toMatch(/no secret/);
    const cls = good.cls as Record<string, unknown>;
    expect(decodeSnapshot(JSON.stringify({ ...good, cls: { ...cls, students: [{ id: 1 }] } }))).toMatch(/damaged/);
    expect(decodeSnapshot(JSON.stringify({ ...good, cls: { ...cls, phase: 'party' } }))).toMatch(/damaged/);
    expect(decodeSnapshot(JSON.stringify({ ...good, cls: { ...cls, settings: { roundSeconds: -5 } } }))).toMatch(/settings/);
  });
});
