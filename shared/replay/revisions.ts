// Which scenario and which simulation rules a recording ran on. A recording names its
// scenario by id, and a scenario's numbers may change after the round was played, as may
// the simulation's rules (sim/state.ts SimVersion); a replay must run on what the round
// had. Each format's ids mean the scenarios as they were while it was written:
//   format 1 predates revisions ('telemetry' there is 'telemetry@1', telemetry before batches);
//   format 2 names revisions, but its 'feed' is 'feed@1' (20,000 posts);
//   format 3 is written since the feed's 10,000 posts; its 'telemetry' is 'telemetry@2'
//     (12,500 sensor groups), and it ran on rules 1, as formats 1 and 2 did;
//   format 4 is written since telemetry's 6,250 sensor groups and names its rules itself.
// This module owns that rule: the file parser and the store's read path turn every
// recording into the current format with it, and starting a simulation from a recording
// goes through it again, so no path can replay an old round on new numbers or rules.

import { isRetiredScenarioId, isScenarioId } from '../scenarios/index.js';
import type { RetiredScenarioId, RunnableScenarioId, ScenarioId } from '../scenarios/types.js';
import { isSimVersion, type SimVersion } from '../sim/state.js';

const RECORDING_FORMAT_1 = 'splitbrain-recording/1';
const RECORDING_FORMAT_2 = 'splitbrain-recording/2';
const RECORDING_FORMAT_3 = 'splitbrain-recording/3';
/** The format written now (recording.ts RECORDING_FORMAT). */
export const RECORDING_FORMAT_4 = 'splitbrain-recording/4';

interface Meaning {
  /** The current scenarios whose numbers have changed since the format was written, with the revision its ids meant. */
  changed: Partial<Record<ScenarioId, RunnableScenarioId>>;
  /** The retired ids that existed to be named then. */
  retired: readonly RetiredScenarioId[];
  /** The rules every round of the format ran on, or 'named': the recording's `simVersion` says. */
  simVersion: SimVersion | 'named';
}

/**
 * What each format means, oldest format first. When a scenario changes again, its previous
 * numbers become a new retired revision: bump the format, map the new revision into every
 * older format's `changed`, and list it in the new format's `retired`. A new SimVersion
 * needs no new format: format 4 and later name theirs.
 */
const MEANINGS: Readonly<Record<string, Meaning>> = Object.freeze({
  [RECORDING_FORMAT_1]: { changed: { telemetry: 'telemetry@1', feed: 'feed@1' }, retired: [], simVersion: 1 },
  [RECORDING_FORMAT_2]: { changed: { feed: 'feed@1' }, retired: ['telemetry@1'], simVersion: 1 },
  [RECORDING_FORMAT_3]: { changed: { telemetry: 'telemetry@2' }, retired: ['telemetry@1', 'feed@1'], simVersion: 1 },
  [RECORDING_FORMAT_4]: { changed: {}, retired: ['telemetry@1', 'feed@1', 'telemetry@2'], simVersion: 'named' },
});

/** Every format this game reads, oldest first. */
export const RECORDING_FORMATS: readonly string[] = Object.freeze(Object.keys(MEANINGS));

/**
 * The scenario a recording of `format` naming `scenario` ran on, or undefined when that
 * format could not have named it (an unknown format, an unknown id, or a retired id the
 * format was written before).
 */
export function recordedScenarioId(format: unknown, scenario: unknown): RunnableScenarioId | undefined {
  const meaning = meaningOf(format);
  if (meaning === undefined) return undefined;
  if (isScenarioId(scenario)) return meaning.changed[scenario] ?? scenario;
  return isRetiredScenarioId(scenario) && meaning.retired.includes(scenario) ? scenario : undefined;
}

/**
 * The rules a recording of `format` ran on, given what it says in its `simVersion` field
 * (read only from formats that name their rules), or undefined for an unknown format or a
 * field that names no rules this game has.
 */
export function recordedSimVersion(format: unknown, named: unknown): SimVersion | undefined {
  const meaning = meaningOf(format);
  if (meaning === undefined) return undefined;
  if (meaning.simVersion !== 'named') return meaning.simVersion;
  return isSimVersion(named) ? named : undefined;
}

function meaningOf(format: unknown): Meaning | undefined {
  return typeof format === 'string' && Object.hasOwn(MEANINGS, format) ? MEANINGS[format] : undefined;
}
