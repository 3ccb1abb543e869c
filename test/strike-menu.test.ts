// The host's strike menu is built from the class's own cluster: a node fault lists its nodes
// with their regions' names, a regional partition its regions by name, a random split the
// node it will cut off alone, and a fault on the whole network asks for nothing.

import { describe, expect, it } from 'vitest';
import { strikeTargets, targetQuestion } from '../client/src/class/host-chaos.js';
import { getScenario } from '../shared/scenarios/index.js';
import { cutIndices } from '../shared/sim/chaos.js';

const bank = getScenario('bank')!;
/** The bank's five nodes by region: three in the main data centre, two in the backup. */
const REGIONS = [0, 0, 0, 1, 1];

describe('the strike menu', () => {
  it('lists the cluster\'s nodes, named with their region, for a node fault', () => {
    expect(strikeTargets('crash', bank, REGIONS)).toEqual([
      { value: 0, label: 'N0 (Main data centre)' },
      { value: 1, label: 'N1 (Main data centre)' },
      { value: 2, label: 'N2 (Main data centre)' },
      { value: 3, label: 'N3 (Backup data centre)' },
      { value: 4, label: 'N4 (Backup data centre)' },
    ]);
    // A cluster scaled out to seven nodes: seven choices, not ten whatever the cluster.
    expect(strikeTargets('slow-node', bank, [...REGIONS, 0, 1])).toHaveLength(7);
    expect(targetQuestion('crash')).toBe('Which node');
  });

  it('lists the regions by name for a regional partition', () => {
    expect(strikeTargets('partition-region', bank, REGIONS)).toEqual([
      { value: 0, label: 'Main data centre' },
      { value: 1, label: 'Backup data centre' },
    ]);
  });

  it('offers, for a random split, targets that cut exactly the named node off', () => {
    const targets = strikeTargets('partition-random', bank, REGIONS);
    expect(targets.map((t) => t.label)).toEqual(['N0 (Main data centre)', 'N1 (Main data centre)', 'N2 (Main data centre)', 'N3 (Backup data centre)', 'N4 (Backup data centre)']);
    targets.forEach((t, i) => expect(cutIndices(REGIONS.length, t.value)).toEqual([i]));
  });

  it('asks for no target when the fault hits the whole cluster', () => {
    for (const kind of ['latency-spike', 'message-loss', 'load-surge'] as const) expect(strikeTargets(kind, bank, REGIONS)).toEqual([]);
  });

  it('leaves out the region in node names when there is only one', () => {
    const one = { ...bank, topology: { ...bank.topology, regions: [bank.topology.regions[0]!], nodesPerRegion: [3] } };
    expect(strikeTargets('crash', one, [0, 0, 0]).map((t) => t.label)).toEqual(['N0', 'N1', 'N2']);
  });
});
