// How hard a round is: easy, normal or hard. A difficulty adjusts a scenario's numbers
// (how often chaos strikes, how many failed requests the promise allows, the latency
// target, the money budget), never the replication rules: the same tactics stay right or
// wrong at every difficulty, a teacher just starts a class gently.

import type { Scenario } from './types.js';

export const DIFFICULTIES = ['easy', 'normal', 'hard'] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];

export function isDifficulty(x: unknown): x is Difficulty {
  return typeof x === 'string' && (DIFFICULTIES as readonly string[]).includes(x);
}

export interface DifficultyRule {
  /** Multiplies the chaos profile's mean interval between faults (2 = half as many faults). */
  chaosInterval: number;
  /** Multiplies the share of requests allowed to fail (the error budget). */
  errorBudget: number;
  /** Multiplies the p99 latency target. */
  latency: number;
  /** Multiplies the money the team may spend. */
  money: number;
  /** Whether the advisor's hints are on by default. */
  advisor: boolean;
}

export const DIFFICULTY_RULES: Readonly<Record<Difficulty, DifficultyRule>> = Object.freeze({
  easy: Object.freeze({ chaosInterval: 2, errorBudget: 2, latency: 1.25, money: 1.25, advisor: true }),
  normal: Object.freeze({ chaosInterval: 1, errorBudget: 1, latency: 1, money: 1, advisor: true }),
  hard: Object.freeze({ chaosInterval: 0.6, errorBudget: 0.5, latency: 1, money: 0.85, advisor: false }),
});

/**
 * The scenario as played at a difficulty: `normal` is the scenario itself; the others are a
 * frozen copy with the SLA, budget and chaos profiles scaled. Availability targets are
 * scaled through their error budget (99.9 % at ×2 becomes 99.8 %).
 */
export function atDifficulty(sc: Scenario, difficulty: Difficulty): Scenario {
  if (difficulty === 'normal') return sc;
  const cached = CACHE.get(sc)?.[difficulty];
  if (cached !== undefined) return cached;
  const rule = DIFFICULTY_RULES[difficulty];
  // Rounded to a tenth of a percent (a hundredth once the budget is under half a percent),
  // so the promise reads as a player would say it: 98.8 %, not 98.75 %.
  const budget = (1 - sc.sla.availability) * rule.errorBudget;
  const step = budget >= 0.005 ? 1_000 : 10_000;
  const availability = Math.round((1 - budget) * step) / step;
  const chaos = Object.fromEntries(
    Object.entries(sc.chaos).map(([level, p]) => [level, { ...p, meanIntervalMs: Math.round(p.meanIntervalMs * rule.chaosInterval) }]),
  ) as Scenario['chaos'];
  const out: Scenario = Object.freeze({
    ...sc,
    sla: Object.freeze({ ...sc.sla, availability, p99Ms: Math.round(sc.sla.p99Ms * rule.latency) }),
    budget: Object.freeze({ ...sc.budget, limit: Math.round(sc.budget.limit * rule.money) }),
    chaos,
  });
  const entry = CACHE.get(sc) ?? {};
  entry[difficulty] = out;
  CACHE.set(sc, entry);
  return out;
}

// One adjusted copy per scenario and difficulty, so every room of a process shares it.
const CACHE = new WeakMap<Scenario, Partial<Record<Difficulty, Scenario>>>();
