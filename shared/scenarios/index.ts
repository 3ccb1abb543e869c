// The scenario catalogue: every scenario by id, and the safe ways to look one up from
// untrusted input (a host's choice, a URL, a recording).

import type { ClusterSettings } from './settings.js';
import { bank } from './bank.js';
import { cart } from './cart.js';
import { chat } from './chat.js';
import { feed } from './feed.js';
import { inventory } from './inventory.js';
import { telemetry } from './telemetry.js';
import { tutorial } from './tutorial.js';
import type { Scenario, ScenarioId } from './types.js';

export type { Scenario, ScenarioId } from './types.js';

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
