import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CHAOS_KINDS, CHAOS_LEVELS } from '../shared/scenarios/chaos-types.js';
import {
  BOOLEAN_SETTINGS,
  levelCount,
  SETTING_BOUNDS,
  SETTING_CHOICES,
  type ClusterSettings,
} from '../shared/scenarios/settings.js';
import { getScenario, isScenarioId, resolvePreset, SCENARIO_IDS, SCENARIOS } from '../shared/scenarios/index.js';
import { MAX_NODES, type Scenario } from '../shared/scenarios/types.js';
import type { CommandType } from '../shared/protocol/commands.js';

const ALL_IDS = ['tutorial', 'bank', 'inventory', 'feed', 'cart', 'telemetry', 'chat'] as const;

// Every command type a tutorial step may wait for: the CommandType union, spelled out as a
// record so the build fails when a command is added or renamed, and a step naming a command
// that does not exist fails here (scenarios sit below the command types and cannot check it).
const COMMAND_TYPES: ReadonlySet<string> = new Set(Object.keys({
  'configure': true,
  'restart': true,
  'replace': true,
  'scale-up': true,
  'drain': true,
  'undrain': true,
  'remove': true,
  'promote': true,
  'demote': true,
  'repair': true,
  'stance': true,
  'scale-out': true,
  'rate-limit': true,
  'chaos': true,
} satisfies Record<CommandType, true>));

// Every ClusterSettings field, so a preset that forgets one (or invents one) is caught.
const SETTING_FIELDS: (keyof ClusterSettings)[] = [
  'replication',
  'replicationFactor',
  'readQuorum',
  'writeQuorum',
  'syncReplication',
  'readFrom',
  'election',
  'shardCount',
  'loadBalancing',
  'conflictResolution',
  'antiEntropyMs',
  'failoverTimeoutMs',
  'fencing',
  'hintedHandoff',
  'readRepair',
  'stance',
  'placement',
];

const scenarios = SCENARIO_IDS.map((id) => SCENARIOS[id]);

function startingNodes(s: Scenario): number {
  return s.topology.nodesPerRegion.reduce((a, b) => a + b, 0);
}

/**
 * Service slots one client op costs under a preset, by the simulation's rule that a client
 * request and every replica's apply each take a slot: reads cost one slot from the leader
 * (or any replica) or R slots leaderless; writes cost one slot on each of the RF replicas.
 */
function slotsPerOp(s: Scenario, preset: string): number {
  const p = s.presets[preset]!;
  const read = p.replication === 'leader-follower' ? 1 : levelCount(p.readQuorum, p.replicationFactor);
  return s.workload.readFraction * read + (1 - s.workload.readFraction) * p.replicationFactor;
}

/** The share of the starting cluster's service slots a request rate takes under a preset. */
function utilisation(s: Scenario, preset: string, rate: number): number {
  return (rate * slotsPerOp(s, preset)) / (startingNodes(s) * s.topology.nodeCapacity);
}

/** Every sentence of the seed notes, split the way prose and markdown split them. */
function seedSentences(text: string): string[] {
  return text
    .split(/\n+|(?<=[.!?])\s+/)
    .map((line) => line.replace(/^[#>*\-\s]+/, '').trim())
    .filter((sentence) => sentence.length > 30);
}

/** All prose a player reads from a scenario. */
function shownText(s: Scenario): string[] {
  return [s.title, s.briefing, ...s.teaches, ...(s.tutorial ?? []).map((step) => step.prompt)];
}

describe('scenario catalogue', () => {
  it('has exactly the seven scenarios, each under its own id', () => {
    expect([...SCENARIO_IDS].sort()).toEqual([...ALL_IDS].sort());
    expect(Object.keys(SCENARIOS).sort()).toEqual([...ALL_IDS].sort());
    for (const id of ALL_IDS) {
      expect(SCENARIOS[id].id).toBe(id);
      expect(getScenario(id)).toBe(SCENARIOS[id]);
      expect(isScenarioId(id)).toBe(true);
    }
  });

  it('returns undefined for unknown and inherited ids instead of throwing', () => {
    for (const id of ['constructor', '__proto__', 'toString', 'hasOwnProperty', '', 'Bank', 'nope']) {
      expect(getScenario(id)).toBeUndefined();
      expect(isScenarioId(id)).toBe(false);
    }
    expect(isScenarioId(undefined)).toBe(false);
    expect(isScenarioId(42)).toBe(false);
  });

  it('resolves presets as fresh copies and refuses unknown names', () => {
    const bank = SCENARIOS.bank;
    const cp = resolvePreset(bank, 'cp');
    expect(cp).toEqual(bank.presets.cp);
    expect(cp).not.toBe(bank.presets.cp);
    cp!.replicationFactor = 1;
    expect(bank.presets.cp.replicationFactor).toBe(3);
    for (const name of ['constructor', '__proto__', 'toString', 'nope', '']) {
      expect(resolvePreset(bank, name)).toBeUndefined();
    }
  });

  it('is frozen, so one round cannot change another round’s scenario', () => {
    expect(Object.isFrozen(SCENARIOS)).toBe(true);
    expect(Object.isFrozen(SCENARIOS.bank.workload)).toBe(true);
    expect(Object.isFrozen(SCENARIOS.feed.topology.crossRegionMs[0])).toBe(true);
    expect(Object.isFrozen(SCENARIOS.cart.presets['version-vectors'])).toBe(true);
  });
});

describe.each(scenarios.map((s) => [s.id, s] as const))('scenario %s', (_id, s) => {
  it('has a title, a 2–4 sentence briefing and concepts to teach', () => {
    expect(s.title.length).toBeGreaterThan(0);
    const sentences = s.briefing.split(/(?<=[.!?])\s+/).filter((x) => x.trim().length > 0);
    expect(sentences.length).toBeGreaterThanOrEqual(2);
    expect(sentences.length).toBeLessThanOrEqual(4);
    expect(s.teaches.length).toBeGreaterThan(0);
    for (const concept of s.teaches) expect(concept.trim().length).toBeGreaterThan(0);
  });

  it('tells the customer\'s story without the promise\'s numbers (the promise line adds them, as played)', () => {
    // Numbers written into the prose go stale when the SLA is recalibrated or a difficulty scales it.
    expect(s.briefing).not.toMatch(/\d/);
    expect(s.briefing).not.toMatch(/%|\bms\b|\bp99\b/);
  });

  it('has an SLA within sensible bounds', () => {
    expect(s.sla.availability).toBeGreaterThan(0.9);
    expect(s.sla.availability).toBeLessThan(1);
    expect(s.sla.p99Ms).toBeGreaterThan(0);
    expect(s.sla.maxStaleReads).toBeGreaterThanOrEqual(0);
    expect(s.sla.maxLostWrites).toBeGreaterThanOrEqual(0);
  });

  it('has a consistent topology', () => {
    const t = s.topology;
    const regions = t.regions.length;
    expect(regions).toBeGreaterThanOrEqual(1);
    expect(regions).toBeLessThanOrEqual(3);
    expect(new Set(t.regions.map((r) => r.id)).size).toBe(regions);
    for (const r of t.regions) expect(r.name.length).toBeGreaterThan(0);
    expect(t.nodesPerRegion).toHaveLength(regions);
    for (const n of t.nodesPerRegion) {
      expect(Number.isInteger(n)).toBe(true);
      expect(n).toBeGreaterThanOrEqual(1);
    }
    expect(startingNodes(s)).toBeGreaterThanOrEqual(3);
    expect(startingNodes(s)).toBeLessThanOrEqual(15);
    // How much a node serves is the scenario's to tune against its workload (the load test
    // below relates the two); here it only has to be a whole, positive rate.
    expect(Number.isInteger(t.nodeCapacity)).toBe(true);
    expect(t.nodeCapacity).toBeGreaterThan(0);
    expect(t.intraRegionMs[0]).toBeGreaterThan(0);
    expect(t.intraRegionMs[0]).toBeLessThanOrEqual(t.intraRegionMs[1]);
    expect(t.intraRegionMs[1]).toBeLessThanOrEqual(5);
    expect(t.crossRegionMs).toHaveLength(regions);
    for (let i = 0; i < regions; i++) {
      expect(t.crossRegionMs[i]).toHaveLength(regions);
      expect(t.crossRegionMs[i]![i]).toBe(0);
      for (let j = 0; j < regions; j++) {
        expect(t.crossRegionMs[i]![j]).toBe(t.crossRegionMs[j]![i]);
        if (i !== j) {
          expect(t.crossRegionMs[i]![j]).toBeGreaterThanOrEqual(40);
          expect(t.crossRegionMs[i]![j]).toBeLessThanOrEqual(150);
        }
      }
    }
    expect(t.jitterMs).toBeGreaterThanOrEqual(0);
    expect(t.loss).toBeGreaterThanOrEqual(0);
    expect(t.loss).toBeLessThan(0.01);
  });

  it('has a consistent workload', () => {
    const w = s.workload;
    expect(Number.isInteger(w.keys)).toBe(true);
    expect(w.keys).toBeGreaterThan(0);
    expect(w.keyPrefix).toMatch(/^[a-z]+$/);
    expect(w.readFraction).toBeGreaterThanOrEqual(0);
    expect(w.readFraction).toBeLessThanOrEqual(1);
    expect(Number.isInteger(w.hotKeys)).toBe(true);
    expect(w.hotKeys).toBeGreaterThanOrEqual(0);
    expect(w.hotKeys).toBeLessThanOrEqual(w.keys);
    expect(w.hotFraction).toBeGreaterThanOrEqual(0);
    expect(w.hotFraction).toBeLessThanOrEqual(1);
    expect(w.startRate).toBeGreaterThan(0);
    expect(w.endRate).toBeGreaterThanOrEqual(w.startRate);
    expect(Number.isInteger(w.clientsPerRegion)).toBe(true);
    expect(w.clientsPerRegion).toBeGreaterThan(0);
    expect(w.timeoutMs).toBeGreaterThan(0);
    expect(w.regionWeights).toHaveLength(s.topology.regions.length);
    for (const weight of w.regionWeights) expect(weight).toBeGreaterThan(0);
    expect(w.regionWeights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  });

  it('names a recommended and a worst architecture: existing presets, and different ones', () => {
    expect(resolvePreset(s, s.recommended), s.recommended).toBeDefined();
    expect(resolvePreset(s, s.worst), s.worst).toBeDefined();
    expect(s.worst).not.toBe(s.recommended);
    expect(s.presets[s.worst]).not.toEqual(s.presets[s.recommended]);
  });

  it('leaves the starting cluster headroom at the end of the ramp with the recommended architecture', () => {
    // A fault-free cluster with the recommended preset keeps its promise without any action
    // (BALANCE.md): growing load becomes a problem only together with faults.
    const start = utilisation(s, s.recommended, s.workload.startRate);
    const end = utilisation(s, s.recommended, s.workload.endRate);
    expect(end).toBeGreaterThanOrEqual(start);
    expect(end).toBeLessThan(s.id === 'tutorial' ? 0.5 : 0.7);
  });

  it('has chaos profiles for every level', () => {
    expect(Object.keys(s.chaos).sort()).toEqual([...CHAOS_LEVELS].sort());
    expect(s.chaos.none.meanIntervalMs).toBe(0);
    for (const level of ['normal', 'heavy'] as const) {
      const p = s.chaos[level];
      expect(p.meanIntervalMs).toBeGreaterThan(0);
      expect(p.graceMs).toBeGreaterThanOrEqual(0);
      expect(p.graceMs).toBeLessThan(s.durationMs);
      expect(p.durationMs[0]).toBeGreaterThan(0);
      expect(p.durationMs[0]).toBeLessThanOrEqual(p.durationMs[1]);
      const entries = Object.entries(p.weights);
      expect(entries.length).toBeGreaterThan(0);
      for (const [kind, weight] of entries) {
        expect(CHAOS_KINDS as readonly string[]).toContain(kind);
        expect(weight).toBeGreaterThan(0);
        expect(Number.isFinite(weight)).toBe(true);
      }
    }
    // Heavy means more often and at least as long.
    expect(s.chaos.heavy.meanIntervalMs).toBeLessThan(s.chaos.normal.meanIntervalMs);
    expect(s.chaos.heavy.durationMs[1]).toBeGreaterThanOrEqual(s.chaos.normal.durationMs[1]);
  });

  it('has a budget of about 1.5× the starting cluster’s cost', () => {
    const startCost = startingNodes(s) * (s.durationMs / 1_000);
    expect(s.budget.limit / startCost).toBeGreaterThanOrEqual(1.3);
    expect(s.budget.limit / startCost).toBeLessThanOrEqual(1.7);
    expect(s.budget.maxNodes).toBeGreaterThanOrEqual(startingNodes(s));
    expect(s.budget.maxNodes).toBeLessThanOrEqual(MAX_NODES);
  });

  it('has non-negative scoring weights that sum to 1', () => {
    const weights = Object.values(s.scoring);
    expect(weights).toHaveLength(5);
    for (const weight of weights) expect(weight).toBeGreaterThanOrEqual(0);
    expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  });

  it('lasts 3–8 minutes (the tutorial may be shorter)', () => {
    expect(s.durationMs).toBeLessThanOrEqual(480_000);
    expect(s.durationMs).toBeGreaterThanOrEqual(s.id === 'tutorial' ? 60_000 : 180_000);
  });

  it('has valid, complete presets', () => {
    expect(s.presets.cp).toBeDefined();
    expect(s.presets.ap).toBeDefined();
    for (const [name, p] of Object.entries(s.presets)) {
      expect(Object.keys(p).sort(), name).toEqual([...SETTING_FIELDS].sort());
      for (const [field, bounds] of Object.entries(SETTING_BOUNDS)) {
        const value = p[field as keyof typeof SETTING_BOUNDS];
        expect(Number.isInteger(value), `${name}.${field}`).toBe(true);
        expect(value, `${name}.${field}`).toBeGreaterThanOrEqual(bounds.min);
        expect(value, `${name}.${field}`).toBeLessThanOrEqual(bounds.max);
      }
      for (const [field, choices] of Object.entries(SETTING_CHOICES)) {
        expect(choices as readonly string[], `${name}.${field}`).toContain(p[field as keyof typeof SETTING_CHOICES]);
      }
      for (const field of BOOLEAN_SETTINGS) expect(typeof p[field], `${name}.${field}`).toBe('boolean');
      expect(p.replicationFactor, name).toBeLessThanOrEqual(startingNodes(s));
    }
  });

  it('has a cp preset that puts consistency first', () => {
    const p = s.presets.cp;
    expect(p.stance).toBe('refuse');
    expect(p.hintedHandoff).toBe(false);
    expect(p.readRepair).toBe(true);
    expect(p.replicationFactor).toBeGreaterThanOrEqual(3);
    if (p.replication === 'leader-follower') {
      expect(p.syncReplication).toBe(true);
      expect(p.readFrom).toBe('leader');
      expect(p.election).toBe('majority');
      expect(p.fencing).toBe(true);
      expect(['health-checked', 'region-aware']).toContain(p.loadBalancing);
    } else {
      // R + W > N: every read quorum meets every write quorum.
      const n = p.replicationFactor;
      expect(levelCount(p.readQuorum, n) + levelCount(p.writeQuorum, n)).toBeGreaterThan(n);
    }
  });

  it('has an ap preset that puts availability first', () => {
    const p = s.presets.ap;
    expect(p.stance).toBe('serve');
    if (p.replication === 'leader-follower') {
      expect(p.syncReplication).toBe(false);
      expect(p.readFrom).toBe('any-replica');
      expect(p.election).toBe('no-quorum');
      expect(p.fencing).toBe(false);
    } else {
      expect(p.readQuorum).toBe('one');
      expect(p.writeQuorum).toBe('one');
      expect(p.hintedHandoff).toBe(true);
    }
  });

  it('writes its own words, never a sentence of the seed notes', () => {
    const seed = new URL('../../shared/seed/distributed-systems-notes.md', import.meta.url);
    const path = fileURLToPath(seed);
    if (!existsSync(path)) return; // the kit is not beside this checkout: nothing to compare with
    const sentences = seedSentences(readFileSync(path, 'utf8'));
    expect(sentences.length).toBeGreaterThan(10);
    for (const text of shownText(s)) {
      for (const sentence of sentences) expect(text, sentence).not.toContain(sentence);
    }
  });
});

describe('scenario themes', () => {
  it('keeps the tutorial tiny and one concept a step', () => {
    const t = SCENARIOS.tutorial;
    expect(startingNodes(t)).toBe(3);
    expect(t.topology.regions).toHaveLength(1);
    const steps = t.tutorial ?? [];
    expect(steps.length).toBeGreaterThanOrEqual(6);
    expect(new Set(steps.map((step) => step.id)).size).toBe(steps.length);
    for (const step of steps) {
      expect(step.prompt.length).toBeGreaterThan(0);
      expect(step.expects === 'observe' || COMMAND_TYPES.has(step.expects), step.id).toBe(true);
    }
    const expects = steps.map((step) => step.expects);
    for (const needed of ['restart', 'stance', 'configure']) expect(expects).toContain(needed);
    for (const s of scenarios) if (s.id !== 'tutorial') expect(s.tutorial).toBeUndefined();
  });

  it('gives the bank zero tolerance for stale reads and lost writes', () => {
    const b = SCENARIOS.bank;
    expect(b.sla.maxStaleReads).toBe(0);
    expect(b.sla.maxLostWrites).toBe(0);
    expect(b.workload.keys).toBe(1_000);
    expect(b.workload.keyPrefix).toBe('acct');
    // The right number first: a wrong or lost balance weighs more than a refused request.
    expect(b.scoring.consistency + b.scoring.durability).toBeGreaterThan(b.scoring.availability);
    expect(b.scoring.durability).toBeGreaterThan(b.scoring.latency);
    expect(Object.keys(b.chaos.heavy.weights)).toContain('crash-disk-loss');
  });

  it('makes telemetry write-heavy and weakly consistent', () => {
    const t = SCENARIOS.telemetry;
    expect(t.workload.readFraction).toBeLessThanOrEqual(0.2);
    // The busiest in items (readings): a simulated request carries a batch of them.
    const items = (s: Scenario) => s.workload.endRate * (s.workload.batch?.size ?? 1);
    for (const s of scenarios) if (s.id !== 'telemetry') expect(items(t)).toBeGreaterThan(items(s));
    expect(t.workload.batch).toEqual({ size: 4, items: 'readings' });
    expect(t.briefing).toContain('four readings');
    expect(t.presets.ap.replication).toBe('leaderless');
    expect(t.presets.ap.syncReplication).toBe(false);
    expect(t.scoring.cost).toBeGreaterThan(t.scoring.consistency);
  });

  it('makes the feed read-heavy, worldwide and convergent', () => {
    const f = SCENARIOS.feed;
    expect(f.workload.readFraction).toBeGreaterThanOrEqual(0.85);
    expect(f.topology.regions).toHaveLength(3);
    expect(f.presets.ap.replication).toBe('leaderless');
    expect(f.presets.ap.readRepair).toBe(true);
    expect(f.presets.ap.antiEntropyMs).toBeGreaterThan(0);
    expect(f.presets.ap.antiEntropyMs).toBeLessThanOrEqual(5_000);
  });

  it('gives the cart a version-vectors preset and last-write-wins for ap', () => {
    const c = SCENARIOS.cart;
    const vv = resolvePreset(c, 'version-vectors');
    expect(vv?.replication).toBe('leaderless');
    expect(vv?.conflictResolution).toBe('version-vectors');
    expect(c.presets.ap.conflictResolution).toBe('last-write-wins');
    expect(c.sla.maxLostWrites).toBe(0);
    expect(c.workload.hotKeys).toBeGreaterThan(0);
  });

  it('spreads chat over three continents with region-aware routing', () => {
    const c = SCENARIOS.chat;
    expect(c.topology.regions).toHaveLength(3);
    for (const row of c.topology.crossRegionMs) for (const ms of row) if (ms !== 0) expect(ms).toBeGreaterThanOrEqual(70);
    expect(c.presets.cp.loadBalancing).toBe('region-aware');
    expect(c.presets.ap.loadBalancing).toBe('region-aware');
  });

  it('gives the flash sale hot keys that fit their shard leaders until a fault strikes', () => {
    const inv = SCENARIOS.inventory;
    const w = inv.workload;
    // The hot products are hot: each draws far more traffic than an ordinary one.
    expect(w.hotFraction / w.hotKeys).toBeGreaterThan((10 * (1 - w.hotFraction)) / w.keys);
    // Spread over the recommended preset's shards, their traffic at the end of the ramp fits
    // on one leader: without a fault, a hot key alone is no emergency.
    const hotOpsPerShard = (w.endRate * w.hotFraction) / Math.min(w.hotKeys, inv.presets[inv.recommended]!.shardCount);
    expect(hotOpsPerShard).toBeLessThan(inv.topology.nodeCapacity);
    // The faults that make them one, a hot key and a surge, strike at every chaos level.
    for (const level of ['normal', 'heavy'] as const) {
      expect(inv.chaos[level].weights['hot-key'] ?? 0, level).toBeGreaterThan(0);
      expect(inv.chaos[level].weights['load-surge'] ?? 0, level).toBeGreaterThan(0);
    }
  });
});
