// A recording's timeline in words: the live phase starting and ending, the seeded chaos,
// every recorded command (who did what) and every seat changing hands, in tick order. Read
// from the recording alone; the replay player shows them, and the timeline draws them.

import { cutSize, targetNode, targetRegion } from '../sim/chaos.js';
import { actorName, parseActor } from '../round/actor.js';
import type { ChaosEvent } from '../scenarios/chaos-types.js';
import type { Scenario } from '../scenarios/types.js';
import { NodeTracker } from './node-tracker.js';
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

  for (const p of rec.phases) add({ tick: p.tick, kind: 'phase', text: PHASE_TEXT[p.phase] ?? p.phase }, p.phase === 'live' ? 0 : 3);
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
      add({ tick: c.tick, kind: 'chaos', text: `${d.text} (set off by ${name})`, by: c.by, ...(d.node !== undefined ? { node: d.node } : {}) }, 2);
      continue;
    }
    let what: string;
    switch (cmd.type) {
      case 'configure':
        what = `changed ${Object.entries(cmd.settings).map(([k, v]) => `${k} to ${settingText(v)}`).join(', ')}`;
        break;
      case 'scale-out':
        what = `added a node in ${sc.topology.regions[cmd.region]?.name ?? `region ${cmd.region}`}`;
        break;
      case 'stance':
        what = `set node ${cmd.node} to ${cmd.stance} when it cannot reach a quorum`;
        break;
      case 'rate-limit': {
        // The command toggles; the recording holds only accepted ones, so parity tells which way.
        const on = !limited.has(cmd.node);
        if (on) limited.add(cmd.node);
        else limited.delete(cmd.node);
        what = on ? `rate-limited the clients flooding node ${cmd.node}` : `lifted the rate limit on node ${cmd.node}`;
        break;
      }
      default:
        what = NODE_ACTION_TEXT[cmd.type].replace('#', String(cmd.node));
    }
    add({ tick: c.tick, kind: 'command', text: `${name} ${what}`, by: c.by, ...('node' in cmd ? { node: cmd.node } : {}) }, 2);
  }
  // Stable: at one tick the live phase comes first, then chaos, people, and the round's end.
  out.sort((a, b) => a.m.tick - b.m.tick || a.order - b.order);
  return out.map((x) => x.m);
}

const PHASE_TEXT: Record<string, string> = {
  live: 'The round begins',
  debrief: 'The round ends',
  interrupted: 'The recording stops: the server stopped before the round ended',
};

const NODE_ACTION_TEXT = {
  restart: 'restarted node #',
  replace: 'replaced node # with a fresh machine (empty disk)',
  'scale-up': 'moved node # to a machine twice as big',
  drain: 'drained node # (no new requests from the load balancer)',
  undrain: 'undrained node #',
  remove: 'removed node # from the cluster',
  promote: 'asked for an election with node # as candidate',
  demote: 'demoted node # (it steps down as leader)',
  repair: 'ran a repair on node #',
} as const;

function settingText(v: unknown): string {
  if (v === true) return 'on';
  if (v === false) return 'off';
  if (v === 'one' || v === 'quorum' || v === 'all') return v.toUpperCase();
  return String(v);
}

function durationText(ms: number): string {
  const s = ms / 1000;
  if (s < 10) return `${Math.round(s * 10) / 10} s`;
  if (s < 120) return `${Math.round(s)} s`;
  const m = Math.floor(s / 60);
  const rest = Math.round(s - 60 * m);
  return rest === 0 ? `${m} min` : `${m} min ${rest} s`;
}

/** A chaos event in a line, resolving its target as the simulation will (chaos.ts). */
function describeChaos(ev: ChaosEvent, sc: Scenario, live: readonly number[]): { text: string; node?: number } {
  const d = durationText(ev.durationMs);
  const node = targetNode(live, ev.target);
  const regions = sc.topology.regions;
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  // With one region a regional partition splits the nodes as a random one does.
  if (ev.kind === 'partition-region' && regions.length > 1) {
    return { text: `partition: ${regions[targetRegion(regions.length, ev.target)]!.name} cut off from the other regions for ${d}` };
  }
  switch (ev.kind) {
    case 'partition-region':
    case 'partition-random': {
      const cut = cutSize(live.length, ev.target);
      return { text: `partition: ${cut} node${cut === 1 ? '' : 's'} cut off from the rest for ${d}` };
    }
    case 'crash':
      return { text: `crash: node ${node} goes down (its disk survives) for up to ${d}`, node };
    case 'crash-disk-loss':
      return { text: `crash with disk loss: node ${node} goes down and loses its data, for up to ${d}`, node };
    case 'slow-node':
      return { text: `slow node: node ${node} at ${pct(ev.magnitude)} of its capacity for ${d}`, node };
    case 'clock-skew':
      return { text: `clock skew: node ${node}'s clock ${Math.abs(ev.magnitude)} ms ${ev.magnitude > 0 ? 'ahead' : 'behind'} for ${d}`, node };
    case 'flood':
      return { text: `flood: a misbehaving client sends node ${node} ${ev.magnitude} requests per second for ${d}`, node };
    case 'latency-spike':
      return { text: `latency spike: every message ${ev.magnitude} ms slower for ${d}` };
    case 'message-loss':
      return { text: `message loss: ${pct(ev.magnitude)} of messages dropped for ${d}` };
    case 'load-surge':
      return { text: `load surge: ${ev.magnitude.toFixed(1)}× the usual traffic for ${d}` };
    case 'hot-key':
      return { text: `hot key: ${pct(ev.magnitude)} of requests hit ${sc.workload.keyPrefix}-${ev.target % sc.workload.keys} for ${d}` };
  }
}
