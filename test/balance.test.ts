// Balance that cannot flatten silently: per scenario, good play beats careless play beats no
// play, and the architecture the briefing recommends beats the one that fits it worst — on
// the measure the scenario cares about. The full table over 20 seeds is `npm run
// bench:balance` (BALANCE.md); these few seeds keep the order honest in every test run.

import { describe, expect, it } from 'vitest';
import { createBotMemory, type BotMemory } from '../shared/bots/node-bot.js';
import { STYLES, type Policy } from '../shared/bots/policies.js';
import { botActor, TEAM, TUTORIAL, type Actor } from '../shared/round/actor.js';
import { runHeadless } from '../shared/round/headless.js';
import { TickRunner, type BotSeat } from '../shared/round/runner.js';
import { tutorialChaos } from '../shared/round/tutorial.js';
import { SCENARIO_IDS, type ScenarioId } from '../shared/scenarios/index.js';
import { createSim, finishSim } from '../shared/sim/engine.js';
import { slaVerdict } from '../shared/sim/sla.js';
import { summary, type Summary } from '../shared/sim/summary.js';

const SEEDS = [1, 2];
const SCENARIOS = SCENARIO_IDS.filter((id) => id !== 'tutorial');

function play(scenario: ScenarioId, policy: Policy, seed: number): Summary {
  return summary(runHeadless({ scenario, policy, chaos: 'normal', seed, recordHistory: false }));
}

/** Total score over the seeds, and every round's summary. */
function over(scenario: ScenarioId, policy: Policy): { total: number; rounds: Summary[] } {
  const rounds = SEEDS.map((seed) => play(scenario, policy, seed));
  return { total: rounds.reduce((t, s) => t + s.score, 0), rounds };
}

describe.each(SCENARIOS)('balance of %s at normal difficulty', (scenario) => {
  it('expert > novice > idle, and the recommended architecture beats the worst', { timeout: 120_000 }, () => {
    const [expert, novice, idle, wrong] = (['expert', 'novice', 'idle', 'wrong'] as const).map((p) => over(scenario, p));
    const scores = `expert ${expert!.total}, novice ${novice!.total}, idle ${idle!.total}, wrong ${wrong!.total} (sums over seeds ${SEEDS.join(', ')})`;
    expect(expert!.total, scores).toBeGreaterThan(novice!.total);
    expect(novice!.total, scores).toBeGreaterThan(idle!.total);
    expect(expert!.total, scores).toBeGreaterThan(wrong!.total);
    // The wrong architecture loses on what the scenario cares about: stale reads where none
    // are allowed, else availability or latency.
    const sc = runHeadless({ scenario, policy: 'idle', chaos: 'none', seed: 1, durationMs: 1_000, recordHistory: false }).sc;
    const stale = (rs: Summary[]) => rs.reduce((t, s) => t + s.staleReads, 0);
    if (sc.sla.maxStaleReads === 0) expect(stale(wrong!.rounds), scores).toBeGreaterThan(stale(expert!.rounds));
    else {
      // Elsewhere it loses on the promise's other terms: availability, latency, lost writes.
      const part = (rs: Summary[]) => rs.reduce((t, s) => t + s.scoreParts.availability + s.scoreParts.latency + s.scoreParts.durability, 0);
      expect(part(wrong!.rounds), scores).toBeLessThan(part(expert!.rounds));
    }
  });

  it('a fault-free cluster with the recommended architecture keeps its promise without any action', { timeout: 60_000 }, () => {
    const sim = runHeadless({ scenario, policy: 'idle', chaos: 'none', seed: 1, recordHistory: false });
    const verdict = slaVerdict(sim.sc, summary(sim));
    expect(verdict, JSON.stringify(verdict)).toMatchObject({ kept: true });
  });
});

describe('the tutorial, its coach followed', () => {
  // The player runs node 0; seat bots (easy: the novice style) run the others. The coach
  // strikes its scripted faults when the player reaches each step (shared/round/tutorial.ts),
  // and the player does each chapter's step a few seconds later, as a reader would: restart
  // their crashed node, propose a shorter failover timeout, choose a stance for when it is cut
  // off, then drain it, undrain after the heal, add a node in the surge. Either stance keeps the promise;
  // each shows its own price (stale reads for Serve, failures for Refuse).
  it.each(['refuse', 'serve'] as const)('ends with the promise kept, choosing %s when cut off', { timeout: 120_000 }, (stance) => {
    const sim = createSim({ scenario: 'tutorial', preset: 'cp', chaos: 'none', difficulty: 'easy', seed: 7, recordHistory: false });
    const memories: BotMemory[] = [];
    const bots = (): BotSeat[] => sim.S.nodes.flatMap((_, node) => (node === 0 ? [] : [{ node, memory: (memories[node] ??= createBotMemory()), by: botActor(node), style: STYLES.novice }]));
    const runner = new TickRunner(sim, { bots });
    const me: Actor = { kind: 'player', id: 'learner' };
    const at = (s: number) => runner.runTo((s * 1000) / 50);
    const strike = (step: string) => {
      const cmd = tutorialChaos(sim.S, step, 0);
      expect(cmd, step).not.toBeNull();
      runner.enqueue(cmd!, TUTORIAL);
    };
    // Chapters 1 and 2 (a node, a leader) are only looked at.
    at(30);
    strike('restart');
    at(40);
    runner.enqueue({ type: 'restart', node: 0 }, me);
    at(60);
    strike('crash');
    at(75);
    runner.enqueue({ type: 'configure', settings: { failoverTimeoutMs: 800 } }, TEAM);
    at(92);
    runner.enqueue({ type: 'stance', node: 0, stance }, me);
    at(100);
    strike('partition');
    at(110);
    runner.enqueue({ type: 'drain', node: 0 }, me);
    at(130);
    expect(sim.S.partition, 'the split has healed').toBeNull();
    runner.enqueue({ type: 'undrain', node: 0 }, me);
    const during = summary(sim);
    // The stance showed its consequence while the split lasted.
    if (stance === 'serve') expect(during.staleReads).toBeGreaterThan(0);
    else expect(during.staleReads).toBe(0);
    at(160);
    strike('surge');
    at(170);
    runner.enqueue({ type: 'scale-out', region: 0 }, me);
    runner.runTo(Infinity);
    finishSim(sim);
    const s = summary(sim);
    expect(sim.S.nodes.filter((n) => n.status === 'up')).toHaveLength(4);
    const verdict = slaVerdict(sim.sc, s);
    expect(verdict, JSON.stringify(verdict)).toMatchObject({ kept: true });
  });
});
