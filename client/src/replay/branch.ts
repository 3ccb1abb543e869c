// A branch: a replay's simulation copied at one moment and continued in this browser with
// the viewer's own decisions. It is the live room's loop in miniature, and only glue: the
// player's commands wait for the next tick boundary (shared/replay/recording.ts's fixed
// step), the shared bots run every other node once a simulated second as the room's do,
// and settings change at once (one player is the whole team). Every rule stays in shared/.
// The bots start with no memory: one whose node is already down at the branch's first
// moment waits its reaction time from there, not from when the node fell.

import { botDecide, createBotMemory, type BotMemory } from '../../../shared/bots/node-bot.js';
import type { Command } from '../../../shared/protocol/commands.js';
import { TICK_MS } from '../../../shared/replay/recording.js';
import { applyCommand } from '../../../shared/sim/commands.js';
import { advance, finishSim, finishSteps, type Sim } from '../../../shared/sim/engine.js';
import { summary, type Summary } from '../../../shared/sim/summary.js';
import type { ClusterSettings } from '../../../shared/scenarios/settings.js';
import type { Steppable } from './clock.js';

/** Bots look at their node once a simulated second (as in server/rooms/ClusterRoom.ts). */
export const BOT_EVERY_TICKS = 1000 / TICK_MS;

export interface BranchEvents {
  /** A command of the player's was refused by the simulation. */
  refused(command: Command, error: string): void;
}

export class Branch implements Steppable {
  readonly endTick: number;
  private ticks: number;
  private queue: { command: Command; mine: boolean; ref?: number }[] = [];
  private bots: BotMemory[] = [];
  /** The player's commands, as the action panel and tutorial read them (ref → outcome). */
  readonly sent = new Map<number, { type: string; at: number; failed: boolean }>();
  private nextRef = 1;
  /** The last settings change asked for, and how it went. */
  lastChange: { proposal: Partial<ClusterSettings>; status: 'open' | 'passed' | 'refused'; id: number } | null = null;
  private changes = 0;
  actions = 0;

  constructor(
    readonly sim: Sim,
    /** The tick the branch starts from (simulated time is tick × TICK_MS). */
    readonly startTick: number,
    readonly myNode: number,
    private readonly events: BranchEvents,
  ) {
    this.ticks = startTick;
    this.endTick = Math.round(sim.S.durationMs / TICK_MS);
    // The room's bots decided right after the step that reached this tick: so do these.
    if (startTick > 0 && startTick % BOT_EVERY_TICKS === 0) this.botsDecide();
  }

  get tick(): number {
    return this.ticks;
  }

  get over(): boolean {
    return this.ticks >= this.endTick;
  }

  /** The player's action on their node; applied at the next tick boundary. */
  send(command: Command): number {
    const ref = this.nextRef++;
    this.sent.set(ref, { type: command.type, at: Date.now(), failed: false });
    this.queue.push({ command, mine: true, ref });
    return ref;
  }

  /** A settings change: the branch's player is the whole team, so it needs no vote. */
  configure(proposal: Partial<ClusterSettings>): void {
    this.lastChange = { proposal, status: 'open', id: ++this.changes };
    this.queue.push({ command: { type: 'configure', settings: proposal }, mine: true });
  }

  stepTo(tick: number): void {
    const to = Math.min(tick, this.endTick);
    while (this.ticks < to) this.step();
  }

  /** Close the round as the server does (heal, converge, judge) and sum it up. Slow on a big scenario. */
  finish(): Summary {
    this.stepTo(this.endTick);
    finishSim(this.sim);
    return summary(this.sim);
  }

  /** The same closing in slices, so a page can stay responsive meanwhile; then call summary(). */
  *closing(): Generator<void, void, void> {
    this.stepTo(this.endTick);
    yield* finishSteps(this.sim);
  }

  summary(): Summary {
    return summary(this.sim);
  }

  private step(): void {
    const queued = this.queue;
    this.queue = [];
    for (const q of queued) this.apply(q.command, q.mine, q.ref);
    advance(this.sim, (this.ticks + 1) * TICK_MS);
    this.ticks++;
    if (this.ticks < this.endTick && this.ticks % BOT_EVERY_TICKS === 0) this.botsDecide();
  }

  private apply(command: Command, mine: boolean, ref: number | undefined): void {
    const result = applyCommand(this.sim, command);
    if (command.type === 'configure' && mine && this.lastChange !== null) this.lastChange.status = result.ok ? 'passed' : 'refused';
    if (!mine) return;
    if (result.ok) {
      this.actions++;
      return;
    }
    if (ref !== undefined) {
      const s = this.sent.get(ref);
      if (s !== undefined) s.failed = true;
    }
    this.events.refused(command, result.error);
  }

  private botsDecide(): void {
    const { S, sc } = this.sim;
    for (let id = 0; id < S.nodes.length; id++) {
      if (id === this.myNode) continue;
      const mem = this.bots[id] ?? (this.bots[id] = createBotMemory());
      const cmd = botDecide(S, id, mem, sc.budget.maxNodes);
      if (cmd !== null) this.queue.push({ command: cmd, mine: false });
    }
  }
}
