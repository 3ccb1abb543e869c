// The debrief: a finished (or cut short) round's summary, who played and what they did,
// and the whole round for the concept cards.

import type { Command } from '../protocol/commands.js';
import type { Sim } from '../sim/engine.js';
import type { DebriefJson } from '../protocol/room.js';
import type { Summary } from '../sim/summary.js';
import { commandRecordText } from '../words/commands.js';
import { roundRecordOf } from '../lessons/record.js';
import type { RoundEvent, RoundRecord } from '../lessons/pick.js';
import { actorName, type Actor } from './actor.js';
import { budgetStoryOf } from './budget-story.js';
import type { ActionCredit } from './credits.js';
import { TICK_MS } from './runner.js';
import type { PlayerRow } from './seats.js';
import type { ClusterSettings } from '../scenarios/settings.js';

/** The debrief as the room's state carries it (shared/protocol/room.ts). */
export type Debrief = DebriefJson;

/** A command the round applied, and who sent it. */
export interface AppliedCommand {
  tick: number;
  command: Command;
  by: Actor;
}

export interface DebriefInput {
  sim: Sim;
  /** The summary the round is judged by (an interrupted round's is not the sim's final one). */
  summary: Summary;
  interrupted: boolean;
  /** The roster as screens show it, in its order. */
  players: Iterable<PlayerRow>;
  applied: readonly AppliedCommand[];
  checkpoints: number;
  /** Nicknames by actor key: the seats at the start of the live phase, then everyone present. */
  names: ReadonlyMap<string, string>;
  /** The actions that helped (shared/round/credits.ts actionCredits). */
  credits: readonly ActionCredit[];
  /** The settings the live phase started with (default: the simulation's preset, when it ran one). */
  startSettings?: ClusterSettings;
}

export function debriefOf(d: DebriefInput): Debrief {
  const record = roundRecord(d);
  return {
    summary: d.summary,
    players: [...d.players].map((p) => ({ id: p.id, nickname: p.nickname, node: p.node, isBot: p.isBot, actions: p.actions, served: p.served, contribution: p.contribution, anomalies: p.anomalies })),
    commands: d.applied.length,
    checkpoints: d.checkpoints,
    interrupted: d.interrupted,
    record,
    budget: budgetStoryOf(d.sim, d.summary, record.events),
    credits: d.credits.map((c) => ({ t: c.t, by: c.by, points: c.points, text: c.text })),
  };
}

/**
 * The whole round for the debrief's concept cards: every metric window and chaos event
 * from the simulation, and every accepted command (the sim's feed keeps only its latest
 * entries) with the nickname of whoever sent it.
 */
function roundRecord(d: DebriefInput): RoundRecord {
  const extra: RoundEvent[] = [];
  const limited = new Set<number>();
  for (const c of d.applied) {
    const cmd = c.command;
    // Chaos is in the simulation's own schedule, with its duration.
    if (cmd.type === 'chaos') continue;
    const by = actorName(c.by, (key) => d.names.get(key));
    const region = cmd.type === 'scale-out' ? d.sim.sc.topology.regions[cmd.region]?.name : undefined;
    // A rate-limit toggles; only accepted commands are here, so parity tells which way.
    let rateLimitOn: boolean | undefined;
    if (cmd.type === 'rate-limit') {
      rateLimitOn = !limited.has(cmd.node);
      if (rateLimitOn) limited.add(cmd.node);
      else limited.delete(cmd.node);
    }
    // The simulation's own words replace this text when its feed still has the event.
    const e: RoundEvent = { t: c.tick * TICK_MS, kind: cmd.type, text: commandRecordText(by, cmd, { region, rateLimitOn }), by };
    if ('node' in cmd) e.node = cmd.node;
    extra.push(e);
  }
  // A finished round's summary is the sim's, already worked out (in slices) by the closing.
  const record = roundRecordOf(d.sim, extra, d.interrupted ? undefined : d.summary);
  record.summary = d.summary;
  record.used = settingsUsed(d);
  // Rounded like the schema's windows: the record travels in the state as JSON.
  record.windows = record.windows.map((w) => ({ ...w, p99: Math.round(w.p99 * 10) / 10, throughput: Math.round(w.throughput * 10) / 10 }));
  return record;
}

/** Every value each setting took in the round: the start, each change, and each node's stance. */
function settingsUsed(d: DebriefInput): NonNullable<RoundRecord['used']> {
  const used: Record<string, unknown[]> = {};
  const add = (patch: Partial<ClusterSettings>) => {
    for (const [k, v] of Object.entries(patch)) {
      const list = (used[k] ??= []);
      if (!list.includes(v)) list.push(v);
    }
  };
  const { S, sc } = d.sim;
  const start = d.startSettings ?? (S.preset !== 'custom' ? sc.presets[S.preset] : undefined);
  if (start !== undefined) add(start);
  for (const c of d.applied) {
    if (c.command.type === 'configure') add(c.command.settings);
    else if (c.command.type === 'stance') add({ stance: c.command.stance });
  }
  add(S.settings);
  return used as NonNullable<RoundRecord['used']>;
}
