// A recording's timeline in words (shared/replay/markers.ts) and the nodes it had at each
// tick (shared/replay/node-tracker.ts), read from a hand-made recording: no simulation runs.
import { describe, expect, it } from 'vitest';
import { getScenario } from '../shared/scenarios/index.js';
import { markersOf } from '../shared/replay/markers.js';
import { NodeTracker } from '../shared/sim/node-tracker.js';
import { recordCommand, recordRosterChange, startRecording, type Recording } from '../shared/replay/recording.js';

const bank = getScenario('bank')!;

function recording(): Recording {
  const rec = startRecording({
    roomId: 'r', scenario: 'bank', preset: 'cp', settings: null, chaos: 'none', seed: 1, durationMs: 60_000,
    roster: [
      { id: 'key-ada', nickname: 'Ada', node: 0, isBot: false },
      { id: 'bot-1', nickname: 'Bot 1', node: 1, isBot: true },
    ],
    chaosEvents: [{ at: 2_000, kind: 'crash', durationMs: 5_000, target: 1, magnitude: 0, source: 'schedule' }],
    startedAt: '2026-01-01T00:00:00.000Z', isPublic: false, sessionId: null,
  });
  rec.phases.push({ tick: 1200, phase: 'debrief' });
  return rec;
}

describe('markers', () => {
  it('name who acted: a roster name, a bot, the team, the tutorial, the host, or a player nobody named', () => {
    const rec = recording();
    recordCommand(rec, 10, { type: 'drain', node: 0 }, 'key-ada');
    recordCommand(rec, 11, { type: 'restart', node: 3 }, 'bot-3');
    recordCommand(rec, 12, { type: 'configure', settings: { writeQuorum: 'quorum', readRepair: true } }, 'team');
    recordCommand(rec, 13, { type: 'restart', node: 2 }, 'tutorial');
    recordCommand(rec, 14, { type: 'undrain', node: 0 }, 'host');
    recordCommand(rec, 15, { type: 'repair', node: 4 }, 'key-someone');
    const texts = markersOf(rec, bank, 1200).filter((m) => m.kind === 'command').map((m) => m.text);
    expect(texts).toEqual([
      'Ada drained node 0 (no new requests from the load balancer)',
      'Bot 3 restarted node 3',
      'the team switched to writes confirmed by a majority of copies, read repair',
      'the tutorial restarted node 2',
      'the host undrained node 0',
      'a player ran a repair on node 4',
    ]);
  });

  it('a seat\'s human name wins over a bot that stood in under the same id', () => {
    const rec = recording();
    recordRosterChange(rec, { tick: 5, id: 'key-ada', nickname: 'Bot 0', node: 0, isBot: true });
    recordCommand(rec, 10, { type: 'drain', node: 0 }, 'key-ada');
    const m = markersOf(rec, bank, 1200);
    expect(m.find((x) => x.kind === 'command')!.text).toMatch(/^Ada drained/);
    expect(m.find((x) => x.kind === 'roster')).toMatchObject({ tick: 5, by: 'key-ada', node: 0, text: 'Bot 0 took over node 0 (a bot standing in)' });
  });

  it('are in tick order, the round\'s start first and its end last, within endTick', () => {
    const rec = recording();
    recordCommand(rec, 0, { type: 'drain', node: 0 }, 'key-ada');
    recordCommand(rec, 40, { type: 'chaos', kind: 'crash', target: 0, durationMs: 10_000, magnitude: 0 }, 'key-ada');
    recordCommand(rec, 900, { type: 'rate-limit', node: 1 }, 'bot-1');
    recordCommand(rec, 950, { type: 'rate-limit', node: 1 }, 'bot-1');
    const m = markersOf(rec, bank, 1200);
    expect(m.map((x) => [x.tick, x.kind])).toEqual([[0, 'phase'], [0, 'command'], [40, 'chaos'], [40, 'chaos'], [900, 'command'], [950, 'command'], [1200, 'phase']]);
    expect(m[2]).toMatchObject({ text: 'crash: node 1 goes down (its disk survives) for up to 5 s', node: 1 });
    expect(m[3]).toMatchObject({ text: 'crash: node 0 goes down (its disk survives) for up to 10 s (set off by Ada)', by: 'key-ada' });
    expect(m.slice(4, 6).map((x) => x.text)).toEqual(['Bot 1 rate-limited the clients flooding node 1', 'Bot 1 lifted the rate limit on node 1']);
    expect(markersOf(rec, bank, 100).map((x) => x.tick)).toEqual([0, 0, 40, 40]);
  });
});

describe('the node tracker', () => {
  it('adds scale-outs with the next node number and drops removals from the tick asked', () => {
    const rec = recording();
    recordCommand(rec, 100, { type: 'scale-out', region: 0 }, 'key-ada');
    recordCommand(rec, 200, { type: 'remove', node: 2 }, 'key-ada');
    recordCommand(rec, 300, { type: 'scale-out', region: 1 }, 'key-ada');
    const nodes = new NodeTracker(bank, rec.commands);
    expect(nodes.liveAt(0)).toEqual([0, 1, 2, 3, 4]);
    expect(nodes.liveAt(100)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(nodes.liveAt(250)).toEqual([0, 1, 3, 4, 5]);
    expect(nodes.liveAt(300)).toEqual([0, 1, 3, 4, 5, 6]);
  });
});
