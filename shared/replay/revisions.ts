// Which scenario a recording ran on. A recording names its scenario by id, and a scenario's
// numbers may change after the round was played; a replay must run on the numbers the round
// had. Format 2 names the exact revision ('telemetry@1' for telemetry as it was before
// requests became batches); format 1 was written before revisions existed, so its ids mean
// the scenarios as they were then. This module owns that rule: the file parser and the
// store's read path turn every recording into format 2 with it, and starting a simulation
// from a recording goes through it again, so no path can replay an old round on new numbers.

import { isRunnableScenarioId, isScenarioId } from '../scenarios/index.js';
import type { RunnableScenarioId, ScenarioId } from '../scenarios/types.js';

export const RECORDING_FORMAT_1 = 'splitbrain-recording/1';
export const RECORDING_FORMAT_2 = 'splitbrain-recording/2';
/** Every format this game reads, oldest first. */
export const RECORDING_FORMATS: readonly string[] = Object.freeze([RECORDING_FORMAT_1, RECORDING_FORMAT_2]);

/**
 * Scenarios whose numbers changed after format 1 was current, and the revision a format-1
 * recording of them ran on. When a scenario changes again, its previous numbers become a new
 * retired revision and recordings name it in the format then current (bump the format, add a row here).
 */
const FORMAT_1_REVISIONS: Readonly<Partial<Record<ScenarioId, RunnableScenarioId>>> = Object.freeze({ telemetry: 'telemetry@1' });

/**
 * The scenario a recording of `format` naming `scenario` ran on, or undefined when that
 * format could not have named it (an unknown format, an unknown id, or a retired id in a
 * format written before revisions had ids).
 */
export function recordedScenarioId(format: unknown, scenario: unknown): RunnableScenarioId | undefined {
  if (format === RECORDING_FORMAT_2) return isRunnableScenarioId(scenario) ? scenario : undefined;
  if (format === RECORDING_FORMAT_1) {
    if (!isScenarioId(scenario)) return undefined;
    return FORMAT_1_REVISIONS[scenario] ?? scenario;
  }
  return undefined;
}
