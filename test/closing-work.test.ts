// A round's closing runs as a room runs it, one small step at a time between other rooms'
// work: no step may do far too much at once. Timing a step says little on a shared machine,
// so this counts the work instead (shared/sim/work.ts: events stepped, keys read back,
// compared, judged or exchanged, text hashed) and bounds each step's share. A closing whose
// slicing regressed (an anti-entropy exchange merged in one go, a long stretch of simulation
// or a whole table hashed in one step) fails here. And the pieces change nothing: a closing
// in steps ends exactly like one at once.

import { describe, expect, it } from 'vitest';
import { RoundModel } from '../shared/round/model.js';
import { TICK_MS } from '../shared/round/runner.js';
import { CHECKPOINT_EVERY_TICKS, checkpointHash } from '../shared/replay/recording.js';
import { getScenario, SCENARIO_IDS } from '../shared/scenarios/index.js';
import { advance, createSim, finishSim, finishSteps } from '../shared/sim/engine.js';
import { probeOf, stateOf } from '../shared/round/credits.js';
import { summary, summarySteps } from '../shared/sim/summary.js';
import { closingWork } from '../shared/sim/work.js';

/**
 * Units of work one closing step may do: a few ms on the project's machine (1,000 keys of
 * an anti-entropy exchange merged, or 750 events stepped, or 16,384 numbers digested; a
 * re-run for credits steps whole 50 ms ticks, and feed's busiest is about 2,400 events).
 */
const MAX_UNITS_PER_STEP = 2_500;

/** The longest piece of JSON a re-run parses in one step: a few ms (work.ts counts 256 characters a unit). */
const MAX_PROBE_PIECE_CHARS = 128 * 1024;

/** A round of every seat a bot, played to the end of its live phase. */
function closingRound(id: string, seconds: number, live: (m: RoundModel) => void = () => {}): RoundModel {
  const m = new RoundModel({
    scenario: getScenario(id)!, preset: 'ap', chaos: 'normal', seed: 3, roundSeconds: seconds, lobbySeconds: 1, briefingSeconds: 1,
    setupSeconds: 1, debriefSeconds: 60, voteSeconds: 10, inClass: false, checkpoints: { every: CHECKPOINT_EVERY_TICKS, fingerprint: checkpointHash },
  });
  m.handle({ type: 'open' });
  m.handle({ type: 'join', key: 'watcher', nickname: 'watcher', bot: false, playerKey: null });
  while (!m.isClosing) {
    m.handle({ type: 'time', ms: TICK_MS });
    if (m.phase === 'live') live(m);
  }
  return m;
}

describe('a closing that never blocks', () => {
  it('closes every scenario in steps of bounded work, the big ones in hundreds of steps', () => {
    for (const id of SCENARIO_IDS) {
      const m = closingRound(id, 30);
      let steps = 0;
      let total = 0;
      let most = 0;
      while (m.isClosing) {
        const before = closingWork.units;
        m.handle({ type: 'closing-step' });
        const units = closingWork.units - before;
        most = Math.max(most, units);
        total += units;
        steps++;
      }
      expect(m.phase, id).toBe('debrief');
      expect(most, `${id}: the most work in one closing step`).toBeLessThanOrEqual(MAX_UNITS_PER_STEP);
      // The tally sees the closing's work (it is not trivially small): heal, converge, read back, hash.
      expect(total, id).toBeGreaterThan(MAX_UNITS_PER_STEP / 4);
      expect(steps, id).toBeGreaterThanOrEqual(Math.ceil(total / MAX_UNITS_PER_STEP));
    }
  });

  it('re-runs a player\'s actions without them (the debrief\'s credits) in steps of bounded work too', () => {
    for (const id of ['telemetry', 'feed']) {
      const m = closingRound(id, 30, (round) => {
        const t = round.sim.S.now;
        const node = [...round.everyone].find((p) => p.key === 'watcher')!.node;
        if (t === 8_000) round.handle({ type: 'command', key: 'watcher', command: { type: 'scale-up', node }, ref: 1 });
        if (t === 15_000) round.handle({ type: 'command', key: 'watcher', command: { type: 'drain', node }, ref: 2 });
      });
      let most = 0;
      let steps = 0;
      while (m.isClosing) {
        const before = closingWork.units;
        m.handle({ type: 'closing-step' });
        most = Math.max(most, closingWork.units - before);
        steps++;
      }
      const debrief = m.finalSummary;
      expect(debrief, id).not.toBeNull();
      expect(most, `${id}: the most work in one closing step`).toBeLessThanOrEqual(MAX_UNITS_PER_STEP);
      expect(steps, id).toBeGreaterThan(100);
    }
  });

  it('keeps the snapshot a re-run starts from in pieces small enough to parse one per step', () => {
    // Late in a round the largest parts grow: a big key space's stores, and with version
    // vectors one vector per acknowledged write (chat: megabytes after ten minutes).
    for (const [scenario, preset, ms] of [['chat', 'ap', 120_000], ['telemetry', 'ap', 20_000], ['cart', 'version-vectors', 60_000]] as const) {
      const sim = createSim({ scenario, preset, chaos: 'normal', seed: 2, durationMs: ms + 10_000, recordHistory: false });
      advance(sim, ms);
      const probe = probeOf(sim.S, ms / TICK_MS);
      const pieces = [probe.rest, ...probe.acked, ...probe.nodes, ...probe.stores.flat(), ...probe.events.flatMap((e) => ('run' in e ? [e.run] : [e.shell, ...e.keys, ...e.vers]))];
      const whole = JSON.stringify({ ...sim.S, judge: undefined }).length;
      expect(Math.max(...pieces.map((p) => p.length)), scenario).toBeLessThanOrEqual(MAX_PROBE_PIECE_CHARS);
      expect(pieces.reduce((a, p) => a + p.length, 0), scenario).toBeGreaterThan(whole / 2);
    }
  });

  it('rebuilds the state a re-run starts from exactly, big messages in flight included', () => {
    for (const [scenario, preset, ms] of [['feed', 'ap', 2_000], ['telemetry', 'cp', 2_900], ['chat', 'ap', 30_000]] as const) {
      const sim = createSim({ scenario, preset, chaos: 'normal', seed: 2, durationMs: 60_000, recordHistory: false });
      advance(sim, ms);
      const probe = probeOf(sim.S, ms / TICK_MS);
      const steps = stateOf(probe);
      let r = steps.next();
      while (r.done !== true) r = steps.next();
      const { judge: _judge, ...rest } = sim.S;
      expect(JSON.stringify(r.value), scenario).toBe(JSON.stringify(rest));
    }
  });

  it('telemetry (12,500 keys, leaderless): each anti-entropy exchange is merged in many pieces, ending exactly as at once', () => {
    const opts = { scenario: 'telemetry', preset: 'ap', chaos: 'normal', seed: 4, durationMs: 15_000, recordHistory: false } as const;
    const whole = createSim(opts);
    finishSim(whole);
    const sliced = createSim(opts);
    let steps = 0;
    let most = 0;
    const closing = finishSteps(sliced);
    for (;;) {
      const before = closingWork.units;
      const r = closing.next();
      most = Math.max(most, closingWork.units - before);
      if (r.done === true) break;
      steps++;
    }
    expect(most).toBeLessThanOrEqual(MAX_UNITS_PER_STEP);
    expect(steps).toBeGreaterThan(100);
    expect(JSON.stringify(sliced.S)).toBe(JSON.stringify(whole.S));
    const hashing = summarySteps(sliced);
    let r = hashing.next();
    while (r.done !== true) {
      const before = closingWork.units;
      r = hashing.next();
      expect(closingWork.units - before).toBeLessThanOrEqual(MAX_UNITS_PER_STEP);
    }
    expect(r.value).toEqual(summary(whole));
  });
});
