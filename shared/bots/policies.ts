// The ways a team can play a round, as data: which architecture it picks in setup, and how
// (and how fast) it reacts during the live phase. The balance benchmark plays every scenario
// with each policy; seat bots play a style picked by the round's difficulty. The live
// decisions themselves are in node-bot.ts, a pure function of what a player sees.

import type { Difficulty } from '../scenarios/difficulty.js';
import type { Scenario } from '../scenarios/types.js';

export const POLICIES = ['idle', 'novice', 'expert', 'wrong'] as const;
export type Policy = (typeof POLICIES)[number];

export function isPolicy(x: unknown): x is Policy {
  return typeof x === 'string' && (POLICIES as readonly string[]).includes(x);
}

/** How a player reacts during the live phase. */
export interface PlayStyle {
  /** Simulated ms from seeing its node down (or flooded, or slow) to acting. */
  reactionMs: number;
  /** Turns away a client that floods its node. */
  rateLimit: boolean;
  /** Takes a slow (gray-failing) node out of the balancer and out of leadership until it recovers. */
  sidelineSlow: boolean;
  /**
   * Adds a node when the busiest up node has been above this share of its capacity (percent)
   * for `scaleOutAfterMs`, while the money allows; null: never scales out.
   */
  scaleOutAt: number | null;
  scaleOutAfterMs: number;
  /** Sets its node's stance to the one that fits the scenario's promise. */
  fitStance: boolean;
  /** Drains its node while it is cut off on the minority side and refuses, so clients go elsewhere. */
  drainCutOff: boolean;
}

/** Seat bots by the round's difficulty: easy bots play like a novice, hard ones like an expert. */
export const SEAT_STYLE_OF: Readonly<Record<Difficulty, 'novice' | 'steady' | 'expert'>> = Object.freeze({
  easy: 'novice',
  normal: 'steady',
  hard: 'expert',
});

export const STYLES: Readonly<Record<'novice' | 'steady' | 'expert', PlayStyle>> = Object.freeze({
  // Reacts late, never scales before the cluster is drowning, leaves stances as they are.
  novice: Object.freeze({ reactionMs: 6_000, rateLimit: true, sidelineSlow: false, scaleOutAt: 98, scaleOutAfterMs: 10_000, fitStance: false, drainCutOff: false }),
  steady: Object.freeze({ reactionMs: 3_000, rateLimit: true, sidelineSlow: false, scaleOutAt: 90, scaleOutAfterMs: 5_000, fitStance: false, drainCutOff: false }),
  // Acts at its first look, scales before saturation, takes gray-failing nodes out.
  expert: Object.freeze({ reactionMs: 0, rateLimit: true, sidelineSlow: true, scaleOutAt: 80, scaleOutAfterMs: 2_000, fitStance: true, drainCutOff: true }),
});

/** The style a policy plays the live phase with; null: it never acts. */
export function styleOf(policy: Policy): PlayStyle | null {
  switch (policy) {
    case 'idle':
      return null;
    case 'novice':
      return STYLES.novice;
    case 'expert':
      return STYLES.expert;
    case 'wrong':
      // The wrong architecture, played otherwise as well as the expert plays, but keeping the
      // stance its architecture came with: the lesson is the architecture.
      return { ...STYLES.expert, fitStance: false };
  }
}

/** The preset a policy chooses in setup: the one the scenario recommends, or the worst fit. */
export function presetOf(sc: Scenario, policy: Policy): string {
  return policy === 'wrong' ? sc.worst : sc.recommended;
}

/** The stance that fits the promise: refuse where no stale read is allowed, else serve. */
export function fittingStance(sc: Scenario): 'refuse' | 'serve' {
  return sc.sla.maxStaleReads === 0 ? 'refuse' : 'serve';
}
