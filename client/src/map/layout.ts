// Where things go on the cluster map: regions as areas, nodes as circles inside them, and
// the links between them. Pure geometry from the view and the canvas size, so it is cheap
// to recompute every frame and easy to test.

import type { NodeV } from '../view.js';
import type { Scenario } from '../../../shared/scenarios/types.js';

export interface RegionBox {
  index: number;
  /** Every node of this region is on the small side of a partition. */
  cutOff: boolean;
  name: string;
  x: number;
  y: number;
  w: number;
  h: number;
  /** One-way latency range inside the region, ms. */
  intraMs: [number, number];
  /** Where client traffic enters the region (drawn as the clients' icon). */
  clients: { x: number; y: number };
}

export interface NodeSpot {
  id: number;
  x: number;
  y: number;
  r: number;
  /** The width of the node's column: its words below may wrap to this without reaching a neighbour's. */
  w: number;
}

export interface Link {
  a: number;
  b: number;
  /** The two ends are on different sides of a partition. */
  cut: boolean;
}

export interface RegionLink {
  a: number;
  b: number;
  ms: number;
  cut: boolean;
  /** A control point when the straight line would cross another region (three in a row). */
  bend: { x: number; y: number } | null;
}

/**
 * One side of a split inside a region that the split divides: the box its nodes are drawn in,
 * so each side's nodes sit together and a line can be drawn around them.
 */
export interface SideBox {
  region: number;
  group: number;
  /** The largest side (the rest are cut off from it). */
  larger: boolean;
  nodes: number[];
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface MapLayout {
  width: number;
  height: number;
  regions: RegionBox[];
  nodes: Map<number, NodeSpot>;
  links: Link[];
  regionLinks: RegionLink[];
  /** The sides of a split inside regions it divides (empty when the network is whole). */
  sides: SideBox[];
  /** Font size for node labels, px. */
  font: number;
}

/** Space kept free at the top for the alert badges drawn over the map. */
export const TOP_MARGIN = 52;
/** Space under each circle for its owner, status and load bar. */
const LABEL_SPACE = 66;

export function layoutMap(nodes: readonly NodeV[], scenario: Scenario | undefined, width: number, fullHeight: number, bottomInset = 0): MapLayout {
  // Something drawn over the bottom of the map (the tutorial's coach) keeps the nodes clear of it.
  const height = Math.max(fullHeight * 0.55, fullHeight - bottomInset);
  const regionDefs = scenario?.topology.regions ?? [{ id: 'r0', name: 'Data centre' }];
  const count = Math.max(1, regionDefs.length, ...nodes.map((n) => n.region + 1));
  const pad = Math.max(8, Math.min(24, width * 0.015));
  // A wider gap between regions leaves room to see the link between them, and its cut.
  const gap = count > 1 ? Math.max(pad, Math.min(48, (horizontalGuess(width, height, count) ? width : height) * 0.04)) : pad;
  const horizontal = horizontalGuess(width, height, count);
  const top = TOP_MARGIN;
  const regions: RegionBox[] = [];
  for (let i = 0; i < count; i++) {
    const name = regionDefs[i]?.name ?? `Region ${i + 1}`;
    const intra = scenario?.topology.intraRegionMs ?? [1, 3];
    let x: number, y: number, w: number, h: number;
    if (horizontal) {
      // Three regions in a row leave a lane above for the link between the outer two.
      const lane = count === 3 ? 34 : 0;
      w = (width - 2 * pad - gap * (count - 1)) / count;
      h = height - top - pad - lane;
      x = pad + i * (w + gap);
      y = top + lane;
    } else {
      w = width - 2 * pad;
      h = (height - top - pad - gap * (count - 1)) / count;
      x = pad;
      y = top + i * (h + gap);
    }
    regions.push({ index: i, cutOff: false, name, x, y, w, h, intraMs: [intra[0], intra[1]], clients: { x: x + w - 22, y: y + 18 } });
  }

  const live = nodes.filter((n) => n.status !== 'removed');
  const main = largestSide(live);
  const spots = new Map<number, NodeSpot>();
  const sides: SideBox[] = [];
  let smallest = Infinity;
  // Big screens (a projector) get bigger circles, not just more empty space.
  const maxR = 58 * Math.min(1.6, Math.max(1, Math.min(width / 1000, height / 640)));
  const labelSpace = (LABEL_SPACE * maxR) / 58;
  for (const region of regions) {
    const members = live.filter((n) => n.region === region.index);
    if (main !== null) region.cutOff = members.length > 0 && members.every((n) => n.group !== main);
    const groups = main === null ? [] : sideGroups(members, main);
    if (groups.length < 2) {
      placeInRegion(region, members, spots, maxR, labelSpace);
      continue;
    }
    // The split runs through this region: each side gets its own part of the box, the larger
    // side first, so its nodes sit together and the line drawn around them holds only them.
    for (const part of splitRegion(region, groups.map((g) => g.length))) {
      const own = groups[part.index]!;
      placeInRegion(part.box, own, spots, maxR, labelSpace);
      // The line goes round the part, under the region's name.
      const top = Math.max(part.box.y + 4, region.y + 40);
      sides.push({ region: region.index, group: own[0]!.group, larger: own[0]!.group === main, nodes: own.map((n) => n.id), x: part.box.x + 3, y: top, w: part.box.w - 6, h: part.box.y + part.box.h - top - 4 });
    }
  }
  for (const s of spots.values()) smallest = Math.min(smallest, s.r);
  if (!Number.isFinite(smallest)) smallest = 30;
  const links: Link[] = [];
  for (const region of regions) {
    const members = live.filter((n) => n.region === region.index);
    const ring = members.length > 6;
    for (let i = 0; i < members.length; i++) {
      for (let j = i + 1; j < members.length; j++) {
        // Many nodes: link neighbours only, or the map turns into a hairball.
        if (ring && j !== i + 1 && !(i === 0 && j === members.length - 1)) continue;
        const a = members[i]!;
        const b = members[j]!;
        links.push({ a: a.id, b: b.id, cut: a.group !== b.group });
      }
    }
  }

  const regionLinks: RegionLink[] = [];
  for (let a = 0; a < count; a++) {
    for (let b = a + 1; b < count; b++) {
      const ms = scenario?.topology.crossRegionMs[a]?.[b] ?? 50;
      const ga = new Set(live.filter((n) => n.region === a).map((n) => n.group));
      const gb = new Set(live.filter((n) => n.region === b).map((n) => n.group));
      // Cut when no pair of nodes across the two regions shares a side.
      let shared = false;
      for (const g of ga) if (gb.has(g)) shared = true;
      const cut = ga.size > 0 && gb.size > 0 && !shared;
      let bend: RegionLink['bend'] = null;
      if (horizontal && count === 3 && b - a === 2) {
        const ra = regions[a]!;
        const rb = regions[b]!;
        bend = { x: (ra.x + ra.w / 2 + rb.x + rb.w / 2) / 2, y: top - 30 };
      } else if (!horizontal && count === 3 && b - a === 2) {
        const ra = regions[a]!;
        bend = { x: ra.x + ra.w + 4, y: height / 2 };
      }
      regionLinks.push({ a, b, ms, cut, bend });
    }
  }
  return { width, height: fullHeight, regions, nodes: spots, links, regionLinks, sides, font: Math.max(12, Math.min(22, smallest * 0.3)) };
}

/** The group of the largest side of a split (ties: the lower group), or null when the network is whole. */
export function largestSide(live: readonly NodeV[]): number | null {
  const sizes = new Map<number, number>();
  for (const n of live) sizes.set(n.group, (sizes.get(n.group) ?? 0) + 1);
  if (sizes.size < 2) return null;
  let main = 0;
  let most = -1;
  for (const [g, c] of sizes) if (c > most || (c === most && g < main)) [main, most] = [g, c];
  return main;
}

/** A region's nodes by side: the larger side first, then the others by group. */
function sideGroups(members: readonly NodeV[], main: number): NodeV[][] {
  const by = new Map<number, NodeV[]>();
  for (const n of members) by.set(n.group, [...(by.get(n.group) ?? []), n]);
  return [...by.entries()].sort(([a], [b]) => (a === main ? -1 : b === main ? 1 : a - b)).map(([, ns]) => ns);
}

/** A region's box cut into one part per side, side by side when it is wide, stacked when tall; sized by node count. */
function splitRegion(region: RegionBox, counts: readonly number[]): { index: number; box: RegionBox }[] {
  const gap = 10;
  const total = counts.reduce((a, b) => a + b, 0);
  const across = region.w >= region.h * 0.8;
  const room = (across ? region.w : region.h) - gap * (counts.length - 1);
  let at = across ? region.x : region.y;
  return counts.map((c, index) => {
    const size = (room * c) / total;
    const box: RegionBox = across ? { ...region, x: at, w: size } : { ...region, y: at, h: size };
    at += size + gap;
    return { index, box };
  });
}

/** Nodes on a grid inside their region, choosing the column count that gives the biggest circles. */
function placeInRegion(region: RegionBox, members: NodeV[], out: Map<number, NodeSpot>, maxR: number, labelSpace: number): void {
  const n = members.length;
  if (n === 0) return;
  const innerX = region.x + 8;
  // Below the region's name and latency line, with room for the crown or the YOU tag.
  const innerY = region.y + 46;
  const innerW = region.w - 16;
  // …and a strip at the bottom, room for a node's words wrapped to a second line.
  const innerH = region.h - 54 - 22;
  const options: { cols: number; r: number }[] = [];
  for (let cols = 1; cols <= n; cols++) {
    const rows = Math.ceil(n / cols);
    const cw = innerW / cols;
    const ch = innerH / rows;
    options.push({ cols, r: Math.min(cw * 0.36, (ch - labelSpace) * 0.5, maxR) });
  }
  const biggest = Math.max(...options.map((o) => o.r));
  // Near-ties go to more columns: a row of nodes reads better than a tall column. While the
  // canvas is being resized its size can be momentarily unusable (NaN): one column, then.
  const best = options.filter((o) => o.r >= biggest * 0.97).pop() ?? options[0] ?? { cols: 1, r: 16 };
  const r = Number.isFinite(best.r) ? Math.max(16, best.r) : 16;
  const cols = best.cols;
  const rows = Math.ceil(n / cols);
  const cw = innerW / cols;
  const ch = innerH / rows;
  members.forEach((m, i) => {
    const row = Math.floor(i / cols);
    const col = i % cols;
    // The last row is centred when it is not full.
    const inRow = row === rows - 1 ? n - row * cols : cols;
    const offset = ((cols - inRow) * cw) / 2;
    out.set(m.id, {
      id: m.id,
      x: innerX + offset + cw * (col + 0.5),
      y: innerY + ch * row + (ch - labelSpace) / 2 + 4,
      r,
      w: cw,
    });
  });
}

function horizontalGuess(width: number, height: number, count: number): boolean {
  return width >= height * 1.1 || count === 1;
}

/**
 * How wide a node's words below its circle may run before they wrap: as wide as its column
 * less a gap, so a node with room beside it says "queue 0 · cut off: refusing" on one line
 * instead of two; never narrower than so many radii or a floor, and never wider than its column.
 */
export function labelWrapWidth(spot: NodeSpot, floorPx: number, radii: number): number {
  return Math.max(Math.min(floorPx, spot.w), spot.r * radii, spot.w - 10);
}

/** The node under a point, if any (a little slack around the circle for fingers). */
export function nodeAt(layout: MapLayout, x: number, y: number): number {
  let best = -1;
  let bestD = Infinity;
  for (const s of layout.nodes.values()) {
    const d = Math.hypot(s.x - x, s.y - y);
    if (d <= s.r + 14 && d < bestD) {
      best = s.id;
      bestD = d;
    }
  }
  return best;
}

/** The centre of a region's box. */
export function regionCentre(r: RegionBox): { x: number; y: number } {
  return { x: r.x + r.w / 2, y: r.y + r.h / 2 };
}
