// The customer's promise (the SLA) in a player's words, made from the scenario as played: the
// briefing's prose tells the customer's story without numbers, and this line adds them, so
// the card stays true when the numbers are recalibrated or a difficulty scales them. The
// debrief's verdict lines say, term by term, whether the round kept it.

import { currentIdOf } from '../scenarios/index.js';
import type { Scenario, ScenarioId } from '../scenarios/types.js';

/** What the customer calls the thing a read shows and the thing a write saves. */
export interface PromiseNouns {
  /** One thing a read shows: "balance". */
  read: string;
  reads: string;
  /** One thing a confirmed write saves: "transfer". */
  write: string;
  writes: string;
}

export const PROMISE_NOUNS: Readonly<Record<ScenarioId, PromiseNouns>> = {
  tutorial: { read: 'note', reads: 'notes', write: 'saved note', writes: 'saved notes' },
  bank: { read: 'balance', reads: 'balances', write: 'transfer', writes: 'transfers' },
  inventory: { read: 'stock count', reads: 'stock counts', write: 'order', writes: 'orders' },
  feed: { read: 'post', reads: 'posts', write: 'post', writes: 'posts' },
  cart: { read: 'cart', reads: 'carts', write: 'item added to a cart', writes: 'items added to carts' },
  telemetry: { read: 'reading', reads: 'readings', write: 'reading', writes: 'readings' },
  chat: { read: 'chat room', reads: 'chat rooms', write: 'message', writes: 'messages' },
};

/** The promise as a scenario (or a recording) carries it. */
export type PromiseSource = Pick<Scenario, 'id' | 'sla'>;

/** Each term of the promise as a phrase, in the order the card reads them. */
export interface PromiseTerms {
  availability: string;
  latency: string;
  staleReads: string;
  lostWrites: string;
}

/**
 * "98.5% of requests succeed (at most 1.5% may fail: the error budget)", "99 in 100 answers
 * come within 250 ms", "no out-of-date balance is ever shown", "no confirmed transfer is lost".
 */
export function promiseTerms(sc: PromiseSource): PromiseTerms {
  const sla = sc.sla;
  const n = nounsOf(sc.id);
  return {
    availability: `${pct(sla.availability)} of requests succeed (at most ${pct(1 - sla.availability)} may fail: the error budget)`,
    latency: `99 in 100 answers come within ${msText(sla.p99Ms)}`,
    staleReads: sla.maxStaleReads <= 0 ? `no out-of-date ${n.read} is ever shown` : `up to ${count(sla.maxStaleReads)} out-of-date ${plural(sla.maxStaleReads, 'read is', 'reads are')} allowed over the round`,
    lostWrites: sla.maxLostWrites <= 0 ? `no confirmed ${n.write} is lost` : `at most ${count(sla.maxLostWrites)} confirmed ${plural(sla.maxLostWrites, n.write, n.writes)} may be lost`,
  };
}

/**
 * The briefing's promise line: "Our promise: 98.5% of requests succeed (at most 1.5% may
 * fail: the error budget), 99 in 100 answers come within 250 ms, no out-of-date balance is
 * ever shown, and no confirmed transfer is lost."
 */
export function promiseText(sc: PromiseSource): string {
  const t = promiseTerms(sc);
  return `Our promise: ${t.availability}, ${t.latency}, ${t.staleReads}, and ${t.lostWrites}.`;
}

/** One term's result, as shared/sim/sla.ts `slaVerdict` gives it (target, measured, kept). */
export interface TermResult {
  target: number;
  actual: number;
  kept: boolean;
}

/** The whole verdict, shaped as shared/sim/sla.ts `SlaVerdict`. */
export interface PromiseResult {
  kept: boolean;
  availability: TermResult;
  p99Ms: TermResult;
  staleReads: TermResult;
  lostWrites: TermResult;
}

/** The debrief's line for each term: kept or missed, with the promised and the measured number. */
export interface PromiseVerdictLines {
  availability: string;
  latency: string;
  staleReads: string;
  lostWrites: string;
}

export function promiseVerdictLines(id: ScenarioId | string, v: PromiseResult): PromiseVerdictLines {
  const n = nounsOf(id);
  const a = v.availability;
  const p = v.p99Ms;
  const s = v.staleReads;
  const l = v.lostWrites;
  const failed = 1 - a.actual;
  return {
    availability: a.kept
      ? `Kept: ${measured(a.actual)} of requests succeeded; the promise was ${pct(a.target)} (${small(failed)} failed, within the ${pct(1 - a.target)} error budget).`
      : `Missed: ${measured(a.actual)} of requests succeeded, short of the ${pct(a.target)} promised (${small(failed)} failed; the error budget was ${pct(1 - a.target)}).`,
    latency: p.kept
      ? `Kept: 99 in 100 answers came within ${msText(p.actual)}; the promise was ${msText(p.target)}.`
      : `Missed: the slowest 1 in 100 answers took over ${msText(p.actual)}, past the ${msText(p.target)} promised.`,
    staleReads: s.target <= 0
      ? s.kept
        ? `Kept: no out-of-date ${n.read} was ever shown.`
        : `Missed: ${count(s.actual)} out-of-date ${plural(s.actual, `${n.read} was`, `${n.reads} were`)} shown; the promise was none.`
      : s.kept
        ? `Kept: ${count(s.actual)} out-of-date ${plural(s.actual, 'read', 'reads')}, within the ${count(s.target)} allowed.`
        : `Missed: ${count(s.actual)} out-of-date reads, past the ${count(s.target)} allowed.`,
    lostWrites: l.target <= 0
      ? l.kept
        ? `Kept: no confirmed ${n.write} was lost.`
        : `Missed: ${count(l.actual)} confirmed ${plural(l.actual, `${n.write} was`, `${n.writes} were`)} lost; the promise was none.`
      : l.kept
        ? `Kept: ${count(l.actual)} confirmed ${plural(l.actual, n.write, n.writes)} lost, within the ${count(l.target)} allowed.`
        : `Missed: ${count(l.actual)} confirmed ${n.writes} lost, past the ${count(l.target)} allowed.`,
  };
}

/**
 * A scenario's nouns; a retired revision ('telemetry@1') has its current scenario's, and an id
 * from outside (a recording) that names no scenario gets plain ones.
 */
export function nounsOf(id: string): PromiseNouns {
  const current = currentIdOf(id);
  return current === undefined ? GENERIC : PROMISE_NOUNS[current];
}

const GENERIC: PromiseNouns = { read: 'value', reads: 'values', write: 'write', writes: 'writes' };

/** A share as a percentage, with the decimals it needs and no more: 0.985 → "98.5%", 0.9925 → "99.25%", 0.97 → "97%". */
export function pct(x: number): string {
  if (!(x > 0)) return '0%';
  if (x >= 1) return '100%';
  const s = trimZeros((x * 100).toFixed(4));
  // Rounded to 100 it would hide that some requests failed.
  return s === '100' ? `${trimZeros((x * 100).toFixed(6))}%` : `${s}%`;
}

/**
 * A measured share with enough decimals to show its nines (as the HUD shows it): 0.98765 →
 * "98.8%", 0.99951 → "99.95%". A loop instead of a logarithm: the same digits on every machine.
 */
export function measured(x: number): string {
  if (!(x > 0)) return '0%';
  if (x >= 1) return '100%';
  // How many nines the share has (the whole part of -log10 of the failed share), 1 to 4.
  let decimals = 0;
  for (let gap = (1 - x) * 10; gap < 1 && decimals < 4; gap *= 10) decimals++;
  const s = trimZeros((x * 100).toFixed(Math.max(1, decimals)));
  return s === '100' ? `${trimZeros((x * 100).toFixed(6))}%` : `${s}%`;
}

/** A small measured share, such as the requests that failed: "1.23%", "under 0.01%". */
function small(x: number): string {
  if (!(x > 0)) return '0%';
  const s = trimZeros((x * 100).toFixed(2));
  return s === '0' ? 'under 0.01%' : `${s}%`;
}

/** "250 ms", "1.2 s"; whole milliseconds below a second. */
function msText(x: number): string {
  if (!(x > 0)) return '0 ms';
  if (x >= 1000) return `${trimZeros((x / 1000).toFixed(1))} s`;
  return `${Math.round(x)} ms`;
}

/** A whole number with thousands separators (written out: locales differ between machines). */
function count(x: number): string {
  return String(Math.round(x)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function plural(n: number, one: string, many: string): string {
  return Math.round(n) === 1 ? one : many;
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}
