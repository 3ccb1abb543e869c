// Choosing the debrief's concept cards from what happened in a round, and filling their
// stories with the round's own numbers. Pure: the same round record gives the same cards.

import { log10 } from '../sim/det-math.js';
import { CARDS, type ConceptCard, type ConceptId } from './cards.js';
import { downtime, formatDuration, nines as ninesOf } from '../sim/metrics.js';
import { levelCount } from '../scenarios/settings.js';
import { int } from '../words/number.js';
import type { ClusterSettings } from '../scenarios/settings.js';
import type { Summary } from '../sim/summary.js';
import { currentIdOf, runnableScenario } from '../scenarios/index.js';
import type { RunnableScenarioId, ScenarioId, Sla } from '../scenarios/types.js';
import { consistencyRecipe, LOAD_BALANCING_WORDS } from '../words/settings.js';
import { shardLossesText } from '../words/durability.js';
import type { ShardLoss } from '../sim/durability.js';
import { majority } from '../scenarios/settings.js';
import { tryNextFor } from './next.js';

/** One thing that happened: a chaos event, a player's action, or the cluster's own reaction. */
export interface RoundEvent {
  /** Simulated ms since the round began. */
  t: number;
  /** The sim's feed kind: a chaos kind, a command type, 'heal', 'election', 'recover', … */
  kind: string;
  text?: string;
  node?: number;
  /** How long a chaos event was scheduled to last, when known. */
  durationMs?: number;
  /** Who did it, for players' actions. */
  by?: string;
}

/** One metrics window (the sim's MetricsWindow, or the part of it a client receives). */
export interface WindowPoint {
  start: number;
  requests: number;
  ok: number;
  staleReads: number;
  p99: number;
  throughput: number;
  /** Reads among the window's requests, when the source has them. */
  reads?: number;
}

/** The summary fields the cards use. */
export type RoundFigures = Pick<
  Summary,
  | 'requests'
  | 'ok'
  | 'availability'
  | 'nines'
  | 'p50'
  | 'p99'
  | 'throughputPerS'
  | 'staleReads'
  | 'lostWrites'
  | 'conflicts'
  | 'divergence'
  | 'cost'
  | 'elections'
  | 'failovers'
  | 'refusedNoQuorum'
  | 'servedWithoutQuorum'
>;

export interface RoundRecord {
  /** The scenario run; a replay of an older round may name a retired revision ('telemetry@1'). */
  scenario: RunnableScenarioId;
  sla: Sla;
  budgetLimit: number;
  regions: number;
  /** Nodes in the cluster at the end. */
  nodes: number;
  /** Settings in force at the end of the round. */
  settings: ClusterSettings;
  summary: RoundFigures;
  windows: readonly WindowPoint[];
  windowMs: number;
  events: readonly RoundEvent[];
  durationMs: number;
  /** Shards that lost confirmed writes, with the disk losses that took them (finished rounds). */
  shardLosses?: readonly ShardLoss[];
  /**
   * The values each setting took during the round (at the start, after every change, and the
   * stances nodes were set to), so "Try next" never suggests what the team already played.
   * Absent from records made before it existed: the settings at the end stand in.
   */
  used?: { [K in keyof ClusterSettings]?: ClusterSettings[K][] };
}

export interface FilledCard {
  id: ConceptId;
  title: string;
  idea: string;
  variant: string;
  /** The story sentences with every placeholder filled. */
  story: string[];
  tryNext: string;
}

/** Facts by placeholder name, already formatted for reading. */
export type Facts = Record<string, string>;

export const DEFAULT_MAX_CARDS = 5;

/** The cards that explain this round, most relevant first, filled with its numbers. */
export function pickCards(rec: RoundRecord, max = DEFAULT_MAX_CARDS): FilledCard[] {
  const facts = roundFacts(rec);
  const signals = roundSignals(rec);
  const scored: { id: ConceptId; score: number; variant: string }[] = [];
  // A retired revision teaches what its current scenario teaches ('telemetry@1' is telemetry).
  const scenario = currentIdOf(rec.scenario);
  const focus = scenario === undefined ? [] : (SCENARIO_FOCUS[scenario] ?? []);
  for (const id of Object.keys(RULES) as ConceptId[]) {
    const r = RULES[id](signals, rec);
    if (r === null) continue;
    const bonus = focus.includes(id) ? 2 : 0;
    scored.push({ id, score: r.score + bonus, variant: r.variant });
  }
  // Stable order: score, then the catalogue's order, so equal rounds give equal debriefs.
  const order = Object.keys(CARDS);
  scored.sort((a, b) => b.score - a.score || order.indexOf(a.id) - order.indexOf(b.id));
  const chosen = scored.slice(0, Math.max(1, max));
  // The SLA is measured in nines: the nines card always makes the cut.
  if (!chosen.some((c) => c.id === 'nines')) {
    const n = scored.find((c) => c.id === 'nines');
    if (n !== undefined) chosen[chosen.length - 1] = n;
  }
  return chosen.map((c) => ({ ...fillCard(CARDS[c.id], c.variant, facts), tryNext: tryNextFor(c.id, rec, CARDS[c.id].tryNext) }));
}

/** A card with the given variant filled in; sentences naming a missing fact are left out. */
export function fillCard(card: ConceptCard, variant: string, facts: Facts): FilledCard {
  const templates = card.stories[variant] ?? Object.values(card.stories)[0] ?? [];
  const story: string[] = [];
  for (const t of templates) {
    const s = fill(t, facts);
    if (s !== null) story.push(s);
  }
  return { id: card.id, title: card.title, idea: card.idea, variant, story, tryNext: card.tryNext };
}

/**
 * Replace every placeholder; null when some name has no fact. `{name}` is the fact itself,
 * `{name:times}` a count as "once", "twice", "3 times", and `{name:one:many}` a count with
 * its noun: "1 copy", "3 copies".
 */
export function fill(template: string, facts: Facts): string | null {
  let missing = false;
  const out = template.replace(/\{([A-Za-z][A-Za-z0-9]*)(?::([^:{}]+))?(?::([^:{}]+))?\}/g, (_, name: string, a?: string, b?: string) => {
    const v = facts[name];
    if (v === undefined) {
      missing = true;
      return '';
    }
    if (a === undefined) return v;
    const count = Number(v.replace(/,/g, ''));
    if (a === 'times' && b === undefined) return count === 1 ? 'once' : count === 2 ? 'twice' : `${v} times`;
    return `${v} ${count === 1 ? a : (b ?? a)}`;
  });
  return missing ? null : out;
}

// ---------------------------------------------------------------------------------------
// What happened, in numbers

/** Counts and measures the rules look at (raw numbers, not text). */
export interface Signals {
  partitions: number;
  partitionMs: number;
  failedDuringPartition: number;
  requestsDuringPartition: number;
  staleDuringPartition: number;
  crashes: number;
  diskLosses: number;
  slowNodes: number;
  floods: number;
  surges: number;
  hotKeys: number;
  clockSkews: number;
  latencySpikes: number;
  restarts: number;
  scaleUps: number;
  scaleOuts: number;
  lbActions: number;
  rebalances: number;
  configures: number;
  demotes: number;
  strong: boolean;
  quorumOverlap: boolean;
  slaMet: boolean;
}

export function roundSignals(rec: RoundRecord): Signals {
  const ev = rec.events;
  const count = (...kinds: string[]) => ev.filter((e) => kinds.includes(e.kind)).length;
  const spans = partitionSpans(rec);
  let partitionMs = 0;
  for (const s of spans) partitionMs += s.end - s.start;
  const during = windowsIn(rec, spans);
  const s = rec.settings;
  const n = s.replicationFactor;
  const overlap = levelCount(s.readQuorum, n) + levelCount(s.writeQuorum, n) > n;
  const strong =
    s.replication === 'leader-follower'
      ? s.syncReplication && s.readFrom === 'leader' && s.election === 'majority'
      : overlap && !s.hintedHandoff;
  return {
    partitions: spans.length,
    partitionMs,
    failedDuringPartition: during.requests - during.ok,
    requestsDuringPartition: during.requests,
    staleDuringPartition: during.staleReads,
    crashes: count('crash', 'crash-disk-loss'),
    diskLosses: count('crash-disk-loss'),
    slowNodes: count('slow-node'),
    floods: count('flood'),
    surges: count('load-surge'),
    hotKeys: count('hot-key'),
    clockSkews: count('clock-skew'),
    latencySpikes: count('latency-spike'),
    restarts: count('restart', 'replace'),
    scaleUps: count('scale-up'),
    scaleOuts: count('scale-out'),
    lbActions: count('drain', 'rate-limit'),
    rebalances: count('rebalance') - ev.filter((e) => e.kind === 'rebalance' && /finished/i.test(e.text ?? '')).length,
    configures: count('configure'),
    demotes: count('demote'),
    strong,
    quorumOverlap: overlap,
    slaMet: rec.summary.availability >= rec.sla.availability,
  };
}

/** Every placeholder's value for this round. */
export function roundFacts(rec: RoundRecord): Facts {
  const m = rec.summary;
  const sig = roundSignals(rec);
  const s = rec.settings;
  const n = s.replicationFactor;
  const r = levelCount(s.readQuorum, n);
  const w = levelCount(s.writeQuorum, n);
  const dt = downtime(m.availability);
  const slaDt = downtime(rec.sla.availability);
  const spans = partitionSpans(rec);
  const during = windowsIn(rec, spans);
  const outside = windowsOutside(rec, spans);
  const reads = readsEstimate(rec);
  const f: Facts = {
    requests: int(m.requests),
    ok: int(m.ok),
    failed: int(m.requests - m.ok),
    reads: int(reads),
    availability: percent(m.availability),
    nines: one(m.nines),
    downtimeYear: formatDuration(dt.perYearS),
    downtimeMonth: formatDuration(dt.perMonthS),
    downtimeDay: formatDuration(dt.perDayS),
    slaAvailability: percent(rec.sla.availability),
    slaNines: one(ninesOf(rec.sla.availability)),
    slaDowntimeYear: formatDuration(slaDt.perYearS),
    slaP99: ms(rec.sla.p99Ms),
    slaStale: int(rec.sla.maxStaleReads),
    slaLost: int(rec.sla.maxLostWrites),
    p50: ms(m.p50),
    p99: ms(m.p99),
    throughput: int(m.throughputPerS),
    peakThroughput: int(Math.max(0, ...rec.windows.map((x) => x.throughput))),
    staleReads: int(m.staleReads),
    lostWrites: int(m.lostWrites),
    conflicts: int(m.conflicts),
    cost: int(m.cost),
    budget: int(rec.budgetLimit),
    elections: int(m.elections),
    failovers: int(m.failovers),
    slowNodes: int(sig.slowNodes),
    floods: int(sig.floods),
    scaleUps: int(sig.scaleUps),
    scaleOuts: int(sig.scaleOuts),
    lbActions: int(sig.lbActions),
    rebalances: int(sig.rebalances),
    nodes: int(rec.nodes),
    regions: int(rec.regions),
    replicationFactor: int(n),
    followers: int(Math.max(0, n - 1)),
    n: int(n),
    r: int(r),
    w: int(w),
    rw: int(r + w),
    quorumNeed: int(Math.max(r, w)),
    shardCount: int(s.shardCount),
    loadBalancing: LOAD_BALANCING_WORDS[s.loadBalancing],
    failoverTimeout: ms(s.failoverTimeoutMs),
    fencing: s.fencing ? 'on' : 'off',
    electionRule: s.election === 'majority' ? 'needed a majority of votes' : 'did not need a majority',
    syncMode: s.syncReplication || s.replication === 'leaderless' ? 'before the write was confirmed' : 'after the write was confirmed',
    consistencyRecipe: consistencyRecipe(s),
  };
  // Counts that make no sentence at zero ("refused 0 requests", "clocks jumped 0 times") are
  // left out, and the sentences that name them with them.
  const some = (name: string, x: number) => {
    if (x > 0) f[name] = int(x);
  };
  some('refused', m.refusedNoQuorum);
  some('servedWithoutQuorum', m.servedWithoutQuorum);
  some('crashes', sig.crashes);
  some('diskLosses', sig.diskLosses);
  some('clockSkews', sig.clockSkews);
  some('restarts', sig.restarts);
  const wipedMost = (rec.shardLosses ?? []).filter((l) => l.majority);
  if (wipedMost.length > 0) {
    f.shardLoss = shardLossesText(wipedMost, clockTime);
    f.majorityCopies = int(majority(n));
  }
  if (m.divergence > 0) f.divergedKeys = percent(m.divergence);
  if (spans.length > 0) {
    f.partitions = int(spans.length);
    f.partitionSeconds = one(sig.partitionMs / 1000);
    f.failedDuringPartition = int(sig.failedDuringPartition);
    f.staleDuringPartition = int(sig.staleDuringPartition);
    if (during.requests > 0) f.availabilityDuringPartition = percent(during.ok / during.requests);
    if (outside.requests > 0) f.ninesOutside = one(ninesOf(outside.ok / outside.requests));
  }
  const worst = worstWindow(rec);
  if (worst !== null && worst.ok < worst.requests) {
    f.worstWindowAt = clockTime(worst.start);
    f.worstWindowAvailability = percent(worst.ok / worst.requests);
  }
  const surge = rec.events.find((e) => e.kind === 'load-surge');
  if (surge !== undefined) {
    const len = surge.durationMs ?? 10_000;
    const before = windowsBetween(rec, surge.t - len, surge.t);
    const inside = windowsBetween(rec, surge.t, surge.t + len);
    if (before.count > 0 && inside.count > 0) {
      f.throughputBefore = int(before.throughput / before.count);
      f.throughputDuring = int(inside.throughput / inside.count);
      f.p99Before = ms(before.p99Max);
      f.p99During = ms(inside.p99Max);
    }
  }
  return f;
}

// ---------------------------------------------------------------------------------------
// Which cards, and which variant of each

type Rule = (sig: Signals, rec: RoundRecord) => { score: number; variant: string } | null;

const RULES: Record<ConceptId, Rule> = {
  cap(sig, rec) {
    if (sig.partitions === 0) return null;
    const refused = rec.summary.refusedNoQuorum;
    const served = rec.summary.servedWithoutQuorum;
    // A team that set nodes to serve, where no request met a cut-off node, chose nothing yet.
    const triedServe = (rec.used?.stance ?? []).includes('serve') || rec.settings.stance === 'serve';
    if (refused === 0 && served === 0 && triedServe) return { score: 10, variant: 'quiet' };
    const variant = refused > 0 && served > 0 ? (refused >= 4 * served ? 'cp' : served >= 4 * refused ? 'ap' : 'mixed') : served > 0 ? 'ap' : 'cp';
    return { score: 10, variant };
  },
  'strong-consistency'(sig, rec) {
    const needsIt = rec.sla.maxStaleReads === 0;
    if (!needsIt && !sig.strong) return null;
    if (rec.summary.staleReads > 0 && needsIt) return { score: 9, variant: 'broken' };
    if (sig.strong) return { score: sig.partitions > 0 ? 7 : 4, variant: 'kept' };
    return null;
  },
  'eventual-consistency'(sig, rec) {
    if (sig.strong && rec.summary.staleReads === 0) return null;
    if (rec.summary.staleReads > 0) return { score: rec.sla.maxStaleReads === 0 ? 6 : 8, variant: 'stale' };
    return { score: 3, variant: 'converged' };
  },
  'weak-consistency'(sig, rec) {
    const s = rec.settings;
    const minimal = s.replication === 'leaderless' ? s.readQuorum === 'one' && s.writeQuorum === 'one' : !s.syncReplication && s.readFrom === 'any-replica';
    if (currentIdOf(rec.scenario) !== 'telemetry' && !(minimal && rec.summary.lostWrites > 0)) return null;
    return { score: 6, variant: rec.summary.lostWrites > 0 ? 'loss' : 'fast' };
  },
  nines(sig) {
    return { score: sig.slaMet ? 4 : 8, variant: sig.slaMet ? 'met' : 'missed' };
  },
  'active-active'(sig, rec) {
    if (rec.settings.replication === 'leaderless') return { score: 5, variant: 'leaderless' };
    if (rec.regions > 1) return { score: 3, variant: 'regions' };
    return null;
  },
  'active-passive'(sig, rec) {
    if (rec.settings.replication !== 'leader-follower') return null;
    return sig.crashes > 0 || rec.summary.failovers > 0 ? { score: 6, variant: 'failover' } : { score: 2, variant: 'calm' };
  },
  failover(sig, rec) {
    if (rec.summary.failovers === 0 && sig.crashes === 0) return null;
    return { score: rec.summary.failovers > 0 ? 7 : 5, variant: 'happened' };
  },
  replication(sig, rec) {
    // Most of a shard's copies wiped under majority replication: no protocol keeps those writes.
    if (sig.strong && rec.settings.replication === 'leader-follower' && (rec.shardLosses ?? []).some((l) => l.majority)) return { score: 9, variant: 'copies-lost' };
    if (sig.diskLosses > 0) return { score: rec.summary.lostWrites > 0 ? 9 : 6, variant: rec.summary.lostWrites > 0 ? 'lost' : 'safe' };
    if (rec.summary.lostWrites > 0) return { score: 6, variant: 'general' };
    return { score: 1, variant: 'general' };
  },
  sharding(sig) {
    if (sig.hotKeys > 0) return { score: 7, variant: 'hot' };
    if (sig.rebalances > 0) return { score: 5, variant: 'rebalanced' };
    return { score: 1, variant: 'general' };
  },
  'load-balancing'(sig) {
    if (sig.slowNodes + sig.floods + sig.lbActions === 0) return null;
    return { score: 4 + Math.min(3, sig.slowNodes + sig.floods), variant: 'trouble' };
  },
  'latency-throughput'(sig, rec) {
    if (sig.surges > 0) return { score: 7, variant: 'surge' };
    if (rec.summary.p99 > rec.sla.p99Ms || sig.latencySpikes > 0) return { score: 6, variant: 'general' };
    return { score: 2, variant: 'general' };
  },
  'performance-scalability'(sig, rec) {
    if (sig.scaleUps + sig.scaleOuts > 0) return { score: 6, variant: 'scaled' };
    if (rec.summary.p99 > rec.sla.p99Ms) return { score: 5, variant: 'strained' };
    return null;
  },
  quorum(sig, rec) {
    const s = rec.settings;
    if (s.replication !== 'leaderless') return null;
    const variant = s.hintedHandoff ? 'sloppy' : sig.quorumOverlap ? 'overlap' : 'no-overlap';
    return { score: sig.partitions > 0 || rec.summary.staleReads > 0 ? 8 : 5, variant };
  },
  'split-brain'(sig, rec) {
    const s = rec.settings;
    if (s.replication !== 'leader-follower' || sig.partitions === 0) return null;
    const unsafe = s.election === 'no-quorum' || !s.fencing;
    return { score: unsafe ? 8 : 5, variant: unsafe ? 'unsafe' : 'safe' };
  },
  conflicts(sig, rec) {
    const s = rec.settings;
    if (rec.summary.conflicts === 0 && sig.clockSkews === 0 && currentIdOf(rec.scenario) !== 'cart') return null;
    return { score: rec.summary.conflicts > 0 ? 7 : 4, variant: s.conflictResolution === 'version-vectors' ? 'vv' : 'lww' };
  },
};

/** Concepts each scenario sets out to teach get a nudge up the list. */
const SCENARIO_FOCUS: Partial<Record<ScenarioId, ConceptId[]>> = {
  tutorial: ['nines', 'replication', 'failover', 'cap'],
  bank: ['strong-consistency', 'cap', 'quorum'],
  inventory: ['strong-consistency', 'sharding'],
  feed: ['eventual-consistency', 'cap'],
  cart: ['conflicts', 'quorum'],
  telemetry: ['weak-consistency', 'latency-throughput'],
  chat: ['active-active', 'latency-throughput'],
};

// ---------------------------------------------------------------------------------------
// Helpers

interface Span {
  start: number;
  end: number;
}

/** Partition intervals from partition and heal events (an unhealed one lasts to the end). */
export function partitionSpans(rec: RoundRecord): Span[] {
  const out: Span[] = [];
  let open: number | null = null;
  const sorted = [...rec.events].sort((a, b) => a.t - b.t);
  for (const e of sorted) {
    if (e.kind === 'partition-region' || e.kind === 'partition-random') {
      // A new partition replaces the one before it.
      if (open !== null) out.push({ start: open, end: e.t });
      open = e.t;
    } else if (e.kind === 'heal' && open !== null) {
      out.push({ start: open, end: e.t });
      open = null;
    }
  }
  if (open !== null) out.push({ start: open, end: Math.max(open, rec.durationMs) });
  return out;
}

interface Tally {
  requests: number;
  ok: number;
  staleReads: number;
}

/** Totals over windows that overlap any span by at least half a window. */
function windowsIn(rec: RoundRecord, spans: Span[]): Tally {
  const t: Tally = { requests: 0, ok: 0, staleReads: 0 };
  for (const w of rec.windows) {
    if (!spans.some((s) => overlap(w.start, w.start + rec.windowMs, s) * 2 >= rec.windowMs)) continue;
    t.requests += w.requests;
    t.ok += w.ok;
    t.staleReads += w.staleReads;
  }
  return t;
}

function windowsOutside(rec: RoundRecord, spans: Span[]): Tally {
  const t: Tally = { requests: 0, ok: 0, staleReads: 0 };
  for (const w of rec.windows) {
    if (spans.some((s) => overlap(w.start, w.start + rec.windowMs, s) > 0)) continue;
    t.requests += w.requests;
    t.ok += w.ok;
    t.staleReads += w.staleReads;
  }
  return t;
}

function windowsBetween(rec: RoundRecord, from: number, to: number): { count: number; throughput: number; p99Max: number } {
  let count = 0;
  let throughput = 0;
  let p99Max = 0;
  for (const w of rec.windows) {
    if (w.start < from || w.start >= to || w.requests === 0) continue;
    count++;
    throughput += w.throughput;
    if (w.p99 > p99Max) p99Max = w.p99;
  }
  return { count, throughput, p99Max };
}

function overlap(a: number, b: number, s: Span): number {
  return Math.max(0, Math.min(b, s.end) - Math.max(a, s.start));
}

export function worstWindow(rec: RoundRecord): WindowPoint | null {
  let worst: WindowPoint | null = null;
  for (const w of rec.windows) {
    if (w.requests === 0) continue;
    if (worst === null || w.ok / w.requests < worst.ok / worst.requests) worst = w;
  }
  return worst;
}

/** Reads from the windows when they carry them, else from the scenario's read/write mix. */
function readsEstimate(rec: RoundRecord): number {
  if (rec.windows.length > 0 && rec.windows.every((w) => w.reads !== undefined)) {
    let reads = 0;
    for (const w of rec.windows) reads += w.reads ?? 0;
    return reads;
  }
  const sc = runnableScenario(rec.scenario);
  return Math.round(rec.summary.requests * (sc?.workload.readFraction ?? 0.7));
}

/** A share as a percentage with enough decimals to show its nines: 99.95%, 99.2%, 50%. */
export function percent(x: number): string {
  if (!(x > 0)) return '0%';
  if (x >= 1) return '100%';
  const decimals = Math.min(4, Math.max(1, Math.floor(-log10(1 - x))));
  let s = trimZeros((x * 100).toFixed(decimals));
  // Rounded up to 100, it would hide that some requests failed.
  if (s === '100') s = trimZeros((x * 100).toFixed(6));
  return `${s}%`;
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/** The words' number format, kept beside ms and percent, where the screens take them from. */
export { int };

export function ms(x: number): string {
  if (!(x > 0)) return '0 ms';
  if (x >= 10_000) return `${(x / 1000).toFixed(0)} s`;
  if (x >= 1000) return `${(x / 1000).toFixed(1)} s`;
  if (x >= 10) return `${Math.round(x)} ms`;
  return `${x.toFixed(1)} ms`;
}


function one(x: number): string {
  return x.toFixed(1);
}

/** m:ss since the round began. */
export function clockTime(t: number): string {
  const s = Math.max(0, Math.floor(t / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
