// Which scenario a recording ran on. A recording names its scenario by id, and a scenario's
// numbers may change after the round was played; a replay must run on the numbers the round
// had. Each format's ids mean the scenarios as they were while it was written: format 1
// predates revisions ('telemetry' there is 'telemetry@1', telemetry before batches); format 2
// names revisions, but its 'feed' is 'feed@1' (20,000 posts); format 3 is written since the
// feed's 10,000 posts. This module owns that rule: the file parser and the store's read path
// turn every recording into the current format with it, and starting a simulation from a
// recording goes through it again, so no path can replay an old round on new numbers.

import { isRetiredScenarioId, isScenarioId } from '../scenarios/index.js';
import type { RetiredScenarioId, RunnableScenarioId, ScenarioId } from '../scenarios/types.js';

const RECORDING_FORMAT_1 = 'splitbrain-recording/1';
const RECORDING_FORMAT_2 = 'splitbrain-recording/2';
/** The format written now (recording.ts RECORDING_FORMAT). */
export const RECORDING_FORMAT_3 = 'splitbrain-recording/3';

/**
 * What each format's scenario ids mean, oldest format first: the current scenarios whose
 * numbers have changed since it was written, with the revision it meant by their ids, and
 * the retired ids that existed to be named then. When a scenario changes again, its previous
 * numbers become a new retired revision: bump the format, map the new revision into every
 * older format's `changed`, and list it in the new format's `retired`.
 */
const MEANINGS: Readonly<Record<string, { changed: Partial<Record<ScenarioId, RunnableScenarioId>>; retired: readonly RetiredScenarioId[] }>> = Object.freeze({
  [RECORDING_FORMAT_1]: { changed: { telemetry: 'telemetry@1', feed: 'feed@1' }, retired: [] },
  [RECORDING_FORMAT_2]: { changed: { feed: 'feed@1' }, retired: ['telemetry@1'] },
  [RECORDING_FORMAT_3]: { changed: {}, retired: ['telemetry@1', 'feed@1'] },
});

/** Every format this game reads, oldest first. */
export const RECORDING_FORMATS: readonly string[] = Object.freeze(Object.keys(MEANINGS));

/**
 * The scenario a recording of `format` naming `scenario` ran on, or undefined when that
 * format could not have named it (an unknown format, an unknown id, or a retired id the
 * format was written before).
 */
export function recordedScenarioId(format: unknown, scenario: unknown): RunnableScenarioId | undefined {
  if (typeof format !== 'string' || !Object.hasOwn(MEANINGS, format)) return undefined;
  const meaning = MEANINGS[format]!;
  if (isScenarioId(scenario)) return meaning.changed[scenario] ?? scenario;
  return isRetiredScenarioId(scenario) && meaning.retired.includes(scenario) ? scenario : undefined;
}
