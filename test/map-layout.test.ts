// The map's geometry: a split draws each side round its own nodes, so the line round a side
// never holds a node of the other side, at a phone's size and a laptop's.

import { describe, expect, it } from 'vitest';
import { layoutMap, largestSide } from '../client/src/map/layout.js';
import type { NodeV } from '../client/src/view.js';
import { getScenario } from '../shared/scenarios/index.js';

const bank = getScenario('bank')!;

/** The bank's five nodes (three in the main data centre, two in the backup), each on `groups[i]`'s side. */
function nodes(groups: number[]): NodeV[] {
  const regions = [0, 0, 0, 1, 1];
  return groups.map((group, id) => ({ id, region: regions[id]!, status: 'up', group }) as unknown as NodeV);
}

const SIZES = [
  [390, 480],
  [1000, 640],
  [1600, 900],
] as const;

describe('the map layout of a split', () => {
  it('keeps each side\'s nodes together inside the line drawn round that side', () => {
    // A random split through both regions: N1 and N3 cut off from N0, N2, N4.
    const ns = nodes([0, 1, 0, 1, 0]);
    expect(largestSide(ns)).toBe(0);
    for (const [w, hgt] of SIZES) {
      const L = layoutMap(ns, bank, w, hgt);
      expect(L.sides.map((s) => [s.region, s.larger, s.nodes])).toEqual([
        [0, true, [0, 2]],
        [0, false, [1]],
        [1, true, [4]],
        [1, false, [3]],
      ]);
      for (const side of L.sides) {
        for (const n of ns) {
          const spot = L.nodes.get(n.id)!;
          const inside = spot.x >= side.x && spot.x <= side.x + side.w && spot.y >= side.y && spot.y <= side.y + side.h;
          // Inside the line exactly when on that side (a node of another region is never inside).
          expect(inside, `N${n.id} ${inside ? 'inside' : 'outside'} the side of ${side.nodes.join(',')} at ${w}×${hgt}`).toBe(side.nodes.includes(n.id));
          if (side.nodes.includes(n.id)) {
            // The whole circle, not just its centre.
            expect(spot.x - spot.r).toBeGreaterThanOrEqual(side.x);
            expect(spot.x + spot.r).toBeLessThanOrEqual(side.x + side.w);
          }
        }
      }
    }
  });

  it('a region wholly on the small side is marked cut off, with no sides drawn inside it', () => {
    const L = layoutMap(nodes([0, 0, 0, 1, 1]), bank, 1000, 640);
    expect(L.regions.map((r) => r.cutOff)).toEqual([false, true]);
    expect(L.sides).toEqual([]);
  });

  it('a whole network draws no sides', () => {
    const L = layoutMap(nodes([0, 0, 0, 0, 0]), bank, 1000, 640);
    expect(L.regions.map((r) => r.cutOff)).toEqual([false, false]);
    expect(L.sides).toEqual([]);
  });
});
