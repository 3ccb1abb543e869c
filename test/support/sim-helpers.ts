// Shared helpers for the simulation tests (test/sim-*.test.ts): run a round with commands
// at fixed simulated times, collect checkpoints, and look at the history it recorded.

import type { Command } from '../../shared/protocol/commands.js';
import { applyCommand } from '../../shared/sim/commands.js';
import { advance, createSim, finishSim, lostWrites, type Sim, type SimOptions } from '../../shared/sim/engine.js';
import { NEVER, type OpRecord } from '../../shared/sim/ops.js';
import type { ClusterSettings } from '../../shared/scenarios/settings.js';
import { exportHistory, stateHash, summary, type HistoryJson, type Summary } from '../../shared/sim/summary.js';
import { getScenario } from '../../shared/scenarios/index.js';
import type { ScenarioId } from '../../shared/scenarios/types.js';
import { checkHistory, type CheckResult, type History } from './linearizability.js';

export interface TimedCommand {
  at: number;
  cmd: Command;
}

export interface RoundOptions extends SimOptions {
  /** Commands applied once simulated time reaches `at` (in `at` order). */
  commands?: TimedCommand[];
  /** Record stateHash every this many ms (0 = none). */
  checkpointEveryMs?: number;
  /** Stop before finishSim (the caller finishes or inspects the live state). */
  noFinish?: boolean;
  /** Stop at this simulated time instead of the end of the live phase (implies noFinish). */
  untilMs?: number;
}

export interface Round {
  sim: Sim;
  /** The settings the round started with (for the exported history). */
  initialSettings: ClusterSettings;
  /** stateHash at each checkpoint, in time order: [t, hash]. */
  checkpoints: [number, string][];
  /** Results of the commands, in order (a rejected command would make a test meaningless). */
  commandResults: { ok: boolean; error?: string }[];
  summary: Summary | null;
}

/** Settings of a scenario preset with overrides: `{...sc.presets[preset], ...overrides}`. */
export function presetWith(scenario: ScenarioId, preset: string, overrides: Partial<ClusterSettings> = {}): ClusterSettings {
  const sc = getScenario(scenario);
  if (sc === undefined) throw new Error(`no scenario ${scenario}`);
  const base = sc.presets[preset];
  if (base === undefined) throw new Error(`scenario ${scenario} has no preset ${preset}`);
  return { ...base, ...overrides };
}

/**
 * The client requests a scenario's workload issues between fromMs and toMs of a live phase of
 * durationMs: the integral of its linear ramp, (rate at from + rate at to) / 2 × the span,
 * without surges. Volume bounds derive from it, so they follow the scenario's numbers.
 */
export function expectedRequests(scenario: ScenarioId, durationMs: number, fromMs = 0, toMs = durationMs): number {
  const w = getScenario(scenario)!.workload;
  const rate = (t: number): number => w.startRate + ((w.endRate - w.startRate) * Math.min(1, t / durationMs));
  return ((rate(fromMs) + rate(toMs)) / 2) * ((toMs - fromMs) / 1000);
}

/** Runs a round: commands at their times, checkpoints, then (unless noFinish) finishSim. */
export function runRound(opts: RoundOptions): Round {
  const sim = createSim(opts);
  const round: Round = { sim, initialSettings: { ...sim.S.settings }, checkpoints: [], commandResults: [], summary: null };
  drive(round, opts.commands ?? [], opts.untilMs ?? sim.S.durationMs, opts.checkpointEveryMs ?? 0);
  if (opts.noFinish !== true && opts.untilMs === undefined) finish(round);
  return round;
}

/**
 * Advances a round from its current time to `until`: stops at every command time (applying
 * the commands due then, in order) and at every checkpoint. Commands due at or before the
 * current time are taken as already applied.
 */
export function drive(round: Round, commands: TimedCommand[], until: number, checkpointEveryMs = 0): void {
  const { sim } = round;
  const from = sim.S.now;
  const todo = commands.filter((c) => c.at > from || (from === 0 && c.at === 0)).sort((a, b) => a.at - b.at);
  const stops = new Set<number>();
  if (checkpointEveryMs > 0) for (let t = checkpointEveryMs; t <= until; t += checkpointEveryMs) if (t > from) stops.add(t);
  for (const c of todo) if (c.at <= until) stops.add(c.at);
  stops.add(until);
  let ci = 0;
  for (const t of [...stops].sort((a, b) => a - b)) {
    advance(sim, t);
    while (ci < todo.length && todo[ci]!.at <= t) {
      const r = applyCommand(sim, todo[ci]!.cmd);
      round.commandResults.push(r.ok ? { ok: true } : { ok: false, error: r.error });
      ci++;
    }
    if (checkpointEveryMs > 0 && t % checkpointEveryMs === 0) round.checkpoints.push([t, stateHash(sim.S)]);
  }
}

/** Ends the round (finishSim) and computes its summary. */
export function finish(round: Round): Summary {
  finishSim(round.sim);
  round.summary = summary(round.sim);
  return round.summary;
}

export function partition(at: number, target: number, durationMs: number, kind: 'partition-region' | 'partition-random' = 'partition-region'): TimedCommand {
  return { at, cmd: { type: 'chaos', kind, target, durationMs, magnitude: 0 } };
}

export function chaosAt(at: number, kind: Extract<Command, { type: 'chaos' }>['kind'], target: number, durationMs: number, magnitude = 0): TimedCommand {
  return { at, cmd: { type: 'chaos', kind, target, durationMs, magnitude } };
}

/** Every recorded client operation (final verification reads excluded). */
export function clientOps(sim: Sim): OpRecord[] {
  return (sim.log ?? []).filter((op) => op.final !== true);
}

export function finalOps(sim: Sim): OpRecord[] {
  return (sim.log ?? []).filter((op) => op.final === true);
}

/** The requests clients issued, independent of outcome: "invoke|key|f|value-for-writes", by invoke. */
export function requestSignature(sim: Sim): string[] {
  return clientOps(sim)
    .slice()
    .sort((a, b) => a.invoke - b.invoke || a.id - b.id)
    .map((op) => `${op.invoke}|${op.key}|${op.f}|${op.f === 1 ? String(op.value) : ''}`);
}

export function history(round: Round): HistoryJson {
  return exportHistory(round.sim, round.initialSettings);
}

export function check(round: Round): CheckResult {
  return checkHistory(history(round) as unknown as History);
}

export interface KeyFacts {
  /** Client reads the judge found stale. */
  stale: number;
  /** Whether the key's final (post-round) read was found stale. */
  finalStale: boolean;
  /** The judge's lost writes (acknowledged, ordered after the final value in real time). */
  judgeLost: number;
  /** The round's lost writes as the summary counts them (with version vectors: causally). */
  lost: number;
}

/** Per-key facts the game recorded, by exported key name. */
export function judgeByKey(round: Round): Map<string, KeyFacts> {
  const { S, sc } = round.sim;
  const j = S.judge;
  const lost = lostWrites(S).byKey;
  const out = new Map<string, KeyFacts>();
  for (let k = 0; k < j.keyCount; k++) {
    out.set(`${sc.workload.keyPrefix}-${k}`, {
      stale: j.staleReadsByKey[k] ?? 0,
      finalStale: j.finalStaleByKey[k] ?? false,
      judgeLost: j.lostByKey[k] ?? 0,
      lost: lost[k] ?? 0,
    });
  }
  return out;
}

/** Leader epochs in which more than one node became leader of a shard. */
export function splitEpochs(sim: Sim): string[] {
  return Object.entries(sim.S.leadersByEpoch)
    .filter(([, ids]) => ids.length > 1)
    .map(([k, ids]) => `${k}→[${ids.join(',')}]`);
}

/**
 * Acknowledged writes provably gone, from the history alone (any conflict resolution): the
 * key's converged value (its final read) lacks W's value, and every value it holds was
 * written by a write that had completed before W was invoked, so none of them can have
 * seen W, replaced it or merged it. A lower bound of the lost writes, by key name.
 */
export function provablyLost(round: Round): { total: number; byKey: Map<string, number>; examples: string[] } {
  const ops = round.sim.log ?? [];
  const prefix = round.sim.sc.workload.keyPrefix;
  const writeOf = new Map<number, OpRecord>();
  for (const op of ops) if (op.f === 1) writeOf.set(op.value as number, op);
  const finals = new Map<number, number[]>();
  for (const op of ops) if (op.final === true) finals.set(op.key, op.value === null ? [] : Array.isArray(op.value) ? op.value : [op.value]);
  let total = 0;
  const byKey = new Map<string, number>();
  const examples: string[] = [];
  for (const w of ops) {
    if (w.f !== 1 || w.type !== 'ok') continue;
    const held = finals.get(w.key) ?? [];
    if (held.includes(w.value as number)) continue;
    if (!held.every((v) => writeOf.get(v)!.type === 'ok' && writeOf.get(v)!.complete < w.invoke)) continue;
    total++;
    const name = `${prefix}-${w.key}`;
    byKey.set(name, (byKey.get(name) ?? 0) + 1);
    if (examples.length < 5) examples.push(`${name}: ${String(w.value)} at ${w.invoke.toFixed(0)}, final ${JSON.stringify(held)}`);
  }
  return { total, byKey, examples };
}

export { NEVER };
