// The operation history of a recorded round (HISTORY.md), produced in slices: a finished
// 10-minute round takes seconds to re-run with every operation kept, and a server must not
// stall its live rounds for that long, nor a browser tab its page. Each `next()` runs at
// most `chunkTicks` steps and reports how far it got; the generator's return value is the
// history.

import { TickRunner } from '../round/runner.js';
import { finishSim } from '../sim/engine.js';
import { exportHistory, type HistoryJson } from '../sim/summary.js';
import { resolvePreset } from '../scenarios/index.js';
import type { Recording } from './recording.js';
import { replayEndTick, scheduleOf, startSim } from './rerun.js';

/** Steps to a slice by default: about 10 simulated seconds. */
export const HISTORY_CHUNK_TICKS = 200;

/**
 * Re-run the recording from its start with every operation kept. Yields the fraction done
 * (0–1) after each slice; returns the history. A finished round is closed as the live
 * round was (heal, converge, final reads); an interrupted one stops where it stopped.
 */
export function* historySteps(rec: Recording, chunkTicks = HISTORY_CHUNK_TICKS): Generator<number, HistoryJson, void> {
  const sim = startSim(rec, true);
  const runner = new TickRunner<number>(sim, { scheduled: scheduleOf(rec) });
  const end = replayEndTick(rec);
  const step = Math.max(1, Math.floor(chunkTicks));
  while (runner.tick < end) {
    runner.step();
    if (runner.tick % step === 0 && runner.tick < end) yield runner.tick / end;
  }
  if (!rec.interrupted) finishSim(sim);
  // The settings in force at the start: the team's own, or the preset's.
  return exportHistory(sim, rec.settings !== null ? { ...rec.settings } : (resolvePreset(sim.sc, rec.preset) ?? { ...sim.S.settings }));
}

/** Replay the whole recording with every operation kept and export it in the HISTORY.md format, at once. */
export function historyOf(rec: Recording): HistoryJson {
  const it = historySteps(rec, Number.MAX_SAFE_INTEGER);
  for (;;) {
    const r = it.next();
    if (r.done === true) return r.value;
  }
}
