// The consistency judge forgets the values nobody can read any more (consistency.ts,
// "Bounded state"; held-values.ts lists what the simulation still holds). Forgetting must
// change nothing a round reports: the same rounds with and without it give the same
// summary and the same verdict on every key, the independent checker still agrees with the
// judge key by key, and the judge did forget (its value table was cut down).

import { describe, expect, it } from 'vitest';
import type { ScenarioId } from '../shared/scenarios/types.js';
import type { ClusterSettings } from '../shared/scenarios/settings.js';
import { chaosAt, check, judgeByKey, partition, presetWith, runRound, type Round, type TimedCommand } from './support/sim-helpers.js';

interface Case {
  scenario: ScenarioId;
  preset?: string;
  settings?: ClusterSettings;
  chaos: 'normal' | 'heavy';
  seed: number;
  commands: TimedCommand[];
}

const DURATION = 36_000;

const CASES: Case[] = [
  { scenario: 'bank', preset: 'ap', chaos: 'heavy', seed: 21, commands: [partition(5_000, 1, 8_000), chaosAt(16_000, 'crash-disk-loss', 1, 2_000), chaosAt(24_000, 'clock-skew', 2, 8_000, -3_000)] },
  { scenario: 'bank', preset: 'cp', chaos: 'heavy', seed: 22, commands: [chaosAt(6_000, 'crash', 0, 3_000), partition(14_000, 1, 6_000), chaosAt(22_000, 'crash-disk-loss', 2, 2_000)] },
  { scenario: 'cart', settings: presetWith('cart', 'ap', { conflictResolution: 'version-vectors' }), chaos: 'normal', seed: 23, commands: [partition(4_000, 0, 6_000), chaosAt(15_000, 'crash-disk-loss', 3, 1_000)] },
  { scenario: 'chat', preset: 'ap', chaos: 'heavy', seed: 24, commands: [partition(8_000, 1, 10_000)] },
];

function run(c: Case, compactJudge: boolean): Round {
  return runRound({ scenario: c.scenario, preset: c.preset, settings: c.settings, chaos: c.chaos, seed: c.seed, durationMs: DURATION, commands: c.commands, compactJudge });
}

describe('the judge forgets what no verdict needs, and nothing else', () => {
  for (const c of CASES) {
    it(`${c.scenario} ${c.preset ?? 'custom'} (${c.chaos} chaos)`, () => {
      const plain = run(c, false);
      const compacted = run(c, true);
      expect(compacted.commandResults.every((x) => x.ok)).toBe(true);

      // It did forget: old chunks of the value table retired, most of their values gone.
      const j = compacted.sim.S.judge;
      const p = plain.sim.S.judge;
      expect(j.unknownValues).toBe(0);
      expect(p.dropped).toBe(0);
      expect(j.base).toBeGreaterThan(0);
      expect(j.dropped).toBeGreaterThan(compacted.sim.S.nextValue / 4);
      const tableBytes = (x: typeof j): number => JSON.stringify(x.clusters).length + JSON.stringify(x.old).length;
      expect(tableBytes(j)).toBeLessThan(tableBytes(p) / 2);

      // Every measure the round reports, and every key's verdict, are the same.
      const { stateHash: _a, ...withForgetting } = compacted.summary!;
      const { stateHash: _b, ...without } = plain.summary!;
      expect(withForgetting).toEqual(without);
      // Not vacuous: stale reads (and, in the first case, lost writes) were there to judge.
      if (c.preset !== 'cp') expect(without.staleReads).toBeGreaterThan(0);
      if (c === CASES[0]) expect(without.lostWrites).toBeGreaterThan(0);
      expect(judgeByKey(compacted)).toEqual(judgeByKey(plain));
      expect(compacted.sim.S.nodes.map((n) => n.staleServed)).toEqual(plain.sim.S.nodes.map((n) => n.staleServed));

      // The independent checker agrees with the forgetting judge on every key it decides.
      const result = check(compacted);
      const judged = judgeByKey(compacted);
      let compared = 0;
      let violations = 0;
      const problems: string[] = [];
      for (const k of result.keys) {
        expect(k.verdict).not.toBe('unknown');
        if (k.verdict === 'skipped') continue;
        compared++;
        const f = judged.get(k.key)!;
        if ((k.verdict === 'violation') !== (f.stale > 0 || f.finalStale)) problems.push(`${k.key}: checker ${k.verdict}, judge stale ${f.stale}, final stale ${f.finalStale}`);
        if (k.verdict === 'violation') violations++;
      }
      expect(problems.slice(0, 10)).toEqual([]);
      expect(compared).toBeGreaterThan(100);
      if (c.preset === 'ap') expect(violations).toBeGreaterThan(0);
    });
  }
});
