// Credit for node actions. For a player's node action, the simulation is run a second time
// from the moment just before it, with everything else that happened (the chaos, the other
// commands, the same clients' requests) but without that action, for the seconds in which it
// should show its effect. Where the round with the action clearly did better on the measure
// the action should move (p99 latency, the share of requests that succeeded) than the
// round without it, the action helped: the debrief says so ("Ada's scale-out at 1:42 cut
// p99 latency to 180 ms; without it, 600 ms") and its player earns the requests it improved.
//
// The re-run starts from a snapshot the round took just before the action's tick (without
// the consistency judge's bulky history: stale reads are not compared, so a stance or a
// repair is judged on what it did to availability and latency only, and a switch to serving
// earns nothing where the customer forbids stale reads). Only so many snapshots are kept a
// round (MAX_PROBES); later actions go unjudged. The re-runs happen while the round closes,
// a slice at a time.

import type { Command, CommandType } from '../scenarios/command-types.js';
import { applyCommand } from '../sim/commands.js';
import { createJudgeSteps } from '../sim/consistency.js';
import { advance, type Sim } from '../sim/engine.js';
import { closeWindowsBefore, type MetricsWindow } from '../sim/metrics.js';
import type { SimState } from '../sim/state.js';
import { closingWork, countWork } from '../sim/work.js';
import { actionNoun, creditText, type CreditMeasure } from '../words/credit.js';
import { actorKey, actorName, type Actor } from './actor.js';
import { TICK_MS } from './runner.js';

/** How long after an action has taken effect its measure is compared, simulated ms. */
export const CREDIT_SPAN_MS = 5_000;
/** Snapshots a round keeps for re-runs: the first so many player actions are judged. */
export const MAX_PROBES = 16;

/** A helpful action, as the debrief tells it. */
export interface ActionCredit {
  /** Simulated ms when it was applied. */
  t: number;
  /** The actor's key (a player's key). */
  by: string;
  type: CommandType;
  node: number;
  measure: CreditMeasure;
  /** The measure over the seconds after it, in the round without it and in the round. */
  without: number;
  with: number;
  /** Requests it improved in those seconds: its points (shared/round/contributions.ts). */
  points: number;
  text: string;
}

/** An accepted command, at its tick. */
export interface CreditInput {
  tick: number;
  command: Command;
  by: Actor;
}

/**
 * The state just before a tick whose commands include a player's node action: JSON of the
 * simulation state without the judge, in pieces that a re-run parses one per slice of the
 * closing (a big state's JSON takes a tenth of a second and more to parse at once).
 */
export interface CreditProbe {
  tick: number;
  /** Everything but the nodes, the queued events and the acknowledged writes' vectors (held empty). */
  rest: string;
  /** The acknowledged writes' version vectors (one per write with version vectors: megabytes late in a round), in runs. */
  acked: string[];
  /** Each node, its store held as an empty list. */
  nodes: string[];
  /** Each node's store, in runs of keys. */
  stores: string[][];
  /** The event queue's items, in pieces. */
  events: EventPiece[];
}

/** Queued events: a run of whole events, or one message carrying many keys' versions (an anti-entropy exchange, a shard's copy), its lists in runs. */
type EventPiece = { run: string } | { shell: string; keys: string[]; vers: string[] };

/** How long each action takes to show its effect (a boot, a rebalance) and what it should move. */
const JUDGED: Partial<Record<CommandType, { settleMs: number; measures: readonly CreditMeasure[] }>> = {
  restart: { settleMs: 3_000, measures: ['availability', 'p99'] },
  replace: { settleMs: 5_000, measures: ['availability', 'p99'] },
  'scale-up': { settleMs: 4_000, measures: ['p99', 'availability'] },
  'scale-out': { settleMs: 6_000, measures: ['p99', 'availability'] },
  remove: { settleMs: 6_000, measures: ['p99', 'availability'] },
  drain: { settleMs: 1_000, measures: ['p99', 'availability'] },
  undrain: { settleMs: 1_000, measures: ['p99', 'availability'] },
  'rate-limit': { settleMs: 1_000, measures: ['p99', 'availability'] },
  promote: { settleMs: 3_000, measures: ['availability', 'p99'] },
  demote: { settleMs: 3_000, measures: ['availability', 'p99'] },
  repair: { settleMs: 2_000, measures: ['availability', 'p99'] },
  stance: { settleMs: 1_000, measures: ['availability', 'p99'] },
};

/** A player's node action that a re-run can judge (bots, votes, the host and tutorials are not credited). */
export function judgeable(input: { command: Command; by: Actor }): boolean {
  return input.by.kind === 'player' && JUDGED[input.command.type] !== undefined;
}

/** Work (shared/sim/work.ts: events scheduled, each one unit) a piece of a re-run does before yielding, about. */
const RERUN_UNITS_PER_STEP = 750;

/** Characters of whole queued events per piece of a probe, about. */
const EVENT_CHARS_PER_PIECE = 32 * 1024;
/** A message's version lists (and keys) per piece, when it carries more. */
const LISTS_PER_PIECE = 1_000;
/** A node store's keys per piece of a probe (a 50,000-key store is a megabyte of JSON). */
const KEYS_PER_PIECE = 2_500;
/** Acknowledged writes' vectors per piece of a probe. */
const ENTRIES_PER_PIECE = 1_000;

/** The snapshot a re-run starts from: the whole state but the judge's history. */
export function probeOf(S: SimState, tick: number): CreditProbe {
  const { judge: _judge, ...rest } = S;
  const events = eventPieces(S.events.items);
  return {
    tick,
    rest: JSON.stringify({ ...rest, nodes: [], events: { ...S.events, items: [] }, ackedVectors: {} }),
    acked: inRuns(S.ackedVectors),
    nodes: S.nodes.map((n) => JSON.stringify({ ...n, store: [] })),
    stores: S.nodes.map((n) => {
      const runs: string[] = [];
      for (let k = 0; k < n.store.length; k += KEYS_PER_PIECE) runs.push(JSON.stringify(n.store.slice(k, k + KEYS_PER_PIECE)));
      return runs;
    }),
    events,
  };
}

function eventPieces(items: readonly SimState['events']['items'][number][]): EventPiece[] {
  const out: EventPiece[] = [];
  let run: string[] = [];
  let chars = 0;
  const flush = (): void => {
    if (run.length > 0) out.push({ run: `[${run.join(',')}]` });
    run = [];
    chars = 0;
  };
  for (const e of items) {
    if (e.vers !== null && e.vers.length > LISTS_PER_PIECE) {
      flush();
      out.push({ shell: JSON.stringify({ ...e, keys: e.keys === null ? null : [], vers: [] }), keys: e.keys === null ? [] : inSlices(e.keys), vers: inSlices(e.vers) });
      continue;
    }
    const json = JSON.stringify(e);
    run.push(json);
    chars += json.length;
    if (chars >= EVENT_CHARS_PER_PIECE) flush();
  }
  flush();
  return out;
}

function inSlices(a: readonly unknown[]): string[] {
  const runs: string[] = [];
  for (let i = 0; i < a.length; i += LISTS_PER_PIECE) runs.push(JSON.stringify(a.slice(i, i + LISTS_PER_PIECE)));
  return runs;
}

/** An object's entries as JSON objects of ENTRIES_PER_PIECE entries each. */
function inRuns(o: Record<string, unknown>): string[] {
  const runs: string[] = [];
  let run: Record<string, unknown> = {};
  let n = 0;
  for (const k in o) {
    run[k] = o[k];
    if (++n % ENTRIES_PER_PIECE === 0) {
      runs.push(JSON.stringify(run));
      run = {};
    }
  }
  if (n % ENTRIES_PER_PIECE !== 0) runs.push(JSON.stringify(run));
  return runs;
}

/** A probe's state (without the judge), parsed a piece per slice. */
export function* stateOf(probe: CreditProbe): Generator<void, SimState, void> {
  yield;
  const S = JSON.parse(probe.rest) as SimState;
  countWork(probe.rest.length / PARSED_CHARS_PER_UNIT);
  for (const run of probe.acked) {
    yield;
    Object.assign(S.ackedVectors, JSON.parse(run));
    countWork(run.length / PARSED_CHARS_PER_UNIT);
  }
  for (let i = 0; i < probe.nodes.length; i++) {
    yield;
    const node = JSON.parse(probe.nodes[i]!) as SimState['nodes'][number];
    countWork(probe.nodes[i]!.length / PARSED_CHARS_PER_UNIT);
    for (const run of probe.stores[i]!) {
      yield;
      for (const list of JSON.parse(run) as SimState['nodes'][number]['store']) node.store.push(list);
      countWork(run.length / PARSED_CHARS_PER_UNIT);
    }
    S.nodes.push(node);
  }
  for (const piece of probe.events) {
    yield;
    if ('run' in piece) {
      for (const e of JSON.parse(piece.run) as SimState['events']['items']) S.events.items.push(e);
      countWork(piece.run.length / PARSED_CHARS_PER_UNIT);
      continue;
    }
    const e = JSON.parse(piece.shell) as SimState['events']['items'][number];
    for (const [runs, into] of [[piece.keys, e.keys], [piece.vers, e.vers]] as const) {
      for (const run of runs) {
        yield;
        for (const x of JSON.parse(run) as unknown[]) (into as unknown[]).push(x);
        countWork(run.length / PARSED_CHARS_PER_UNIT);
      }
    }
    S.events.items.push(e);
  }
  return S;
}

/** Characters of a probe parsed that count as one unit of the closing's work (work.ts). */
const PARSED_CHARS_PER_UNIT = 256;

/** The measures over [from, to) of simulated time, from closed windows; null without traffic. */
interface Span {
  requests: number;
  availability: number;
  p99: number;
}

function spanOf(windows: readonly MetricsWindow[], closed: number, windowMs: number, from: number, to: number): Span | null {
  const a = Math.max(0, Math.ceil(from / windowMs));
  const b = Math.min(closed, Math.floor(to / windowMs));
  if (b - a < 2) return null;
  let requests = 0;
  let ok = 0;
  let p99 = 0;
  let p99n = 0;
  for (let i = a; i < b; i++) {
    const w = windows[i]!;
    requests += w.requests;
    ok += w.ok;
    if (w.ok > 0) {
      p99 += w.p99;
      p99n++;
    }
  }
  if (requests === 0) return null;
  // The mean of the per-second p99s: percentiles of different seconds do not merge exactly.
  return { requests, availability: ok / requests, p99: p99n > 0 ? p99 / p99n : 0 };
}

/** Did the round with the action clearly do better than the one without, and by how many requests? */
function gain(measure: CreditMeasure, without: Span, withIt: Span): { without: number; with: number; points: number } | null {
  switch (measure) {
    case 'p99': {
      if (!(without.p99 > 0 && withIt.p99 > 0)) return null;
      if (without.p99 < 1.25 * withIt.p99 || without.p99 - withIt.p99 < 20) return null;
      return { without: without.p99, with: withIt.p99, points: Math.round((withIt.requests * (without.p99 - withIt.p99)) / without.p99) };
    }
    case 'availability': {
      const d = withIt.availability - without.availability;
      if (d < 0.01) return null;
      return { without: without.availability, with: withIt.availability, points: Math.round(withIt.requests * d) };
    }
    default:
      return null;
  }
}

/**
 * Judge each probed action by re-running its seconds without it, yielding every few
 * thousand events of re-run so a server can close the round a slice at a time. The
 * credits are pushed to `out`. `applied` is every command the round accepted, in order.
 */
export function* creditSteps(sim: Sim, applied: readonly CreditInput[], probes: readonly CreditProbe[], nicknameOf: (key: string) => string | undefined, out: ActionCredit[]): Generator<void, void, void> {
  const m = sim.S.metrics;
  const noStale = sim.sc.sla.maxStaleReads === 0;
  // Rate limits toggle: the sentence says which way each went.
  const limitOn = new Map<number, boolean>();
  const limited = new Set<number>();
  for (let i = 0; i < applied.length; i++) {
    const cmd = applied[i]!.command;
    if (cmd.type !== 'rate-limit') continue;
    const on = !limited.has(cmd.node);
    if (on) limited.add(cmd.node);
    else limited.delete(cmd.node);
    limitOn.set(i, on);
  }
  for (const probe of probes) {
    for (let i = 0; i < applied.length; i++) {
      const c = applied[i]!;
      if (c.tick !== probe.tick || !judgeable(c)) continue;
      const cmd = c.command;
      // Serving where stale reads are forbidden breaks the promise: never credited.
      if (cmd.type === 'stance' && cmd.stance === 'serve' && noStale) continue;
      const judged = JUDGED[cmd.type]!;
      const t = c.tick * TICK_MS;
      const afterFrom = t + judged.settleMs;
      const afterTo = afterFrom + CREDIT_SPAN_MS;
      const withIt = spanOf(m.windows, m.closed, m.windowMs, afterFrom, afterTo);
      if (withIt === null) continue;
      const branch = yield* rerunWithout(sim, probe, applied, i, afterTo);
      const bm = branch.S.metrics;
      const without = spanOf(bm.windows, bm.closed, bm.windowMs, afterFrom, afterTo);
      if (without === null) continue;
      for (const measure of judged.measures) {
        const g = gain(measure, without, withIt);
        if (g === null || g.points <= 0) continue;
        const region = cmd.type === 'scale-out' ? sim.sc.topology.regions[cmd.region]?.name : undefined;
        const noun = actionNoun(cmd, { rateLimitOn: limitOn.get(i), region });
        out.push({
          t, by: actorKey(c.by), type: cmd.type, node: 'node' in cmd ? cmd.node : -1, measure, without: g.without, with: g.with, points: g.points,
          text: creditText(actorName(c.by, nicknameOf), noun, t, measure, g.without, g.with),
        });
        break;
      }
    }
  }
}

/** The round from `probe` to `until` with every accepted command but applied[skip]. */
function* rerunWithout(sim: Sim, probe: CreditProbe, applied: readonly CreditInput[], skip: number, until: number): Generator<void, Sim, void> {
  const S = yield* stateOf(probe);
  // A fresh judge: stale reads are not compared (the history before the snapshot is not
  // kept), so it knows only the values written from here on.
  S.judge = yield* createJudgeSteps(sim.sc.workload.keys, S.nextValue);
  // Nor is it compacted: it lives a few simulated seconds, and compaction (a walk of every
  // store, ms of work in one event on a big key space) changes no verdict (consistency.ts).
  S.judgeCompactAt = -1;
  yield;
  const branch: Sim = { S, sc: sim.sc, log: null };
  // Past `until` until every request invoked before it has finished, so its windows are whole.
  const endTick = Math.ceil((until + sim.sc.workload.timeoutMs + 200) / TICK_MS);
  let next = 0;
  while (next < applied.length && applied[next]!.tick < probe.tick) next++;
  let since = closingWork.units;
  for (let k = probe.tick; k < endTick; k++) {
    while (next < applied.length && applied[next]!.tick === k) {
      if (next !== skip) applyCommand(branch, applied[next]!.command);
      next++;
    }
    // A tick at a time, yielding once a piece's worth of events has run (a big scenario
    // runs thousands of events a simulated second): where the pieces end changes nothing.
    const scheduled = S.events.seq;
    advance(branch, (k + 1) * TICK_MS);
    countWork(S.events.seq - scheduled);
    if (closingWork.units - since >= RERUN_UNITS_PER_STEP) {
      yield;
      since = closingWork.units;
    }
  }
  closeWindowsBefore(branch.S.metrics, until + sim.sc.workload.timeoutMs);
  return branch;
}
