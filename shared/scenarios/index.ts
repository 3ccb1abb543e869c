// The scenario catalogue: every scenario by id, and the safe ways to look one up from
// untrusted input (a host's choice, a URL, a recording). Two kinds of lookup: getScenario
// knows the current scenarios only (what a player may pick); runnableScenario also knows the
// retired revisions (retired.ts), for a simulation re-created from a recording or a state.

import type { ClusterSettings } from './settings.js';
import { bank } from './bank.js';
import { cart } from './cart.js';
import { chat } from './chat.js';
import { feed } from './feed.js';
import { inventory } from './inventory.js';
import { telemetry } from './telemetry.js';
import { tutorial } from './tutorial.js';
import { RETIRED } from './retired.js';
import type { RetiredScenarioId, RunnableScenarioId, Scenario, ScenarioId } from './types.js';

export type { RetiredScenarioId, RunnableScenarioId, Scenario, ScenarioId } from './types.js';

/** In the order the home screen and the host's picker list them. */
export const SCENARIO_IDS: readonly ScenarioId[] = Object.freeze([
  'tutorial',
  'bank',
  'inventory',
  'feed',
  'cart',
  'telemetry',
  'chat',
] as const);

// Frozen deeply: one object serves every room in the process, so a stray mutation would leak
// into other rounds and make replays disagree with the rounds they recorded.
export const SCENARIOS: Readonly<Record<ScenarioId, Scenario>> = deepFreeze({
  tutorial,
  bank,
  inventory,
  feed,
  cart,
  telemetry,
  chat,
});

export function isScenarioId(id: unknown): id is ScenarioId {
  return typeof id === 'string' && Object.hasOwn(SCENARIOS, id);
}

/** The scenario with this id, or undefined; inherited names such as 'constructor' are not ids. */
export function getScenario(id: string): Scenario | undefined {
  return isScenarioId(id) ? SCENARIOS[id] : undefined;
}

/** Retired revisions by id, frozen like the catalogue (they share its objects). */
const RETIRED_SCENARIOS: Readonly<Record<RetiredScenarioId, Scenario>> = deepFreeze(
  Object.fromEntries(Object.entries(RETIRED).map(([id, r]) => [id, r.scenario])) as Record<RetiredScenarioId, Scenario>,
);

export function isRetiredScenarioId(id: unknown): id is RetiredScenarioId {
  return typeof id === 'string' && Object.hasOwn(RETIRED_SCENARIOS, id);
}

export function isRunnableScenarioId(id: unknown): id is RunnableScenarioId {
  return isScenarioId(id) || isRetiredScenarioId(id);
}

/**
 * The scenario a simulation with this id runs: a current one, or a retired revision that
 * recordings made before a change still name. Never for what a player picks (getScenario).
 */
export function runnableScenario(id: string): Scenario | undefined {
  return isScenarioId(id) ? SCENARIOS[id] : isRetiredScenarioId(id) ? RETIRED_SCENARIOS[id] : undefined;
}

/**
 * The current scenario an id stands for: itself, or the one a retired revision is an earlier
 * version of ('telemetry@1' is telemetry). What lesson cards, words and "play again" go by.
 */
export function currentIdOf(id: string): ScenarioId | undefined {
  return isScenarioId(id) ? id : isRetiredScenarioId(id) ? RETIRED[id].current : undefined;
}

/**
 * A fresh, mutable copy of a scenario's named preset, or undefined for a name it lacks.
 * A copy, because callers adjust settings (votes, branches) and the catalogue must not change.
 */
export function resolvePreset(scenario: Scenario, name: string): ClusterSettings | undefined {
  if (typeof name !== 'string' || !Object.hasOwn(scenario.presets, name)) return undefined;
  return { ...scenario.presets[name] };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
