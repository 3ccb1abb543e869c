// The replay viewer's panels and pacing, the parts that need no browser: the words each panel
// shows (clock, speed, checkpoints, banners, title, branch offer, comparison), the keys, and
// the loop and the closing slices driven by a fake clock and fake animation frames.

import { describe, expect, it } from 'vitest';
import { bannersOf } from '../client/src/replay/banners.js';
import { branchChoices, canBranchAt } from '../client/src/replay/branch-ask.js';
import { mapFps, PlaybackClock, renderEveryMs } from '../client/src/replay/clock.js';
import { markOf, promised } from '../client/src/replay/compare.js';
import { originalNote } from '../client/src/replay/comparison.js';
import { oneSecondTicks, playLabel } from '../client/src/replay/controls.js';
import { playbackKey } from '../client/src/replay/keys.js';
import { PlaybackLoop } from '../client/src/replay/loop.js';
import { behindWords, clockLine } from '../client/src/replay/readout.js';
import { runInSlices } from '../client/src/replay/slices.js';
import { shiftedSpeed, speedText } from '../client/src/replay/speeds.js';
import { checkpointsWithin, diverged, verifiedWords } from '../client/src/replay/status.js';
import type { Timing } from '../client/src/replay/timing.js';
import { titleDetails } from '../client/src/replay/title.js';
import { getScenario } from '../shared/scenarios/index.js';
import type { ReplayVerification } from '../shared/replay/player.js';
import type { RoundView } from '../client/src/view.js';

/** Real time and animation frames that move only when the test says. */
function fakeTiming(): Timing & { ms: number; nextFrame(at: number): void; runTimers(): void } {
  let frames = new Map<number, (now: number) => void>();
  let timers: { at: number; fn: () => void }[] = [];
  let ids = 0;
  const t = {
    ms: 0,
    now: () => t.ms,
    after: (ms: number, fn: () => void) => void timers.push({ at: t.ms + ms, fn }),
    frame: (fn: (now: number) => void) => {
      frames.set(++ids, fn);
      return ids;
    },
    cancelFrame: (id: number) => void frames.delete(id),
    nextFrame(at: number) {
      t.ms = at;
      const due = frames;
      frames = new Map();
      for (const fn of due.values()) fn(at);
    },
    /** Run the timers due, in order, until none is left (time jumps to each one's moment). */
    runTimers() {
      while (timers.length > 0) {
        timers.sort((a, b) => a.at - b.at);
        const next = timers.shift()!;
        t.ms = Math.max(t.ms, next.at);
        next.fn();
      }
    },
  };
  return t;
}

const verification = (v: Partial<ReplayVerification> = {}): ReplayVerification => ({ matched: 0, mismatches: [], refused: 0, ...v }) as ReplayVerification;

describe('the playback panels', () => {
  it('say where the playback is and how fast it really goes', () => {
    expect(clockLine(450, 600, 50)).toBe('0:22 / 0:30');
    expect(behindWords(null, 16)).toBe('');
    expect(behindWords(7.031, 16)).toBe('running at 7.0×: this computer cannot keep up with 16×');
    expect(behindWords(0.5, null)).toBe('running at 0.50×: this computer cannot keep up');
    expect(playLabel(true, false)).toBe('❚❚ Pause');
    expect(playLabel(false, false)).toBe('▶ Play');
    expect(playLabel(false, true)).toBe('↺ Play again');
    expect(oneSecondTicks(50)).toBe(20);
    expect(oneSecondTicks(2000)).toBe(1);
  });

  it('step the speed through the list and stop at its ends', () => {
    expect(speedText(0.25)).toBe('0.25×');
    expect(shiftedSpeed(4, 1)).toBe(8);
    expect(shiftedSpeed(8, -1)).toBe(4);
    expect(shiftedSpeed(16, 1)).toBe(16);
    expect(shiftedSpeed(0.25, -1)).toBe(0.25);
    expect(shiftedSpeed(3, 1)).toBe(2); // an unknown speed counts as 1×
  });

  it('read the keys, and leave Space to a focused button', () => {
    expect(playbackKey(' ', false)).toBe('toggle');
    expect(playbackKey(' ', true)).toBeNull();
    expect(playbackKey('ArrowRight', true)).toBe('forward');
    expect(playbackKey('ArrowLeft', false)).toBe('back');
    expect(playbackKey(']', false)).toBe('next-event');
    expect(playbackKey('[', false)).toBe('previous-event');
    expect(['+', '='].map((k) => playbackKey(k, false))).toEqual(['faster', 'faster']);
    expect(['-', '_'].map((k) => playbackKey(k, false))).toEqual(['slower', 'slower']);
    expect(playbackKey('x', false)).toBeNull();
  });
});

describe('the verification panels', () => {
  it('count the checkpoints within the recording and mark a divergence', () => {
    expect(checkpointsWithin([{ tick: 100 }, { tick: 200 }, { tick: 300 }], 200)).toBe(2);
    expect(verifiedWords(verification(), 0)).toBe('No checkpoints to verify');
    expect(verifiedWords(verification({ matched: 3 }), 6)).toBe('✓ Checkpoints verified: 3 of 6');
    const bad = verification({ matched: 2, mismatches: [{ tick: 300 } as ReplayVerification['mismatches'][number]] });
    expect(diverged(bad)).toBe(true);
    expect(diverged(verification({ refused: 1 }))).toBe(true);
    expect(verifiedWords(bad, 6)).toBe('✗ Checkpoints verified: 2 of 6');
  });

  it('raise the banners a replay needs, the divergence first', () => {
    const facts = { tickMs: 50, endTick: 400, durationMs: 30_000, live: false, interrupted: false };
    expect(bannersOf({ ...facts, verification: verification({ matched: 6 }) })).toEqual([]);
    const mismatch = [{ tick: 300 } as ReplayVerification['mismatches'][number]];
    const [div, cut] = bannersOf({ ...facts, interrupted: true, verification: verification({ mismatches: mismatch, refused: 2 }) });
    expect(div!.tag).toBe('diverged');
    expect(div!.kind).toBe('error');
    expect(div!.title).toBe('✗ This replay diverged from the recorded round at 0:15.');
    expect(div!.body).toContain(' 2 recorded actions were refused when applied again.');
    expect(cut!.tag).toBe('interrupted');
    expect(cut!.body).toBe(' The recording ends at 0:20 of 0:30; nothing after that was played.');
    const live = bannersOf({ ...facts, live: true, interrupted: true, verification: verification() });
    expect(live.map((b) => b.tag)).toEqual(['live']);
    expect(live[0]!.body).toBe(' The replay covers its first 0:20 of 0:30; open it again later to see the rest.');
  });
});

describe('the title and the branch offer', () => {
  it('name who played, this browser\'s player as "you"', () => {
    const roster = [
      { id: 'p-ada', nickname: 'Ada', node: 0, isBot: false },
      { id: 'bot-1', nickname: 'Bot 1', node: 1, isBot: true },
      { id: 'p-bo', nickname: 'Bo', node: 2, isBot: false },
    ];
    expect(titleDetails({ roster, chaos: 'heavy', seed: 7 }, 'p-ada', '3 Jan, 14:05')).toBe('played by Ada (you), Bo · 3 Jan, 14:05 · heavy chaos · seed 7');
    expect(titleDetails({ roster: [roster[1]!], chaos: 'none', seed: 1 }, null, '')).toBe('bots only · no chaos · seed 1');
    expect(titleDetails({ roster: [roster[1]!], chaos: 'heavy', seed: 1, difficulty: 'easy' }, null, '')).toBe('bots only · easy difficulty · heavy chaos · seed 1');
  });

  it('branches only while the round has time left, offering the viewer\'s own node first', () => {
    expect(canBranchAt(599, 50, 30_000)).toBe(true);
    expect(canBranchAt(600, 50, 30_000)).toBe(false);
    const node = (id: number, owner: string, ownerId: string, status: string) => ({ id, owner, ownerId, status }) as unknown as RoundView['nodes'][number];
    const nodes = [node(0, 'Gone', 'x', 'removed'), node(1, 'Ada', 'p-ada', 'up'), node(2, 'Bot 2', 'bot-2', 'down')];
    const offer = branchChoices(nodes, 'p-ada', null);
    expect(offer.choices).toEqual([
      { node: 1, label: 'N1 · Ada (you) · up' },
      { node: 2, label: 'N2 · Bot 2 · down' },
    ]);
    expect(offer.chosen).toBe(1);
    expect(branchChoices(nodes, 'p-ada', 2).chosen).toBe(2);
  });
});

describe('the comparison page', () => {
  it('shows what was promised and says why the original may be shorter', () => {
    const sc = getScenario('bank')!;
    const p = promised(sc);
    expect(p.p99).toBe(`≤ ${sc.sla.p99Ms} ms`);
    expect(p.score).toBe('');
    expect(promised(undefined)).toEqual({});
    expect([true, false, null].map(markOf)).toEqual(['✓ better:', '✗ worse:', '= the same']);
    expect(originalNote('finished', 30_000)).toBe('');
    expect(originalNote('interrupted', 20_000)).toContain('cut short at 0:20');
    expect(originalNote('live', 20_000)).toContain('only its first 0:20');
  });
});

describe('the playback loop', () => {
  const setup = () => {
    const timing = fakeTiming();
    const clock = new PlaybackClock(50, timing.now);
    const target = {
      tick: 0,
      endTick: 1000,
      stepTo(to: number) {
        target.tick = to;
      },
    };
    const seen = { draws: 0, frames: 0, seeks: 0 };
    let on = true;
    const loop = new PlaybackLoop(
      {
        playing: () => (on ? { clock, target } : null),
        beforeStep: () => void seen.seeks++,
        draw: () => void seen.draws++,
        afterFrame: () => void seen.frames++,
      },
      timing,
    );
    return { timing, clock, target, loop, seen, off: () => (on = false) };
  };

  it('redraws at most every 50 ms while playing, at once when paused', () => {
    const { timing, clock, target, loop, seen } = setup();
    clock.play();
    loop.start();
    for (let at = 16; at <= 16 * 20; at += 16) timing.nextFrame(at);
    // 19 frames of play after the first: 1× at 50 ms a tick.
    expect(target.tick).toBe(Math.floor((19 * 16) / 50));
    expect(seen.frames).toBe(20);
    expect(seen.seeks).toBe(20);
    // The first frame draws (all is new); then a draw once 50 ms have passed since the last.
    expect(seen.draws).toBeLessThanOrEqual(Math.ceil((20 * 16) / 50) + 1);
    expect(seen.draws).toBeGreaterThanOrEqual(5);
    clock.pause();
    const drawn = seen.draws;
    timing.nextFrame(16 * 21);
    expect(seen.draws).toBe(drawn); // nothing new
    loop.invalidate();
    timing.nextFrame(16 * 22);
    expect(seen.draws).toBe(drawn + 1);
  });

  it('redraws four times a wall second faster than real time, and the moment it pauses', () => {
    const { timing, clock, target, loop, seen } = setup();
    clock.setSpeed(16);
    clock.play();
    loop.start();
    for (let at = 16; at <= 1000; at += 16) timing.nextFrame(at);
    expect(target.tick).toBeGreaterThan(250);
    // The first frame draws, then one every 250 ms.
    expect(seen.draws).toBeLessThanOrEqual(1 + Math.ceil(1000 / 250));
    expect(mapFps(clock.playing, clock.speed)).toBe(4);
    clock.pause();
    const drawn = seen.draws;
    timing.nextFrame(1008);
    // Paused: what was stepped since the last redraw is drawn at once, the map every frame again.
    expect(seen.draws).toBe(drawn + 1);
    expect(mapFps(clock.playing, clock.speed)).toBe(0);
    expect(renderEveryMs(1)).toBe(50);
  });

  it('skips frames while nothing plays here and stops when asked', () => {
    const { timing, clock, target, loop, seen, off } = setup();
    clock.play();
    loop.start();
    timing.nextFrame(16);
    timing.nextFrame(32);
    off();
    timing.nextFrame(48);
    expect(seen.frames).toBe(2);
    loop.stop();
    const tick = target.tick;
    timing.nextFrame(400);
    expect(target.tick).toBe(tick);
    expect(seen.frames).toBe(2);
  });

  it('at 16× stops on the very tick the replay leaves the recorded round, and stays paused', () => {
    const timing = fakeTiming();
    const clock = new PlaybackClock(50, timing.now);
    const target = { tick: 0, endTick: 1000, stepTo(to: number) { target.tick = to; } };
    // A checkpoint at tick 37 does not match (found while stepping onto it, or known ahead).
    const left = 37;
    clock.setSpeed(16);
    clock.play();
    const halt = () => target.tick >= left;
    clock.frame(0, target, halt);
    // One 250 ms frame at 16× owes 80 ticks: it stops at 37 of them.
    expect(clock.frame(250, target, halt)).toBe(left);
    expect(target.tick).toBe(left);
    expect(clock.playing).toBe(false);
    expect(clock.frame(500, target, halt)).toBe(0);
    expect(target.tick).toBe(left);
    // Without a halt the same frame goes on past it.
    const plain = { tick: 0, endTick: 1000, stepTo(to: number) { plain.tick = to; } };
    const free = new PlaybackClock(50, timing.now);
    free.setSpeed(16);
    free.play();
    free.frame(0, plain);
    free.frame(250, plain);
    expect(plain.tick).toBe(80);
  });
});

describe('the closing in slices', () => {
  it('spends a slice of real time per timer turn and ends once', () => {
    const timing = fakeTiming();
    let done = 0;
    let turns = 0;
    function* steps() {
      for (let i = 0; i < 100; i++) {
        timing.ms += 1; // a step of the closing takes 1 ms
        yield i;
      }
    }
    const it = steps();
    const counted: Iterator<number> = { next: () => (turns++, it.next()) };
    runInSlices(counted, timing, { sliceMs: 25, firstAfterMs: 30, stopped: () => false, done: () => done++ });
    expect(turns).toBe(0); // nothing before the first timer
    timing.runTimers();
    expect(done).toBe(1);
    expect(turns).toBe(101);
  });

  it('stops when the screen is left', () => {
    const timing = fakeTiming();
    let left = false;
    let done = 0;
    function* forever() {
      for (;;) {
        timing.ms += 5;
        left = timing.ms > 100;
        yield 0;
      }
    }
    runInSlices(forever(), timing, { sliceMs: 25, firstAfterMs: 30, stopped: () => left, done: () => done++ });
    timing.runTimers();
    expect(done).toBe(0);
  });
});
