// A recording's timeline in words: the live phase starting and ending, the seeded chaos,
// every recorded command (who did what) and every seat changing hands, in tick order. Read
// from the recording alone; the replay player shows them, and the timeline draws them.

import { chaosPlanText, setOffBy } from '../words/chaos.js';
import { commandDoneText } from '../words/commands.js';
import { RECORDED_PHASE_TEXT } from '../words/phases.js';
import { cutSize, targetNode, targetRegion } from '../sim/chaos.js';
import { actorName, parseActor } from '../round/actor.js';
import type { ChaosEvent } from '../scenarios/chaos-types.js';
import type { Scenario } from '../scenarios/types.js';
import { NodeTracker } from '../sim/node-tracker.js';
import type { Recording } from './recording.js';

export interface ReplayMarker {
  tick: number;
  kind: 'chaos' | 'command' | 'phase' | 'roster';
  /** One line for the timeline's tooltip and the marker list, in the game's words. */
  text: string;
  /** The roster id of whoever acted (commands and roster changes). */
  by?: string;
  node?: number;
}

/** The round's timeline: chaos, commands, seat changes and phases, in tick order. */
export function markersOf(rec: Recording, sc: Scenario, endTick: number): ReplayMarker[] {
  const names = new Map<string, string>();
  // A seat's human name wins over a bot's that stood in under the same id.
  for (const r of [...rec.roster, ...rec.rosterChanges]) if (!names.has(r.id) || !r.isBot) names.set(r.id, r.nickname);
  const who = (by: string): string => {
    const actor = parseActor(by);
    // A player the roster does not know (a damaged file) is not named by their key.
    if (actor.kind === 'player' && !names.has(actor.id)) return 'a player';
    return actorName(actor, (id) => names.get(id));
  };
  const nodes = new NodeTracker(sc, rec.commands);
  const out: { m: ReplayMarker; order: number }[] = [];
  const add = (m: ReplayMarker, order: number) => {
    if (m.tick <= endTick) out.push({ m, order });
  };

  for (const p of rec.phases) add({ tick: p.tick, kind: 'phase', text: RECORDED_PHASE_TEXT[p.phase] ?? p.phase }, p.phase === 'live' ? 0 : 3);
  for (const ev of rec.chaosEvents) {
    if (ev.at > endTick * rec.tickMs) continue;
    const tick = Math.floor(ev.at / rec.tickMs);
    const d = describeChaos(ev, sc, nodes.liveAt(tick));
    add({ tick, kind: 'chaos', text: d.text, ...(d.node !== undefined ? { node: d.node } : {}) }, 1);
  }
  for (const r of rec.rosterChanges) {
    add({ tick: r.tick, kind: 'roster', text: `${r.nickname} took over node ${r.node}${r.isBot ? ' (a bot standing in)' : ''}`, by: r.id, node: r.node }, 2);
  }
  const limited = new Set<number>();
  for (const c of rec.commands) {
    const cmd = c.command;
    const name = who(c.by);
    if (cmd.type === 'chaos') {
      const ev: ChaosEvent = { at: c.tick * rec.tickMs, kind: cmd.kind, durationMs: cmd.durationMs, target: cmd.target, magnitude: cmd.magnitude, source: 'host' };
      const d = describeChaos(ev, sc, nodes.liveAt(c.tick));
      add({ tick: c.tick, kind: 'chaos', text: setOffBy(d.text, name), by: c.by, ...(d.node !== undefined ? { node: d.node } : {}) }, 2);
      continue;
    }
    let rateLimitOn: boolean | undefined;
    if (cmd.type === 'rate-limit') {
      // The command toggles; the recording holds only accepted ones, so parity tells which way.
      rateLimitOn = !limited.has(cmd.node);
      if (rateLimitOn) limited.add(cmd.node);
      else limited.delete(cmd.node);
    }
    const region = cmd.type === 'scale-out' ? sc.topology.regions[cmd.region]?.name : undefined;
    const what = commandDoneText(cmd, { ...(region !== undefined ? { region } : {}), ...(rateLimitOn !== undefined ? { rateLimitOn } : {}) });
    add({ tick: c.tick, kind: 'command', text: `${name} ${what}`, by: c.by, ...('node' in cmd ? { node: cmd.node } : {}) }, 2);
  }
  // Stable: at one tick the live phase comes first, then chaos, people, and the round's end.
  out.sort((a, b) => a.m.tick - b.m.tick || a.order - b.order);
  return out.map((x) => x.m);
}

/** A chaos event in a line, resolving its target as the simulation will (chaos.ts). */
function describeChaos(ev: ChaosEvent, sc: Scenario, live: readonly number[]): { text: string; node?: number } {
  const regions = sc.topology.regions;
  // With one region a regional partition splits the nodes as a random one does.
  if (ev.kind === 'partition-region' && regions.length > 1) {
    return { text: chaosPlanText(ev.kind, ev.magnitude, ev.durationMs, { region: regions[targetRegion(regions.length, ev.target)]!.name }) };
  }
  switch (ev.kind) {
    case 'partition-region':
    case 'partition-random':
      return { text: chaosPlanText(ev.kind, ev.magnitude, ev.durationMs, { cut: cutSize(live.length, ev.target) }) };
    case 'latency-spike':
    case 'message-loss':
    case 'load-surge':
      return { text: chaosPlanText(ev.kind, ev.magnitude, ev.durationMs, {}) };
    case 'hot-key':
      return { text: chaosPlanText(ev.kind, ev.magnitude, ev.durationMs, { key: `${sc.workload.keyPrefix}-${ev.target % sc.workload.keys}` }) };
    default: {
      const node = targetNode(live, ev.target);
      return { text: chaosPlanText(ev.kind, ev.magnitude, ev.durationMs, { node }), node };
    }
  }
}
