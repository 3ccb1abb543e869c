// The map's geometry: a split draws each side round its own nodes, so the line round a side
// never holds a node of the other side, at a phone's size and a laptop's.

import { describe, expect, it } from 'vitest';
import { labelWrapWidth, layoutMap, largestSide } from '../client/src/map/layout.js';
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

describe("the words under a node", () => {
  it('wrap within the node\'s own column, so they never run into a neighbour\'s, and use the room a column has', () => {
    for (const groups of [[0, 0, 0, 0, 0], [0, 0, 0, 1, 1], [0, 1, 0, 1, 0]]) {
      const ns = nodes(groups);
      for (const [w, hgt] of SIZES) {
        const L = layoutMap(ns, bank, w, hgt);
        const spots = [...L.nodes.values()];
        for (const a of spots) {
          // The widest rule the map uses (the flags line: 120 px, 2.6 radii).
          const wa = labelWrapWidth(a, 120, 2.6);
          expect(wa).toBeGreaterThanOrEqual(a.w - 10);
          for (const b of spots) {
            if (a === b || Math.abs(a.y - b.y) > 1) continue;
            const wb = labelWrapWidth(b, 120, 2.6);
            expect(Math.abs(a.x - b.x), `N${a.id} and N${b.id}'s words at ${w}×${hgt}`).toBeGreaterThanOrEqual((wa + wb) / 2 - 0.5);
          }
        }
      }
    }
  });

  it('on a phone, a backup data centre of two nodes gives each a line wide enough for "queue 0 · cut off: refusing"', () => {
    const L = layoutMap(nodes([0, 0, 0, 1, 1]), bank, 390, 480);
    // About 150 px at the map's smallest type (11 px bold).
    for (const id of [3, 4]) expect(labelWrapWidth(L.nodes.get(id)!, 120, 2.6)).toBeGreaterThanOrEqual(150);
  });
});
