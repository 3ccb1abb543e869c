// The SLA as an error budget (BALANCE.md): the promise times the round's requests is the
// number of failures the team may spend. The budget agrees with the availability verdict
// to the last request, stays put while the round runs, burns visibly, and every failure is
// told under one cause, so the debrief can say when and why the budget went.

import { describe, expect, it } from 'vitest';
import { mulberry32 } from './support/prng.js';
import { chaosAt, drive, partition, presetWith, runRound } from './support/sim-helpers.js';
import { advance, createSim } from '../shared/sim/engine.js';
import { allowedFailures, budgetFrom, burnRate, errorBudgetOf, expectedRequests, failuresOf, MAX_BURN } from '../shared/sim/error-budget.js';
import { FAIL_CAUSES } from '../shared/sim/ops.js';
import { summary } from '../shared/sim/summary.js';
import { getScenario } from '../shared/scenarios/index.js';
import { atDifficulty, DIFFICULTIES } from '../shared/scenarios/difficulty.js';
import { budgetStoryOf, MAX_STRETCH_MS } from '../shared/round/budget-story.js';
import { roundRecordOf } from '../shared/lessons/record.js';
import { budgetCell, causeRows } from '../client/src/round/budget.js';
import { newErrorBudget } from '../shared/view/plain.js';
import { budgetLeftText, budgetShareText, burnText, CAUSE_WORDS, runsOutText } from '../shared/words/budget.js';

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

describe('the error budget arithmetic', () => {
  it('allows exactly the failures that keep availability at the promise: left ≥ 0 ⟺ ok / requests ≥ target', () => {
    const rnd = mulberry32(7);
    // Every scenario's promise at every difficulty, and a few awkward ones.
    const targets = new Set<number>([0.9, 0.99, 0.995, 0.999, 0.9995, 0.9999, 0.99999, 1, 0]);
    for (const id of ['bank', 'inventory', 'feed', 'cart', 'telemetry', 'chat'] as const) {
      for (const d of DIFFICULTIES) targets.add(atDifficulty(getScenario(id)!, d).sla.availability);
    }
    for (const target of targets) {
      for (let i = 0; i < 300; i++) {
        const requests = i < 50 ? i : Math.floor(rnd() * (i < 200 ? 20_000 : 2_000_000));
        const allowed = allowedFailures(target, requests);
        expect(allowed).toBeGreaterThanOrEqual(0);
        expect(allowed).toBeLessThanOrEqual(requests);
        // Check around the edge, where rounding could disagree, and somewhere at random.
        for (const failures of [allowed - 1, allowed, allowed + 1, Math.floor(rnd() * (requests + 1))]) {
          if (failures < 0 || failures > requests) continue;
          const ok = requests - failures;
          const kept = requests === 0 ? true : ok / requests >= target;
          expect(allowed - failures >= 0, `target ${target}, ${requests} requests, ${failures} failed`).toBe(kept);
        }
      }
    }
    expect(allowedFailures(0.999, 450_000)).toBe(450);
    expect(allowedFailures(0.999, 0)).toBe(0);
    expect(allowedFailures(1, 10_000)).toBe(0);
  });

  it("expects the rest of the round's requests from the workload's linear ramp", () => {
    const sc = getScenario('bank')!;
    const d = 100_000;
    const whole = expectedRequests(sc, d, 0);
    expect(whole).toBeCloseTo(((sc.workload.startRate + sc.workload.endRate) / 2) * (d / 1000), 6);
    expect(expectedRequests(sc, d, d)).toBe(0);
    expect(expectedRequests(sc, d, d + 5000)).toBe(0);
    // Later, less is left; a ramp that climbs leaves more than half for the second half.
    expect(expectedRequests(sc, d, d / 2)).toBeLessThan(whole);
    if (sc.workload.endRate > sc.workload.startRate) expect(expectedRequests(sc, d, d / 2)).toBeGreaterThan(whole / 2);
  });

  it('burns at 1 when failures come at the share the promise allows, and says so in words', () => {
    expect(burnRate(0.999, 1, 1000)).toBeCloseTo(1, 6);
    expect(burnRate(0.999, 4, 1000)).toBeCloseTo(4, 6);
    expect(burnRate(0.999, 0, 1000)).toBe(0);
    expect(burnRate(0.999, 0, 0)).toBe(0);
    expect(burnRate(1, 1, 1000)).toBe(MAX_BURN);
    expect(burnRate(0.9999, 1000, 1000)).toBe(MAX_BURN);
    expect(burnText(4)).toBe('burning 4× too fast');
    expect(burnText(0.5)).toBe('burning at 0.5× the even pace');
    expect(burnText(0)).toBe('not burning now');
    expect(budgetLeftText(312, 450)).toBe('312 of 450 failures left');
    expect(budgetLeftText(-20, 450)).toBe('20 failures over the budget of 450');
    expect(runsOutText(40)).toBe('at this pace it runs out in 40 s');
    expect(runsOutText(-1)).toBe('at this pace it lasts the round');
    expect(budgetShareText(0.38, false)).toBe('38% of the budget');
    expect(budgetShareText(12, false)).toBe('12× the budget');
    for (const c of FAIL_CAUSES) {
      expect(CAUSE_WORDS[c].label.length, c).toBeGreaterThan(3);
      expect(CAUSE_WORDS[c].explain, c).toMatch(/^[A-Z].*\.$/);
    }
  });
});

describe('the error budget of a round', () => {
  it('tells every failure under one cause, per window and for the round, and ends on the verdict', () => {
    // A partition, a crash behind a balancer that does not check health, and a surge.
    const r = runRound({
      scenario: 'bank', settings: presetWith('bank', 'cp', { loadBalancing: 'round-robin' }), chaos: 'none', seed: 5, durationMs: 24_000, recordHistory: false,
      commands: [partition(3_000, 1, 5_000), chaosAt(10_000, 'crash', 1, 4_000), chaosAt(16_000, 'load-surge', 0, 5_000, 10)],
    });
    expect(r.commandResults.every((c) => c.ok)).toBe(true);
    const m = r.sim.S.metrics;
    expect(sum(m.failCauses)).toBe(m.fail + m.info);
    for (const w of m.windows) expect(sum(w.failCauses), `window ${w.index}`).toBe(failuresOf(w));
    // Each fault left its own mark.
    const b = errorBudgetOf(r.sim);
    expect(b.byCause.down).toBeGreaterThan(0);
    expect(b.byCause.overload).toBeGreaterThan(0);
    expect(b.byCause.quorum + b.byCause.leader + b.byCause.unreachable).toBeGreaterThan(0);
    // The final budget is the verdict's.
    const s = r.summary!;
    expect(b.requests).toBe(s.requests);
    expect(b.spent).toBe(s.requests - s.ok);
    expect(b.left >= 0).toBe(s.availability >= r.sim.sc.sla.availability);
    expect(sum(Object.values(b.byCause))).toBe(b.spent);
  });

  it('stays put while the round runs and lands on the promise times the requests', () => {
    const sim = createSim({ scenario: 'chat', preset: 'cp', chaos: 'none', seed: 3, durationMs: 20_000, recordHistory: false });
    const seen: number[] = [];
    for (let t = 2_000; t <= 20_000; t += 2_000) {
      advance(sim, t);
      seen.push(errorBudgetOf(sim).allowed);
    }
    const end = allowedFailures(sim.sc.sla.availability, sim.S.nextOp);
    expect(seen[seen.length - 1]).toBe(end);
    // Without surges the projection moves only with the draws of the traffic.
    for (const a of seen) expect(Math.abs(a - end)).toBeLessThanOrEqual(Math.max(2, end * 0.1));
  });

  it('burns faster while a fault strikes than before it, and says when it runs out', () => {
    const crash = [chaosAt(12_000, 'crash', 0, 30_000)];
    const r = runRound({
      scenario: 'bank', settings: presetWith('bank', 'cp', { loadBalancing: 'round-robin' }), chaos: 'none', seed: 9, durationMs: 30_000, recordHistory: false,
      commands: crash, untilMs: 10_000,
    });
    const calm = errorBudgetOf(r.sim);
    drive(r, crash, 20_000);
    expect(r.commandResults).toEqual([{ ok: true }]);
    const hit = errorBudgetOf(r.sim);
    expect(hit.burnRate).toBeGreaterThan(calm.burnRate);
    expect(hit.burnRate).toBeGreaterThan(1);
    expect(hit.recentCause).not.toBe('');
    expect(hit.recentFailures).toBeGreaterThan(0);
    if (hit.left > 0) expect(hit.runsOutInS).toBeGreaterThan(0);
    // budgetFrom with nothing left of the round cannot run out before its end.
    expect(budgetFrom(0.999, 100_000, r.sim.S.metrics, 0).runsOutInS).toBe(-1);
  });
});

describe("the debrief's story of the budget", () => {
  it('names the costliest stretches with their cause and the fault of the moment', () => {
    const r = runRound({
      scenario: 'bank', preset: 'cp', chaos: 'none', seed: 4, durationMs: 30_000, recordHistory: false,
      commands: [partition(8_000, 1, 10_000)],
    });
    const s = r.summary!;
    const story = budgetStoryOf(r.sim, s, roundRecordOf(r.sim).events);
    expect(story.spent).toBe(s.requests - s.ok);
    expect(story.left >= 0).toBe(s.availability >= r.sim.sc.sla.availability);
    expect(sum(Object.values(story.byCause))).toBe(story.spent);
    expect(story.headline).toMatch(/failures/);
    expect(story.stretches.length).toBeGreaterThan(0);
    // The costliest first, none longer than a stretch may be, together no more than was spent.
    const fs = story.stretches.map((x) => x.failures);
    expect([...fs].sort((a, b) => b - a)).toEqual(fs);
    expect(sum(fs)).toBeLessThanOrEqual(story.spent);
    for (const x of story.stretches) {
      expect(x.end - x.start).toBeLessThanOrEqual(MAX_STRETCH_MS);
      expect(x.causeShare).toBeGreaterThan(0);
      expect(x.text).toMatch(/^\d+:\d\d–\d+:\d\d: .+ — .*requests .+\. At the time: .+\.$/);
    }
    // The partition's stretch says so.
    const top = story.stretches[0]!;
    expect(top.start).toBeGreaterThanOrEqual(5_000);
    expect(top.start).toBeLessThan(20_000);
    expect(top.context.join(' ')).toMatch(/partition/i);
    expect(['quorum', 'leader', 'unreachable', 'down', 'timeout']).toContain(top.cause);
  });

  it('has nothing to tell of a round that kept well inside its budget', () => {
    const r = runRound({ scenario: 'bank', preset: 'cp', chaos: 'none', seed: 2, durationMs: 8_000, recordHistory: false });
    const story = budgetStoryOf(r.sim, r.summary!, []);
    expect(story.left).toBeGreaterThanOrEqual(0);
    expect(story.stretches.every((x) => x.failures > 0)).toBe(true);
    expect(summary(r.sim).availability >= r.sim.sc.sla.availability).toBe(true);
  });
});

describe("the HUD's budget cell", () => {
  it('shows what is left of the budget and how fast it burns, in words as well as a bar', () => {
    const live = budgetCell({ ...newErrorBudget(), target: 0.999, allowed: 450, spent: 138, left: 312, burnRate: 4, recentCause: 'quorum', runsOutInS: 40 }, 'live');
    expect(live.value).toBe('312 of 450');
    expect(live.sub).toBe('failures left · burning 4× too fast: no quorum');
    expect(live.sentence).toBe('Error budget: 312 of 450 failures left, burning 4× too fast (mostly no quorum); at this pace it runs out in 40 s.');
    expect(live.fill).toBeCloseTo(312 / 450, 6);
    expect(live.state).toBe('bad');
    const calm = budgetCell({ ...newErrorBudget(), target: 0.999, allowed: 450, spent: 10, left: 440, burnRate: 0.5, recentCause: 'timeout', runsOutInS: -1 }, 'live');
    expect(calm.state).toBe('good');
    expect(calm.sub).toBe('failures left · burning at 0.5× the even pace: timed out');
    const over = budgetCell({ ...newErrorBudget(), target: 0.999, allowed: 450, spent: 470, left: -20, burnRate: 0, recentCause: '', runsOutInS: -1 }, 'debrief');
    expect(over.value).toBe('20 over');
    expect(over.sub).toBe('failures past 450 · round over');
    expect(over.fill).toBe(0);
    expect(over.state).toBe('bad');
    expect(budgetCell(newErrorBudget(), 'live').value).toBe('—');
    // Before the round, the budget it will have.
    expect(budgetCell({ ...newErrorBudget(), allowed: 450, left: 450 }, 'setup').sub).toBe('failures left · for the whole round');
    // A cause the client does not know (a newer server) is left out, not shown raw.
    expect(budgetCell({ ...newErrorBudget(), allowed: 10, spent: 1, left: 9, burnRate: 1, recentCause: 'gremlins' }, 'live').sub).toBe('failures left · burning at 1× the even pace');
  });

  it("lists the debrief's causes, the most first, with their share", () => {
    const rows = causeRows({ target: 0.999, requests: 100_000, allowed: 100, spent: 80, left: 20, byCause: { overload: 10, quorum: 60, leader: 0, unreachable: 0, down: 10, timeout: 0 }, stretches: [], headline: '' });
    expect(rows.map((r) => r.cause)).toEqual(['quorum', 'overload', 'down']);
    expect(rows[0]!.share).toBeCloseTo(0.75, 6);
    expect(rows[0]!.label).toBe('no quorum');
  });
});
