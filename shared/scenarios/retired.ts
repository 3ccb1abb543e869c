// Earlier revisions of scenarios, frozen. A round replays only on the numbers it was played
// with, so when a scenario's numbers change, the old ones stay here under an id of their own
// ('telemetry@1'): recordings made before the change run on it (shared/replay/revisions.ts)
// and a state saved from such a round restores onto it. Runnable for replays and restores
// only: no lobby, room or class offers or accepts a retired id (index.ts getScenario).
//
// Each revision is the current scenario with the fields that changed set back. The rest is
// shared with the current scenario, so a later edit to it would leak in here: the test in
// test/scenario-revisions.test.ts pins every field of each revision and fails first.

import { feed } from './feed.js';
import { telemetry } from './telemetry.js';
import type { RetiredScenarioId, Scenario, ScenarioId, Workload } from './types.js';

/** The current telemetry's workload without its batch: before 9ae003a a request was one reading. */
function withoutBatch(w: Workload): Workload {
  const { batch: _batch, ...rest } = w;
  return rest;
}

/**
 * Telemetry before a simulated request stood for a batch of four readings: four times the
 * rates, capacity and keys, the counted promises four times larger, and a 150 ms latency promise.
 */
export const telemetryV1: Scenario = {
  ...telemetry,
  id: 'telemetry@1',
  briefing:
    'Thousands of our sensors send a reading every second, and the fleet keeps growing. ' +
    'The ingest must keep up with every sensor, at the lowest cost you can manage. ' +
    'Dropping the odd reading is fine: our dashboards only ever show averages.',
  sla: { availability: 0.99, p99Ms: 150, maxStaleReads: 50_000, maxLostWrites: 20_000 },
  topology: { ...telemetry.topology, nodeCapacity: 600 },
  workload: {
    ...withoutBatch(telemetry.workload),
    keys: 50_000,
    hotKeys: 100,
    startRate: 800,
    endRate: 2_080,
    clientsPerRegion: 2_500,
  },
};

/** Telemetry before it had 6,250 sensor groups (keys): 12,500. */
export const telemetryV2: Scenario = {
  ...telemetry,
  id: 'telemetry@2',
  workload: { ...telemetry.workload, keys: 12_500 },
};

/** The feed before it had 10,000 posts: 20,000, and a promise of at most 50 lost posts. */
export const feedV1: Scenario = {
  ...feed,
  id: 'feed@1',
  sla: { ...feed.sla, maxLostWrites: 50 },
  workload: { ...feed.workload, keys: 20_000 },
};

/** Every retired revision by id, and the current scenario it is an earlier revision of. */
export const RETIRED: Readonly<Record<RetiredScenarioId, { scenario: Scenario; current: ScenarioId }>> = {
  'telemetry@1': { scenario: telemetryV1, current: 'telemetry' },
  'feed@1': { scenario: feedV1, current: 'feed' },
  'telemetry@2': { scenario: telemetryV2, current: 'telemetry' },
};
