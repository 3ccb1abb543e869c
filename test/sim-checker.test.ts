// The game's own counts of stale reads and lost writes must agree with an independent
// linearizability checker run on the exported history (GAME.md, "Measured"). The checker
// (test/support/linearizability.ts) shares no code with the game's judge.

import { describe, expect, it } from 'vitest';
import type { ScenarioId } from '../shared/scenarios/types.js';
import { chaosAt, check, judgeByKey, partition, presetWith, provablyLost, runRound, type Round, type TimedCommand } from './support/sim-helpers.js';
import type { ClusterSettings } from '../shared/scenarios/settings.js';

interface Case {
  name: string;
  scenario: ScenarioId;
  preset?: string;
  settings?: ClusterSettings;
  chaos: 'none' | 'normal' | 'heavy';
  seed: number;
  commands: TimedCommand[];
  /** What the round must show, so that the comparison is not vacuous. */
  expect: 'linearizable' | 'violations' | 'lost';
  /** Lost writes the history alone proves (provablyLost) must show up: more than zero. */
  provable?: boolean;
}

const DURATION = 12_000;

const CASES: Case[] = [
  // Consistency first: linearizable through partitions, crashes, disk loss and skewed clocks.
  {
    name: 'bank cp, partition + crash + skew',
    scenario: 'bank',
    preset: 'cp',
    chaos: 'normal',
    seed: 11,
    commands: [partition(3_000, 1, 4_000), chaosAt(8_000, 'crash', 0, 2_000), chaosAt(9_000, 'clock-skew', 2, 5_000, -3_000)],
    expect: 'linearizable',
  },
  {
    name: 'bank cp, random partition + disk loss',
    scenario: 'bank',
    preset: 'cp',
    chaos: 'heavy',
    seed: 12,
    commands: [chaosAt(3_000, 'partition-random', 5, 4_000), chaosAt(8_000, 'crash-disk-loss', 1, 2_000)],
    expect: 'linearizable',
  },
  {
    name: 'bank quorum (leaderless R+W>N), crash',
    scenario: 'bank',
    preset: 'quorum',
    chaos: 'none',
    seed: 4,
    commands: [chaosAt(4_000, 'crash', 2, 3_000), partition(9_000, 1, 3_000)],
    expect: 'linearizable',
  },
  // Availability first: stale reads and lost writes, which the checker must see too.
  {
    name: 'bank ap, partition',
    scenario: 'bank',
    preset: 'ap',
    chaos: 'none',
    seed: 3,
    commands: [partition(4_000, 1, 6_000)],
    expect: 'lost',
  },
  {
    name: 'bank ap, crash + random partition',
    scenario: 'bank',
    preset: 'ap',
    chaos: 'normal',
    seed: 8,
    commands: [chaosAt(3_000, 'crash', 1, 3_000), chaosAt(7_000, 'partition-random', 3, 4_000)],
    expect: 'violations',
  },
  {
    name: 'bank quorum with a skewed clock (LWW)',
    scenario: 'bank',
    preset: 'quorum',
    chaos: 'none',
    seed: 5,
    commands: [chaosAt(3_000, 'clock-skew', 1, 9_000, -4_000)],
    expect: 'lost',
  },
  {
    name: 'cart ap (LWW), skew + partition',
    scenario: 'cart',
    preset: 'ap',
    chaos: 'none',
    seed: 6,
    commands: [chaosAt(3_000, 'clock-skew', 4, 9_000, 3_000), partition(5_000, 0, 5_000)],
    expect: 'lost',
  },
  {
    name: 'bank RF 1, disk loss',
    scenario: 'bank',
    settings: presetWith('bank', 'cp', { replicationFactor: 1 }),
    chaos: 'none',
    seed: 2,
    commands: [chaosAt(9_000, 'crash-disk-loss', 2, 2_000)],
    expect: 'lost',
    provable: true,
  },
  // Siblings: keys whose reads returned several values are not register histories.
  {
    name: 'cart version vectors with W = 1, partition + disk losses',
    scenario: 'cart',
    settings: presetWith('cart', 'ap', { conflictResolution: 'version-vectors' }),
    chaos: 'none',
    seed: 1,
    commands: [partition(2_000, 0, 3_000), chaosAt(4_500, 'crash-disk-loss', 3, 500), chaosAt(6_000, 'crash-disk-loss', 6, 500)],
    expect: 'violations',
    provable: true,
  },
  {
    name: 'cart version vectors, partition',
    scenario: 'cart',
    preset: 'version-vectors',
    chaos: 'none',
    seed: 7,
    commands: [partition(4_000, 0, 6_000)],
    expect: 'violations',
  },
];

function run(c: Case): Round {
  return runRound({ scenario: c.scenario, preset: c.preset, settings: c.settings, chaos: c.chaos, seed: c.seed, durationMs: DURATION, commands: c.commands });
}

describe('the game agrees with the independent linearizability checker', () => {
  const outcomes = { linearizable: 0, violation: 0, skipped: 0 };

  for (const c of CASES) {
    it(c.name, () => {
      const r = run(c);
      expect(r.commandResults.every((x) => x.ok)).toBe(true);
      const s = r.summary!;
      const result = check(r);
      const judged = judgeByKey(r);
      const problems: string[] = [];
      let compared = 0;
      let violationKeys = 0;
      for (const k of result.keys) {
        expect(k.verdict, `${k.key}: ${k.detail ?? ''}`).not.toBe('unknown');
        if (k.verdict === 'skipped') {
          outcomes.skipped++;
          continue;
        }
        compared++;
        const j = judged.get(k.key)!;
        const flagged = j.stale > 0 || j.finalStale;
        if ((k.verdict === 'violation') !== flagged) {
          problems.push(`${k.key}: checker ${k.verdict} (${k.detail ?? ''}), game stale ${j.stale}, final stale ${j.finalStale}, lost ${j.judgeLost}`);
        }
        if (j.judgeLost > 0 && !j.finalStale) problems.push(`${k.key}: ${j.judgeLost} lost writes but its final read was not flagged`);
        if (k.verdict === 'violation') violationKeys++;
      }
      // Sibling keys included: the game counts at least the writes the history proves lost.
      const provable = provablyLost(r);
      for (const [key, n] of provable.byKey) {
        const j = judged.get(key)!;
        if (j.lost < n || j.judgeLost < n) problems.push(`${key}: the history proves ${n} lost writes, the game counts ${j.lost} (judge ${j.judgeLost})`);
      }
      if (c.provable === true) expect(provable.total).toBeGreaterThan(0);
      expect(problems.slice(0, 10)).toEqual([]);
      expect(compared).toBeGreaterThan(100);

      const skippedAny = result.keys.some((k) => k.verdict === 'skipped');
      if (!skippedAny) {
        // Every key was compared: the round's totals say "linearizable" exactly when the checker does.
        expect(s.staleReads === 0 && s.lostWrites === 0, `stale ${s.staleReads}, lost ${s.lostWrites}, checker violations ${result.violations.length}`).toBe(result.linearizable);
      }
      if (result.linearizable) outcomes.linearizable++;
      if (violationKeys > 0) outcomes.violation++;

      switch (c.expect) {
        case 'linearizable':
          expect(result.linearizable, result.violations.slice(0, 5).join(' ')).toBe(true);
          expect(s.staleReads + s.lostWrites).toBe(0);
          break;
        case 'violations':
          expect(violationKeys).toBeGreaterThan(0);
          expect(s.staleReads).toBeGreaterThan(0);
          break;
        case 'lost':
          expect(violationKeys).toBeGreaterThan(0);
          expect(s.lostWrites).toBeGreaterThan(0);
          break;
      }
    });
  }

  it('saw both outcomes, and skipped sibling keys', () => {
    // Runs after the cases above (vitest runs a file's tests in order).
    expect(outcomes.linearizable).toBeGreaterThanOrEqual(3);
    expect(outcomes.violation).toBeGreaterThanOrEqual(5);
    expect(outcomes.skipped).toBeGreaterThan(0);
  });
});
