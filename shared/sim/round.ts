// A headless round: the simulation advanced in fixed ticks, with bots operating every
// node. Used by the command-line round, the benchmark and tests.

import { botDecide, createBotMemory, type BotMemory } from '../bots/node-bot.js';
import { applyCommand } from './commands.js';
import { advance, createSim, finishSim, type Sim, type SimOptions } from './engine.js';

export const TICK_MS = 50;
/** Bots look at their node once a simulated second. */
const BOT_EVERY_MS = 1000;

export interface HeadlessOptions extends SimOptions {
  bots?: boolean;
}

export function runHeadless(opts: HeadlessOptions): Sim {
  const sim = createSim(opts);
  const memories: BotMemory[] = [];
  let nextBot = BOT_EVERY_MS;
  for (let t = TICK_MS; t <= sim.S.durationMs; t += TICK_MS) {
    advance(sim, t);
    if (opts.bots !== false && t >= nextBot) {
      nextBot += BOT_EVERY_MS;
      for (let id = 0; id < sim.S.nodes.length; id++) {
        const mem = memories[id] ?? (memories[id] = createBotMemory());
        const cmd = botDecide(sim.S, id, mem, sim.sc.budget.maxNodes);
        if (cmd !== null) applyCommand(sim, cmd);
      }
    }
  }
  finishSim(sim);
  return sim;
}
