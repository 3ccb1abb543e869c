// Simulation state → the room's Colyseus schema: the shared projection (shared/view/project.ts)
// with the schema's classes as the entries it adds. ClusterRoom calls these a few times a second.

import type { Sim } from '../../shared/sim/engine.js';
import * as view from '../../shared/view/project.js';
import { FaultView, FeedItemView, MetricWindowView, NodeView, type ClusterState } from './schema.js';

export {
  createProjectionMemory, FEED_LENGTH, HOT_KEY_COUNT, liveScore, projectFinalBudget, projectFinalMeasures, projectStatic, resetProjection,
  utilizationOf, UTILIZATION_WINDOW_MS, WINDOW_COUNT, type ProjectionMemory,
} from '../../shared/view/project.js';
export { copySettings as projectSettings } from '../../shared/view/settings.js';

const SCHEMA_MAKERS: view.ViewMakers = {
  node: () => new NodeView(),
  fault: () => new FaultView(),
  window: () => new MetricWindowView(),
  feedItem: () => new FeedItemView(),
};

/** Copy the simulation's current state into the schema. */
export function projectSim(state: ClusterState, sim: Sim, mem: view.ProjectionMemory): void {
  view.projectSim(state, sim, mem, SCHEMA_MAKERS);
}

/** Append an event to the schema's feed, keeping the newest FEED_LENGTH. */
export function pushFeed(state: ClusterState, t: number, kind: string, text: string, node = -1): void {
  view.pushFeed(state, SCHEMA_MAKERS, t, kind, text, node);
}
