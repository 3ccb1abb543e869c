// Consistent hashing: keys map to shards on a ring of shard points, and shards are placed
// on nodes by walking a ring of node points. Adding or removing a node moves only the
// shards whose walk passes it.

import type { Placement } from '../scenarios/settings.js';

const POINTS_PER_SHARD = 16;
const POINTS_PER_NODE = 16;

/** A 32-bit integer hash (murmur3 finaliser), stable across platforms. */
export function hash32(x: number, salt: number): number {
  let h = (x ^ Math.imul(salt, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

interface Point {
  at: number;
  owner: number;
}

function buildRing(owners: number[], perOwner: number, salt: number): Point[] {
  const ring: Point[] = [];
  for (const o of owners) for (let i = 0; i < perOwner; i++) ring.push({ at: hash32(o * 1000 + i, salt), owner: o });
  ring.sort((a, b) => a.at - b.at || a.owner - b.owner);
  return ring;
}

function firstAtOrAfter(ring: Point[], h: number): number {
  let lo = 0;
  let hi = ring.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ring[mid]!.at < h) lo = mid + 1;
    else hi = mid;
  }
  return lo === ring.length ? 0 : lo;
}

/** The shard of every key. */
export function assignKeys(keyCount: number, shardCount: number): number[] {
  const shards: number[] = [];
  for (let s = 0; s < shardCount; s++) shards.push(s);
  const ring = buildRing(shards, POINTS_PER_SHARD, 0x5eed);
  const out: number[] = new Array(keyCount);
  for (let k = 0; k < keyCount; k++) out[k] = ring[firstAtOrAfter(ring, hash32(k, 0xbeef))]!.owner;
  return out;
}

export interface NodeSlot {
  id: number;
  region: number;
}

/**
 * Replica sets for every shard, preferred leader first. `spread` prefers a new region for
 * each next replica; `single-region` keeps a shard in one home region when it has room.
 */
export function placeShards(nodes: NodeSlot[], shardCount: number, rf: number, placement: Placement): number[][] {
  const ring = buildRing(
    nodes.map((n) => n.id),
    POINTS_PER_NODE,
    0xfeed,
  );
  const regionOf = new Map(nodes.map((n) => [n.id, n.region] as const));
  const regions = [...new Set(nodes.map((n) => n.region))].sort((a, b) => a - b);
  const want = Math.min(rf, nodes.length);
  const out: number[][] = [];
  for (let s = 0; s < shardCount; s++) {
    const start = firstAtOrAfter(ring, hash32(s, 0xab1e));
    const walk: number[] = [];
    for (let i = 0; i < ring.length && walk.length < nodes.length; i++) {
      const id = ring[(start + i) % ring.length]!.owner;
      if (!walk.includes(id)) walk.push(id);
    }
    const chosen: number[] = [];
    if (placement === 'single-region') {
      const home = regions[s % regions.length]!;
      for (const id of walk) if (chosen.length < want && regionOf.get(id) === home) chosen.push(id);
    } else {
      const used = new Set<number>();
      for (const id of walk) {
        if (chosen.length >= want) break;
        const r = regionOf.get(id)!;
        if (!used.has(r)) {
          chosen.push(id);
          used.add(r);
        }
      }
    }
    for (const id of walk) if (chosen.length < want && !chosen.includes(id)) chosen.push(id);
    out.push(chosen);
  }
  return balanceLeaders(out);
}

/**
 * Spread the preferred leaders: each shard, in order, is led by the replica that leads the
 * fewest shards so far (ties keep the ring's order). The replica sets stay as the ring chose
 * them; only who leads changes, as clusters balance leadership so no node serves every
 * shard's writes and reads while its peers idle.
 */
function balanceLeaders(sets: number[][]): number[][] {
  const leads = new Map<number, number>();
  return sets.map((set) => {
    if (set.length === 0) return set;
    let best = 0;
    for (let i = 1; i < set.length; i++) if ((leads.get(set[i]!) ?? 0) < (leads.get(set[best]!) ?? 0)) best = i;
    const leader = set[best]!;
    leads.set(leader, (leads.get(leader) ?? 0) + 1);
    return [leader, ...set.filter((_, i) => i !== best)];
  });
}
