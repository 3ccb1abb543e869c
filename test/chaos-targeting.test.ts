// Chaos targeting (shared/sim/chaos.ts): which node, region or cut a chaos event's `target`
// number strikes, and the inverses that pick the target for a chosen node.

import { describe, expect, it } from 'vitest';
import { applyCommand } from '../shared/sim/commands.js';
import { cutIndices, cutSize, liveNodes, targetCutting, targetNode, targetOfNode, targetRegion } from '../shared/sim/chaos.js';
import { advance, createSim } from '../shared/sim/engine.js';
import { MAX_NODES } from '../shared/scenarios/types.js';

describe('chaos targeting', () => {
  it('a node fault strikes the target-th live node, wrapping; the inverse strikes the chosen one', () => {
    const live = [0, 2, 3, 7];
    expect([0, 1, 2, 3, 4, 9].map((t) => targetNode(live, t))).toEqual([0, 2, 3, 7, 0, 2]);
    expect(targetNode([], 5)).toBe(0);
    for (let count = 1; count <= MAX_NODES; count++) {
      const ids = Array.from({ length: count }, (_, i) => 2 * i);
      for (let index = 0; index < count; index++) expect(targetNode(ids, targetOfNode(count, index)!)).toBe(ids[index]);
      expect(targetOfNode(count, count)).toBeNull();
      expect(targetOfNode(count, -1)).toBeNull();
    }
  });

  it('a random partition cuts 1 + target mod ⌊n/2⌋ nodes in a row from ⌊target/7⌋, never all of two or more', () => {
    expect(cutIndices(5, 0)).toEqual([0]);
    expect(cutIndices(5, 7)).toEqual([1, 2]);
    expect(cutIndices(5, 14)).toEqual([2]);
    expect(cutIndices(5, 29)).toEqual([4, 0]);
    expect(cutIndices(1, 3)).toEqual([0]);
    expect(cutIndices(0, 3)).toEqual([]);
    for (let count = 2; count <= MAX_NODES; count++) {
      for (let target = 0; target < 1000; target++) {
        const cut = cutIndices(count, target);
        expect(cut).toHaveLength(cutSize(count, target));
        expect(new Set(cut).size).toBe(cut.length);
        expect(cut.length).toBeLessThanOrEqual(count / 2);
      }
    }
  });

  it('property: for every live count and index, targetCutting gives a target that cuts exactly that node', () => {
    for (let count = 2; count <= MAX_NODES; count++) {
      for (let index = 0; index < count; index++) {
        const target = targetCutting(count, index);
        expect(target, `count ${count}, index ${index}`).not.toBeNull();
        expect(cutIndices(count, target!)).toEqual([index]);
      }
    }
  });

  it('finds a partition target cutting off any one node of a larger cluster, and none for a single node', () => {
    for (const count of [2, 3, 5, 9]) for (let i = 0; i < count; i++) expect(targetCutting(count, i)).not.toBeNull();
    expect(targetCutting(1, 0)).toBeNull();
    expect(targetCutting(4, 4)).toBeNull();
  });

  it('a regional partition cuts off the target-th region, wrapping', () => {
    expect([0, 1, 2, 3, 7].map((t) => targetRegion(3, t))).toEqual([0, 1, 2, 0, 1]);
  });

  it('the simulation strikes what the inverses aim at, after a node has left', () => {
    const sim = createSim({ scenario: 'bank', preset: 'cp', chaos: 'none', seed: 5, durationMs: 120_000, recordHistory: false });
    advance(sim, 1000);
    expect(applyCommand(sim, { type: 'remove', node: 1 }).ok).toBe(true);
    for (let t = 2000; sim.S.nodes[1]!.status !== 'removed'; t += 1000) advance(sim, t);
    const live = liveNodes(sim.S);
    expect(live).not.toContain(1);
    const node = live[live.length - 1]!;
    expect(applyCommand(sim, { type: 'chaos', kind: 'partition-random', target: targetCutting(live.length, live.indexOf(node))!, durationMs: 5000, magnitude: 0 }).ok).toBe(true);
    const groups = sim.S.partition!.groups;
    expect(live.filter((id) => groups[id] === 1)).toEqual([node]);
    expect(applyCommand(sim, { type: 'chaos', kind: 'crash', target: targetOfNode(live.length, live.indexOf(node))!, durationMs: 5000, magnitude: 0 }).ok).toBe(true);
    expect(sim.S.nodes[node]!.status).toBe('down');
  });
});
