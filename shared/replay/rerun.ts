// A recording fed back to the tick runner: the simulation as the round started, the
// recorded commands scheduled at their ticks, and the tick a replay runs to. Every re-run of
// a recording (the check, the player, the history export) starts here, so they cannot
// disagree about what a replay is.

import { parseActor } from '../round/actor.js';
import { byTick, type TickInput } from '../round/runner.js';
import { createSim, type Sim } from '../sim/engine.js';
import type { Recording } from './recording.js';
import { recordedScenarioId, recordedSimVersion } from './revisions.js';

/** The recorded commands by tick, each with its index in `rec.commands` (what a refusal is counted by). */
export type RecordedSchedule = ReadonlyMap<number, readonly TickInput<number>[]>;

/**
 * The simulation as the round started, at the round's difficulty, on the scenario revision
 * and the rules the round was played with (a recording that skipped the parser still
 * replays on its own numbers and rules).
 */
export function startSim(rec: Recording, recordHistory: boolean): Sim {
  const scenario = recordedScenarioId(rec.format, rec.scenario);
  if (scenario === undefined) throw new Error(`a recording of format '${String(rec.format)}' cannot name the scenario '${String(rec.scenario)}'`);
  const simVersion = recordedSimVersion(rec.format, rec.simVersion);
  if (simVersion === undefined) throw new Error(`a recording of format '${String(rec.format)}' cannot name the simulation rules '${String(rec.simVersion)}'`);
  return createSim({
    scenario, simVersion, preset: rec.preset, settings: rec.settings ?? undefined, chaos: rec.chaos,
    difficulty: rec.difficulty ?? 'normal', seed: rec.seed, durationMs: rec.durationMs, recordHistory,
  });
}

/** The last tick a replay reaches: where an interrupted round stopped, else the round's end. */
export function replayEndTick(rec: Recording): number {
  return rec.interrupted ? rec.lastTick : Math.floor(rec.durationMs / rec.tickMs);
}

/** The recording's commands as the runner's `scheduled` option. */
export function scheduleOf(rec: Recording): RecordedSchedule {
  return byTick(rec.commands, (c, i) => ({ command: c.command, by: parseActor(c.by), meta: i }));
}
