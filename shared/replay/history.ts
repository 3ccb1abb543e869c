// The operation history of a recorded round (HISTORY.md), produced in slices: a finished
// 10-minute round takes seconds to re-run with every operation kept, and a server must not
// stall its live rounds for that long, nor a browser tab its page. Each `next()` runs at
// most `chunkTicks` steps and reports how far it got; the generator's return value is the
// history.

import { advance, createSim, finishSim } from '../sim/engine.js';
import { applyCommand } from '../sim/commands.js';
import { exportHistory, type HistoryJson } from '../sim/summary.js';
import { resolvePreset } from '../scenarios/index.js';
import type { ScenarioId } from '../scenarios/types.js';
import type { Recording, RecordedCommand } from './recording.js';

/** Steps to a slice by default: about 10 simulated seconds. */
export const HISTORY_CHUNK_TICKS = 200;

/**
 * Re-run the recording from its start with every operation kept. Yields the fraction done
 * (0–1) after each slice; returns the history. A finished round is closed as the live
 * round was (heal, converge, final reads); an interrupted one stops where it stopped.
 */
export function* historySteps(rec: Recording, chunkTicks = HISTORY_CHUNK_TICKS): Generator<number, HistoryJson, void> {
  const sim = createSim({
    scenario: rec.scenario as ScenarioId, preset: rec.preset, settings: rec.settings ?? undefined, chaos: rec.chaos,
    seed: rec.seed, durationMs: rec.durationMs, recordHistory: true,
  });
  const byTick = new Map<number, RecordedCommand[]>();
  for (const c of rec.commands) (byTick.get(c.tick) ?? byTick.set(c.tick, []).get(c.tick)!).push(c);
  const end = rec.interrupted ? rec.lastTick : rec.durationMs / rec.tickMs;
  const step = Math.max(1, Math.floor(chunkTicks));
  for (let k = 0; k < end; k++) {
    for (const c of byTick.get(k) ?? []) applyCommand(sim, c.command);
    advance(sim, (k + 1) * rec.tickMs);
    if ((k + 1) % step === 0 && k + 1 < end) yield (k + 1) / end;
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
