// A headless round: the tick runner with bots operating every node, start to end, then
// closed (heal, converge, judge). Used by the command-line round, the balance benchmark and
// tests. A policy (shared/bots/policies.ts) picks the architecture and how the bots play;
// without one, the seat bots of the round's difficulty play the preset given.

import { createBotMemory, type BotMemory } from '../bots/node-bot.js';
import { presetOf, SEAT_STYLE_OF, STYLES, styleOf, type PlayStyle, type Policy } from '../bots/policies.js';
import { runnableScenario } from '../scenarios/index.js';
import { createSim, finishSim, type Sim, type SimOptions } from '../sim/engine.js';
import { botActor } from './actor.js';
import { TickRunner, type BotSeat } from './runner.js';

export interface HeadlessOptions extends SimOptions {
  /** Bots operate every node (default), or nobody acts at all. */
  bots?: boolean;
  /** Who plays: picks the preset (unless one is given) and the bots' style; idle never acts. */
  policy?: Policy;
}

export function runHeadless(opts: HeadlessOptions): Sim {
  const sc = runnableScenario(opts.scenario);
  const preset = opts.preset ?? (opts.policy !== undefined && sc !== undefined && opts.settings === undefined ? presetOf(sc, opts.policy) : undefined);
  const sim = createSim({ ...opts, preset });
  const style: PlayStyle | null = opts.bots === false ? null : opts.policy !== undefined ? styleOf(opts.policy) : STYLES[SEAT_STYLE_OF[opts.difficulty ?? 'normal']];
  const memories: BotMemory[] = [];
  const bots = style === null ? undefined : (): BotSeat[] => sim.S.nodes.map((_, node) => ({ node, memory: (memories[node] ??= createBotMemory()), by: botActor(node), style }));
  new TickRunner(sim, { bots }).runTo(Infinity);
  finishSim(sim);
  return sim;
}
