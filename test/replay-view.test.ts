// The replay viewer's pieces that need no browser: the branch glue keeps the live room's
// timing (a branch where bots run every node reproduces the recorded round bit for bit),
// the local projection draws a simulation as the room's state would, seats follow the
// roster's changes, the playback clock degrades instead of piling up work, the comparison
// says differences in words, and the page's addresses parse under any path prefix.

import { SimBotView } from '../shared/round/bot-view.js';
import { describe, expect, it } from 'vitest';
import { Branch } from '../client/src/replay/branch.js';
import { BOT_EVERY_TICKS } from '../shared/round/runner.js';
import { PlaybackClock, type Steppable } from '../client/src/replay/clock.js';
import { compareSummaries, inWords, verdict, type Measures } from '../client/src/replay/compare.js';
import { seatsAt, SimStage } from '../client/src/replay/stage.js';
import { appRoot, routeOf } from '../client/src/routes.js';
import { botDecide, createBotMemory, type BotMemory } from '../shared/bots/node-bot.js';
import type { Command } from '../shared/protocol/commands.js';
import { maybeCheckpoint, recordCommand, replayRecording, startRecording, TICK_MS, type Recording } from '../shared/replay/recording.js';
import { applyCommand } from '../shared/sim/commands.js';
import { advance, createSim, type Sim } from '../shared/sim/engine.js';

/** A 30 s bank round run as the room runs one, every node a bot: its recording. */
function botRound(seed: number): Recording {
  const sim = createSim({ scenario: 'bank', chaos: 'heavy', seed, durationMs: 30_000, recordHistory: false });
  const rec = startRecording({
    roomId: 'test', scenario: 'bank', preset: 'cp', settings: null, chaos: 'heavy', seed, durationMs: 30_000,
    roster: sim.S.nodes.map((_, i) => ({ id: `bot-${i}`, nickname: `Bot ${i}`, node: i, isBot: true })),
    chaosEvents: sim.S.chaosSchedule.map((e) => ({ ...e })), startedAt: '2026-01-01T00:00:00.000Z', isPublic: false, sessionId: null,
  });
  const bots: BotMemory[] = [];
  let queue: { cmd: Command; by: string }[] = [];
  const botView = new SimBotView();
  const end = 30_000 / TICK_MS;
  for (let tick = 0; tick < end; ) {
    for (const q of queue) if (applyCommand(sim, q.cmd).ok) recordCommand(rec, tick, q.cmd, q.by);
    queue = [];
    advance(sim, (tick + 1) * TICK_MS);
    tick++;
    maybeCheckpoint(rec, tick, sim.S);
    rec.lastTick = tick;
    if (tick < end && tick % BOT_EVERY_TICKS === 0) {
      const view = botView.look(sim);
      for (let id = 0; id < sim.S.nodes.length; id++) {
        const cmd = botDecide(view, id, (bots[id] ??= createBotMemory()), sim.sc);
        if (cmd !== null) queue.push({ cmd, by: `bot-${id}` });
      }
    }
  }
  return rec;
}

/** The recording's simulation after `ticks` steps, as a replay reaches it. */
function replayTo(rec: Recording, ticks: number): Sim {
  const sim = createSim({ scenario: 'bank', chaos: rec.chaos, seed: rec.seed, durationMs: rec.durationMs, recordHistory: false });
  for (let k = 0; k < ticks; k++) {
    for (const c of rec.commands) if (c.tick === k) applyCommand(sim, c.command);
    advance(sim, (k + 1) * TICK_MS);
  }
  return sim;
}

describe('a branch', () => {
  it('where bots run every node replays the recorded round exactly, from any tick', () => {
    const rec = botRound(11);
    expect(rec.commands.length).toBeGreaterThan(0);
    const original = replayRecording(rec);
    expect(original.firstMismatch).toBeNull();
    // Bots remember when they first saw their node down; a branch's bots start with no
    // memory, so branch where no node is down: once at a bot tick (the bots' decision at that
    // tick is the branch's to make) and once between two.
    const up = (t: number) => replayTo(rec, t).S.nodes.every((n) => n.status !== 'down');
    const atBotTick = [200, 240, 280, 320, 360].find(up);
    const between = [213, 253, 293, 333, 373].find(up);
    expect(atBotTick).toBeDefined();
    expect(between).toBeDefined();
    for (const from of [atBotTick!, between!]) {
      const branch = new Branch(replayTo(rec, from), from, -1, { refused: () => undefined });
      const s = branch.finish();
      expect(s.stateHash, `branch from tick ${from}`).toBe(original.summary.stateHash);
      expect(branch.tick).toBe(600);
    }
  });

  it('applies the player\'s command at the next tick boundary and reports a refusal', () => {
    const rec = botRound(12);
    const refused: string[] = [];
    const branch = new Branch(replayTo(rec, 100), 100, 0, { refused: (_c, e) => refused.push(e) });
    branch.send({ type: 'scale-up', node: 0 });
    expect(branch.sim.S.nodes[0]!.size).toBe(1);
    branch.stepTo(101);
    expect(branch.sim.S.nodes[0]!.size).toBe(2);
    expect(branch.actions).toBe(1);
    branch.send({ type: 'restart', node: 99 });
    branch.stepTo(102);
    expect(refused).toHaveLength(1);
    expect([...branch.sent.values()].map((s) => s.failed)).toEqual([false, true]);
    // A settings change needs no vote: one player is the whole team.
    branch.configure({ failoverTimeoutMs: 800 });
    branch.stepTo(103);
    expect(branch.sim.S.settings.failoverTimeoutMs).toBe(800);
    expect(branch.lastChange?.status).toBe('passed');
  });
});

describe('the local projection', () => {
  it('draws the simulation with the roster\'s names and starts afresh after a jump', () => {
    const rec = botRound(13);
    rec.roster[0] = { id: 'p-ada', nickname: 'Ada', node: 0, isBot: false };
    rec.rosterChanges.push({ tick: 100, id: 'p-ada', nickname: 'Ada', node: 0, isBot: true }, { tick: 150, id: 'p-ada', nickname: 'Ada', node: 0, isBot: false });
    expect(seatsAt(rec.roster, rec.rosterChanges, 120)[0]).toEqual({ id: 'p-ada', nickname: 'Ada', isBot: true });
    expect(seatsAt(rec.roster, rec.rosterChanges, 150)[0]!.isBot).toBe(false);

    const stage = new SimStage({ preset: 'cp', isPrivate: true });
    let sim = replayTo(rec, 0);
    stage.restart(sim);
    stage.show(sim, 'live', seatsAt(rec.roster, rec.rosterChanges, 0));
    const v0 = stage.view('');
    expect(v0.nodes.map((n) => n.owner)).toEqual(['Ada', 'Bot 1', 'Bot 2', 'Bot 3', 'Bot 4']);
    expect(v0.myNode).toBe(-1);
    expect(v0.scenario?.id).toBe('bank');

    sim = replayTo(rec, 120);
    stage.restart(sim);
    stage.show(sim, 'live', seatsAt(rec.roster, rec.rosterChanges, 120));
    const v1 = stage.view('p-ada');
    expect(v1.simMs).toBe(6000);
    expect(v1.measures.requests).toBeGreaterThan(500);
    expect(v1.windows.length).toBeGreaterThan(3);
    expect(v1.nodes[0]!.botControlled).toBe(true);
    expect(v1.myNode).toBe(0);
    // Back to the start: nothing of the later moment stays in the feed or the windows.
    sim = replayTo(rec, 20);
    stage.restart(sim);
    stage.show(sim, 'live', seatsAt(rec.roster, rec.rosterChanges, 20));
    const v2 = stage.view('');
    expect(v2.feed.every((f) => f.t <= 1000)).toBe(true);
    expect(v2.windows.every((w) => w.t < 1000)).toBe(true);
  });
});

describe('the playback clock', () => {
  /** Real time as the clock sees it: it moves only when a step of simulation spends it. */
  const fakeTime = () => {
    const time = { ms: 0, now: () => time.ms };
    return time;
  };
  const target = (time: { ms: number }, cost: number, from = 0): Steppable & { calls: number } => {
    const t = {
      tick: from,
      endTick: 1000,
      calls: 0,
      stepTo(to: number) {
        t.calls++;
        time.ms += cost * (to - t.tick); // a tick of simulation takes `cost` ms
        t.tick = to;
      },
    };
    return t;
  };

  it('moves speed × real time in ticks', () => {
    const time = fakeTime();
    const clock = new PlaybackClock(50, time.now);
    const t = target(time, 0);
    clock.setSpeed(2);
    clock.play();
    clock.frame(1000, t);
    clock.frame(1100, t);
    expect(t.tick).toBe(4);
    clock.frame(1350, t);
    expect(t.tick).toBe(14);
    // A long pause of the page (a hidden tab) is not caught up.
    clock.frame(60_000, t);
    expect(t.tick).toBe(24);
    // One tick at a time, so the budget is checked often.
    expect(t.calls).toBe(24);
  });

  it('falls behind gracefully on slow steps and says how fast it really goes', () => {
    const time = fakeTime();
    const clock = new PlaybackClock(50, time.now);
    const t = target(time, 4); // 4 ms a tick: 16× would need 5 ticks (20 ms) every 16 ms frame
    clock.setSpeed(16);
    clock.play();
    const perFrame: number[] = [];
    for (let i = 0; i < 80; i++) {
      // Frames come every 16 ms; one whose stepping ran over waits for the next after it.
      time.ms = (Math.floor(time.ms / 16) + 1) * 16;
      const before = t.tick;
      clock.frame(time.ms, t);
      perFrame.push(t.tick - before);
      // A frame stops stepping once its time budget (at most 40 ms) is spent: never more than
      // that budget's worth of steps, however far behind the clock is.
      expect(t.tick - before).toBeLessThanOrEqual(Math.ceil(40 / 4) + 1);
    }
    // Two frames' time (32 ms) a frame, stepping 4 or 5 ticks in turn: what it cannot do is dropped.
    expect(perFrame.slice(-6)).toEqual([4, 5, 4, 5, 4, 5]);
    const real = clock.behind();
    expect(real).not.toBeNull();
    expect(real!).toBeLessThan(16);
    expect(real!).toBeGreaterThan(1);
    expect(real!).toBeCloseTo((4.5 * 50) / 32, 1);
  });

  it('keeps up when the steps fit in the frame', () => {
    const time = fakeTime();
    const clock = new PlaybackClock(50, time.now);
    const t = target(time, 1);
    clock.setSpeed(4);
    clock.play();
    for (let i = 0; i < 80; i++) {
      time.ms = (Math.floor(time.ms / 16) + 1) * 16;
      clock.frame(time.ms, t);
    }
    expect(clock.behind()).toBeNull();
    expect(t.tick).toBe(Math.floor((79 * 16 * 4) / 50));
  });

  it('stops at the end', () => {
    const time = fakeTime();
    const clock = new PlaybackClock(50, time.now);
    const t = target(time, 0, 995);
    clock.setSpeed(16);
    clock.play();
    clock.frame(0, t);
    clock.frame(200, t);
    expect(t.tick).toBe(1000);
    expect(clock.playing).toBe(false);
  });
});

describe('the comparison', () => {
  const base: Measures = { availability: 0.995, p99: 180, staleReads: 4, lostWrites: 3, cost: 900, score: 700 };
  it('says each difference in words, from the branch\'s side', () => {
    const rows = compareSummaries(base, { availability: 0.999, p99: 150, staleReads: 4, lostWrites: 1, cost: 1000, score: 760 });
    const by = Object.fromEntries(rows.map((r) => [r.key, r]));
    expect(inWords(by.lostWrites!)).toBe('your branch: 2 fewer lost writes');
    expect(by.lostWrites!.better).toBe(true);
    expect(inWords(by.p99!)).toBe('your branch: 30 ms faster');
    expect(by.staleReads!.better).toBeNull();
    expect(inWords(by.staleReads!)).toBe('Stale reads: the same');
    expect(by.cost!.diff).toBe('100 node-seconds dearer');
    expect(by.cost!.better).toBe(false);
    expect(by.availability!.diff).toBe('0.40 percentage points more succeeded');
    expect(verdict(rows)).toBe('Your branch beat the original round by 60 points. It was better on requests that succeeded, latency p99 and lost writes; worse on cost (node-seconds).');
    expect(inWords(compareSummaries(base, { ...base, lostWrites: 4 }).find((r) => r.key === 'lostWrites')!)).toBe('your branch: 1 more lost write');
    expect(verdict(compareSummaries(base, base))).toBe('Your branch scored the same as the original round.');
  });
});

describe('the page\'s addresses', () => {
  it('find the app\'s root under any prefix', () => {
    expect(appRoot('/')).toBe('/');
    expect(appRoot('/replays')).toBe('/');
    expect(appRoot('/replay/abcdefghijklmnopqrstuv')).toBe('/');
    expect(appRoot('/game/replay/abcdefghijklmnopqrstuv')).toBe('/game/');
    expect(appRoot('/game/index.html')).toBe('/game/');
    expect(routeOf('/game/replays')).toEqual({ kind: 'replays' });
    expect(routeOf('/replay/abcdefghijklmnopqrstuv')).toEqual({ kind: 'replay', id: 'abcdefghijklmnopqrstuv' });
    expect(routeOf('/')).toEqual({ kind: 'home' });
    expect(routeOf('/index.html')).toEqual({ kind: 'home' });
  });
});
