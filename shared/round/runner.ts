// The tick runner: the one loop every round runs through — the live room, a headless round,
// a recording's replay, the replay viewer and a branch. It is the determinism contract: the
// same start, the same commands at the same ticks and the same bots give the same round.
//
// The live phase advances in fixed steps of TICK_MS simulated ms. A step at tick k:
//   1. applies the commands due at k — a recording's scheduled ones first, then the queue
//      (players' commands, passed votes, the host's chaos, the bots' decisions) in arrival order;
//   2. advances the simulation to (k + 1) × TICK_MS; the tick becomes k + 1;
//   3. once a simulated second (every BOT_EVERY_TICKS), unless the round is over, lets the
//      bots look at their nodes: what they decide is queued, so it applies at the next step.
// Simulated time is tick × TICK_MS; a command recorded with tick k was applied before the
// step to k + 1 (shared/replay/recording.ts).

import { botDecide, type BotMemory } from '../bots/node-bot.js';
import type { PlayStyle } from '../bots/policies.js';
import { SimBotView } from './bot-view.js';
import type { Command, CommandResult } from '../scenarios/command-types.js';
import { applyCommand } from '../sim/commands.js';
import { advance, type Sim } from '../sim/engine.js';
import type { Actor } from './actor.js';

export const TICK_MS = 50;
/** Bots look at their node once a simulated second. */
export const BOT_EVERY_TICKS = 1000 / TICK_MS;

/** A command waiting for a tick boundary; `meta` is the caller's (where to send a refusal, an index…). */
export interface TickInput<M = undefined> {
  command: Command;
  by: Actor;
  meta?: M;
}

/** What became of one command at its tick. */
export interface TickOutcome<M = undefined> extends TickInput<M> {
  tick: number;
  result: CommandResult;
}

/** A node a bot operates now, with the memory the bot keeps between looks. */
export interface BotSeat {
  node: number;
  memory: BotMemory;
  by: Actor;
  /** How it plays (default: the steady seat bot). */
  style?: PlayStyle;
}

export interface RunnerOptions<M> {
  /** The tick the runner starts at (a branch or a restored snapshot); 0 by default. */
  startTick?: number;
  /** Commands fixed in advance (a recording's), by tick: applied before the queue's at their tick. */
  scheduled?: ReadonlyMap<number, readonly TickInput<M>[]>;
  /** The bots operating nodes at each look; none by default (a recording already holds its bots' commands). */
  bots?: () => Iterable<BotSeat>;
  /** Told of every command applied or refused, in order. */
  onOutcome?: (outcome: TickOutcome<M>) => void;
}

export class TickRunner<M = undefined> {
  /** Steps done: simulated time is tick × TICK_MS. */
  tick: number;
  /** The tick at which the round's time is up. */
  readonly endTick: number;
  private queue: TickInput<M>[] = [];
  private readonly botView = new SimBotView();

  constructor(
    readonly sim: Sim,
    private readonly opts: RunnerOptions<M> = {},
  ) {
    this.tick = opts.startTick ?? 0;
    this.endTick = Math.round(sim.S.durationMs / TICK_MS);
  }

  /** The round's time is up: nothing more to step. */
  get over(): boolean {
    return this.tick >= this.endTick;
  }

  /** Commands waiting for the next step. */
  get pending(): readonly TickInput<M>[] {
    return this.queue;
  }

  /** Queue a command for the next tick boundary. */
  enqueue(command: Command, by: Actor, meta?: M): void {
    this.queue.push(meta === undefined ? { command, by } : { command, by, meta });
  }

  /** One fixed step (see the top of this file). */
  step(): void {
    const k = this.tick;
    for (const input of this.opts.scheduled?.get(k) ?? []) this.apply(k, input);
    const queued = this.queue;
    this.queue = [];
    for (const input of queued) this.apply(k, input);
    advance(this.sim, (k + 1) * TICK_MS);
    this.tick = k + 1;
    if (!this.over && this.tick % BOT_EVERY_TICKS === 0) this.botsLook();
  }

  /** Step until `tick` (at most the end of the round). */
  runTo(tick: number): void {
    const to = Math.min(tick, this.endTick);
    while (this.tick < to) this.step();
  }

  /**
   * The bots look at their nodes now and queue what they decide. step() calls it once a
   * simulated second; a branch that starts on such a second calls it once itself, as the
   * room's bots looked right after the step that reached it.
   */
  botsLook(): void {
    const seats = this.opts.bots?.();
    if (seats === undefined) return;
    const view = this.botView.look(this.sim);
    for (const seat of seats) {
      const command = botDecide(view, seat.node, seat.memory, this.sim.sc, seat.style);
      if (command !== null) this.enqueue(command, seat.by);
    }
  }

  private apply(tick: number, input: TickInput<M>): void {
    const result = applyCommand(this.sim, input.command);
    this.opts.onOutcome?.({ ...input, tick, result });
  }
}

/** Commands by the tick they apply at, keeping their order (a recording's commands → scheduled). */
export function byTick<T extends { tick: number }, I>(items: readonly T[], input: (item: T, index: number) => I): Map<number, I[]> {
  const out = new Map<number, I[]>();
  items.forEach((item, i) => {
    const list = out.get(item.tick);
    if (list === undefined) out.set(item.tick, [input(item, i)]);
    else list.push(input(item, i));
  });
  return out;
}
