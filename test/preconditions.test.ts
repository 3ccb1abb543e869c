// The preconditions of commands (shared/sim/preconditions.ts): each refusal with its code,
// and the simulation refusing exactly what blocked() names, with the same code and words.

import { describe, expect, it } from 'vitest';
import type { Command } from '../shared/scenarios/command-types.js';
import { applyCommand } from '../shared/sim/commands.js';
import { advance, createSim } from '../shared/sim/engine.js';
import { restore, snapshot } from '../shared/sim/summary.js';
import { blocked, simFacts, type CommandFacts } from '../shared/sim/preconditions.js';
import { getScenario } from '../shared/scenarios/index.js';
import { MAX_NODES } from '../shared/scenarios/types.js';

const bank = getScenario('bank')!;

function facts(over: Partial<CommandFacts> = {}): CommandFacts {
  return {
    finished: false,
    settings: { ...bank.presets.cp },
    regions: 3,
    nodes: [0, 1, 2, 3, 4].map((id) => ({ id, status: 'up' as const, size: 1 })),
    removing: [],
    rebalancing: false,
    cost: 0,
    budget: { limit: 1000, maxNodes: 9 },
    ...over,
  };
}

const leaderless = { ...bank.presets.cp, replication: 'leaderless' as const };
const restarting = facts({ nodes: [{ id: 0, status: 'recovering', size: 1 }, { id: 1, status: 'down', size: 4 }, { id: 2, status: 'removed', size: 1 }] });

describe('blocked: each refusal, its code and its words', () => {
  it.each<[string, Command, CommandFacts, string, string]>([
    ['the round is over', { type: 'drain', node: 0 }, facts({ finished: true }), 'phase', 'the round is over'],
    ['no such region', { type: 'scale-out', region: 3 }, facts(), 'invalid', 'there is no region 3'],
    ['the most nodes allowed', { type: 'scale-out', region: 0 }, facts({ budget: { limit: 1000, maxNodes: 5 } }), 'budget', 'the cluster already has the most nodes allowed (5)'],
    ['no node slots', { type: 'scale-out', region: 0 }, facts({ nodes: Array.from({ length: MAX_NODES }, (_, id) => ({ id, status: id < 5 ? 'up' : 'removed', size: 1 })) }), 'budget', 'no more node slots'],
    ['budget spent (scale-out)', { type: 'scale-out', region: 0 }, facts({ cost: 1000 }), 'budget', 'the budget is spent'],
    ['rebalancing (scale-out)', { type: 'scale-out', region: 0 }, facts({ rebalancing: true }), 'rebalancing', 'a rebalance is already under way'],
    ['unknown node', { type: 'restart', node: 7 }, facts(), 'unknown-node', 'there is no node 7'],
    ['removed node', { type: 'restart', node: 2 }, restarting, 'unknown-node', 'there is no node 2'],
    ['already starting', { type: 'restart', node: 0 }, restarting, 'node-state', 'node 0 is already starting'],
    ['largest size', { type: 'scale-up', node: 1 }, restarting, 'node-state', 'node 1 is already the largest size'],
    ['budget spent (scale-up)', { type: 'scale-up', node: 0 }, facts({ cost: 1001 }), 'budget', 'the budget is spent'],
    ['the last node', { type: 'remove', node: 0 }, facts({ removing: [1, 2, 3, 4] }), 'node-state', 'the last node cannot be removed'],
    ['rebalancing (remove)', { type: 'remove', node: 0 }, facts({ rebalancing: true }), 'rebalancing', 'a rebalance is already under way'],
    ['promote, leaderless', { type: 'promote', node: 0 }, facts({ settings: leaderless }), 'invalid', 'leaderless replication has no leaders to promote'],
    ['promote, not up', { type: 'promote', node: 1 }, restarting, 'node-state', 'node 1 is not up'],
    ['demote, leaderless', { type: 'demote', node: 0 }, facts({ settings: leaderless }), 'invalid', 'leaderless replication has no leaders to demote'],
    ['repair, not up', { type: 'repair', node: 0 }, restarting, 'node-state', 'node 0 is not up'],
    ['replication factor', { type: 'configure', settings: { replicationFactor: 5 } }, facts({ removing: [4] }), 'invalid', 'a replication factor of 5 needs at least that many nodes (the cluster has 4)'],
    ['rebalancing (configure)', { type: 'configure', settings: { shardCount: 7 } }, facts({ rebalancing: true }), 'rebalancing', 'a rebalance is already under way'],
  ])('%s', (_what, cmd, f, code, error) => {
    const r = blocked(cmd, f);
    expect(r).toMatchObject({ code, error });
    expect(r!.short.length).toBeGreaterThan(0);
    expect(r!.short.length).toBeLessThanOrEqual(error.length);
  });

  it('lets through what nothing stands in the way of', () => {
    const f = facts();
    const ok: Command[] = [
      { type: 'restart', node: 0 }, { type: 'replace', node: 1 }, { type: 'scale-up', node: 0 }, { type: 'scale-out', region: 2 },
      { type: 'drain', node: 0 }, { type: 'undrain', node: 0 }, { type: 'remove', node: 4 }, { type: 'promote', node: 0 },
      { type: 'demote', node: 0 }, { type: 'repair', node: 0 }, { type: 'stance', node: 0, stance: 'serve' }, { type: 'rate-limit', node: 3 },
      { type: 'configure', settings: { replicationFactor: 5, readRepair: true } },
      { type: 'chaos', kind: 'crash', target: 3, durationMs: 1000, magnitude: 0 },
    ];
    for (const cmd of ok) expect(blocked(cmd, f), JSON.stringify(cmd)).toBeNull();
    // A setting that moves no data may change during a rebalance.
    expect(blocked({ type: 'configure', settings: { readRepair: true } }, facts({ rebalancing: true }))).toBeNull();
    expect(blocked({ type: 'configure', settings: { shardCount: bank.presets.cp.shardCount } }, facts({ rebalancing: true }))).toBeNull();
  });
});

describe('applyCommand refuses what blocked() names, with its code', () => {
  it('agrees with blocked() on every command, through a round with a rebalance, a crash and a spent budget', () => {
    const sim = createSim({ scenario: 'bank', preset: 'cp', chaos: 'none', seed: 3, durationMs: 60_000, recordHistory: false });
    advance(sim, 1000);
    const commands = (): Command[] => [
      ...sim.S.nodes.flatMap((n): Command[] => (['restart', 'scale-up', 'remove', 'promote', 'demote', 'repair', 'drain'] as const).map((type) => ({ type, node: n.id }))),
      { type: 'restart', node: sim.S.nodes.length },
      { type: 'scale-out', region: 0 },
      { type: 'scale-out', region: 9 },
      { type: 'configure', settings: { replicationFactor: 5 } },
      { type: 'configure', settings: { shardCount: 3 } },
    ];
    let refusals = 0;
    const check = () => {
      const snap = snapshot(sim);
      for (const cmd of commands()) {
        const before = blocked(cmd, simFacts(sim.S, sim.sc));
        // Only what is refused leaves the state as it was; try each on a copy of the round.
        const trial = restore(snap, sim.sc);
        const r = applyCommand(trial, cmd);
        if (before === null) {
          if (!r.ok) expect(cmd.type, r.error).toBe('promote');
          continue;
        }
        refusals++;
        expect(r).toEqual({ ok: false, code: before.code, error: before.error });
      }
    };
    check();
    expect(applyCommand(sim, { type: 'scale-out', region: 1 }).ok).toBe(true);
    applyCommand(sim, { type: 'chaos', kind: 'crash', target: 0, durationMs: 30_000, magnitude: 0 });
    check();
    sim.S.cost = sim.sc.budget.limit;
    check();
    sim.S.finished = true;
    check();
    expect(refusals).toBeGreaterThan(20);
  });
});
