// A round of every scenario, as a recording's checkpoints fingerprint it: the simulation with
// bots operating every node, stepped by the tick runner, its checkpoint hash taken every
// CHECKPOINT_EVERY_TICKS. The same function runs under Node and, bundled, in Chromium
// (test/e2e-determinism.test.ts): a replay is only true if both give the same hashes.

import { createBotMemory, type BotMemory } from '../../shared/bots/node-bot.js';
import { CHECKPOINT_EVERY_TICKS, checkpointHash } from '../../shared/replay/recording.js';
import { botActor } from '../../shared/round/actor.js';
import { TickRunner } from '../../shared/round/runner.js';
import { SCENARIO_IDS, getScenario } from '../../shared/scenarios/index.js';
import { createSim } from '../../shared/sim/engine.js';

export interface ProbeResult {
  scenario: string;
  preset: string;
  hashes: string[];
}

/** Every scenario with each of its presets, `ticks` steps at `chaos` from `seed`. */
export function probeAll(seed: number, ticks: number, chaos: 'none' | 'normal' | 'heavy'): ProbeResult[] {
  const out: ProbeResult[] = [];
  for (const id of SCENARIO_IDS) {
    for (const preset of Object.keys(getScenario(id)!.presets)) out.push({ scenario: id, preset, hashes: probe(id, preset, seed, ticks, chaos) });
  }
  return out;
}

export function probe(scenario: string, preset: string, seed: number, ticks: number, chaos: 'none' | 'normal' | 'heavy'): string[] {
  const sim = createSim({ scenario: scenario as never, preset, chaos, seed, durationMs: 600_000, recordHistory: false });
  const memories: BotMemory[] = [];
  const runner = new TickRunner(sim, { bots: () => sim.S.nodes.map((_, node) => ({ node, memory: (memories[node] ??= createBotMemory()), by: botActor(node) })) });
  const hashes: string[] = [];
  while (runner.tick < ticks) {
    runner.step();
    if (runner.tick % CHECKPOINT_EVERY_TICKS === 0) hashes.push(checkpointHash(sim.S));
  }
  return hashes;
}
