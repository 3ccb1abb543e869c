// A headless round: the tick runner with bots operating every node, start to end, then
// closed (heal, converge, judge). Used by the command-line round, the benchmark and tests.

import { createBotMemory, type BotMemory } from '../bots/node-bot.js';
import { createSim, finishSim, type Sim, type SimOptions } from '../sim/engine.js';
import { botActor } from './actor.js';
import { TickRunner, type BotSeat } from './runner.js';

export interface HeadlessOptions extends SimOptions {
  /** Bots operate every node (default), or nobody acts at all. */
  bots?: boolean;
}

export function runHeadless(opts: HeadlessOptions): Sim {
  const sim = createSim(opts);
  const memories: BotMemory[] = [];
  const bots = opts.bots === false ? undefined : (): BotSeat[] => sim.S.nodes.map((_, node) => ({ node, memory: (memories[node] ??= createBotMemory()), by: botActor(node) }));
  new TickRunner(sim, { bots }).runTo(Infinity);
  finishSim(sim);
  return sim;
}
