// A branch: a replay's simulation copied at one moment and continued in this browser with
// the viewer's own decisions. It is the live room's loop in miniature, and only glue: the
// round's tick runner (shared/round/runner.ts) applies the player's commands at the next tick
// boundary and lets the shared bots run every other node once a simulated second as the
// room's do, and settings change at once (one player is the whole team). Every rule stays
// in shared/. The bots start with no memory: one whose node is already down at the branch's
// first moment waits its reaction time from there, not from when the node fell.

import { createBotMemory, type BotMemory } from '../../../shared/bots/node-bot.js';
import type { Command } from '../../../shared/protocol/commands.js';
import { botActor, playerActor, TEAM, type Actor } from '../../../shared/round/actor.js';
import { BOT_EVERY_TICKS, TickRunner, type BotSeat, type TickOutcome } from '../../../shared/round/runner.js';
import { finishSim, finishSteps, type Sim } from '../../../shared/sim/engine.js';
import { summary, type Summary } from '../../../shared/sim/summary.js';
import type { ClusterSettings } from '../../../shared/scenarios/settings.js';
import type { Steppable } from './clock.js';

export interface BranchEvents {
  /** A command of the player's was refused by the simulation. */
  refused(command: Command, error: string): void;
}

export class Branch implements Steppable {
  /** The player's commands, as the action panel and tutorial read them (ref → outcome). */
  readonly sent = new Map<number, { type: string; at: number; failed: boolean }>();
  /** The last settings change asked for, and how it went. */
  lastChange: { proposal: Partial<ClusterSettings>; status: 'open' | 'passed' | 'refused'; id: number } | null = null;
  actions = 0;
  /** The meta of a player's command is its ref in `sent`, when it has one. */
  private readonly runner: TickRunner<number>;
  private readonly memories: BotMemory[] = [];
  private nextRef = 1;
  private changes = 0;

  constructor(
    readonly sim: Sim,
    /** The tick the branch starts from (simulated time is tick × TICK_MS). */
    readonly startTick: number,
    readonly myNode: number,
    private readonly events: BranchEvents,
  ) {
    this.runner = new TickRunner(sim, { startTick, bots: () => this.botSeats(), onOutcome: (o) => this.outcome(o) });
    // The room's bots decided right after the step that reached this tick: so do these.
    if (startTick > 0 && startTick % BOT_EVERY_TICKS === 0) this.runner.botsLook();
  }

  get tick(): number {
    return this.runner.tick;
  }

  get endTick(): number {
    return this.runner.endTick;
  }

  get over(): boolean {
    return this.runner.over;
  }

  /** The player's action on their node; applied at the next tick boundary. */
  send(command: Command): number {
    const ref = this.nextRef++;
    this.sent.set(ref, { type: command.type, at: Date.now(), failed: false });
    this.runner.enqueue(command, VIEWER, ref);
    return ref;
  }

  /** A settings change: the branch's player is the whole team, so it needs no vote. */
  configure(proposal: Partial<ClusterSettings>): void {
    this.lastChange = { proposal, status: 'open', id: ++this.changes };
    this.runner.enqueue({ type: 'configure', settings: proposal }, TEAM);
  }

  stepTo(tick: number): void {
    this.runner.runTo(tick);
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

  /** Every node but the player's, each bot keeping its memory between looks. */
  private botSeats(): BotSeat[] {
    const seats: BotSeat[] = [];
    for (let node = 0; node < this.sim.S.nodes.length; node++) {
      if (node !== this.myNode) seats.push({ node, memory: (this.memories[node] ??= createBotMemory()), by: botActor(node) });
    }
    return seats;
  }

  private outcome(o: TickOutcome<number>): void {
    // The bots' commands are theirs to get right; only the player's are counted and reported.
    if (o.by.kind === 'bot') return;
    if (o.command.type === 'configure' && this.lastChange !== null) this.lastChange.status = o.result.ok ? 'passed' : 'refused';
    if (o.result.ok) {
      this.actions++;
      return;
    }
    if (o.meta !== undefined) {
      const s = this.sent.get(o.meta);
      if (s !== undefined) s.failed = true;
    }
    this.events.refused(o.command, o.result.error);
  }
}

/** The branch's one player: there is no room, so no session key to name them by. */
const VIEWER: Actor = playerActor('you');
