// How replicas order and merge versions: last-write-wins by timestamp, or version vectors
// that keep concurrent writes as siblings for the application to merge.

import type { Version } from './state.js';

/** Last-write-wins order: timestamp, then node id, then value (a total order). */
export function lwwNewer(a: Version, b: Version): boolean {
  if (a.ts !== b.ts) return a.ts > b.ts;
  if (a.n !== b.n) return a.n > b.n;
  return a.v > b.v;
}

/** Leader-follower order: epoch, then sequence within the epoch, then the LWW order. */
export function logNewer(a: Version, b: Version): boolean {
  if (a.ep !== b.ep) return a.ep > b.ep;
  if (a.sq !== b.sq) return a.sq > b.sq;
  return lwwNewer(a, b);
}

/** -1: a before b, 1: a after b, 0: equal, 2: concurrent. */
export function compareVectors(a: number[], b: number[]): number {
  let less = false;
  let more = false;
  const n = a.length > b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x < y) less = true;
    else if (x > y) more = true;
  }
  if (less && more) return 2;
  if (less) return -1;
  if (more) return 1;
  return 0;
}

export function mergeVectors(into: number[], from: number[]): number[] {
  const n = into.length > from.length ? into.length : from.length;
  const out: number[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const x = into[i] ?? 0;
    const y = from[i] ?? 0;
    out[i] = x > y ? x : y;
  }
  return out;
}

/** mergeVersions' outcome bits: the list changed; a concurrent version was discarded (LWW) or kept beside another (siblings). */
export const MERGE_CHANGED = 1;
export const MERGE_CONFLICT = 2;

/**
 * Merge incoming versions into what a replica holds for one key. Sets `out.list` to the new
 * list (the old array is never mutated: versions and lists are shared between replicas) and
 * returns the outcome as MERGE_* bits, so that a merge allocates nothing unless it changes
 * something (replicas merge their whole key space at every anti-entropy exchange).
 */
export function mergeVersions(
  held: Version[] | null,
  incoming: Version[] | null,
  useVectors: boolean,
  out: { list: Version[] | null },
): number {
  if (incoming === null || incoming.length === 0 || incoming === held) {
    // The same list merged into itself changes nothing, under either rule.
    out.list = held;
    return 0;
  }
  if (held === null || held.length === 0) {
    out.list = incoming;
    return MERGE_CHANGED;
  }
  if (!useVectors) {
    let best = held[0]!;
    for (let i = 1; i < held.length; i++) if (lwwNewer(held[i]!, best)) best = held[i]!;
    let changed = false;
    let conflict = false;
    for (let i = 0; i < incoming.length; i++) {
      const v = incoming[i]!;
      if (v.v === best.v) continue;
      // Two versions whose vectors (when tracked) are concurrent: one silently loses.
      if (v.vv !== null && best.vv !== null && compareVectors(v.vv, best.vv) === 2) conflict = true;
      if (lwwNewer(v, best)) {
        best = v;
        changed = true;
      }
    }
    // A one-version incoming list that wins is itself the new list (lists are never mutated).
    out.list = changed ? (incoming.length === 1 ? incoming : [best]) : held;
    return (changed ? MERGE_CHANGED : 0) | (conflict ? MERGE_CONFLICT : 0);
  }
  // Version vectors: keep every version no other version dominates.
  let list = held;
  let changed = false;
  let conflict = false;
  for (const v of incoming) {
    if (v.vv === null) continue;
    let dominated = false;
    let duplicate = false;
    for (const h of list) {
      if (h.v === v.v) {
        duplicate = true;
        break;
      }
      const c = compareVectors(v.vv, h.vv ?? []);
      if (c === -1 || c === 0) {
        dominated = true;
        break;
      }
    }
    if (duplicate || dominated) continue;
    const kept: Version[] = [];
    for (const h of list) {
      const c = compareVectors(v.vv, h.vv ?? []);
      if (c !== 1) kept.push(h);
    }
    if (kept.length > 0) conflict = true;
    kept.push(v);
    list = kept;
    changed = true;
  }
  out.list = list;
  return (changed ? MERGE_CHANGED : 0) | (conflict ? MERGE_CONFLICT : 0);
}

/** The newest single version of a list under LWW (or the leader-follower order). */
export function newest(list: Version[] | null, byLog: boolean): Version | null {
  if (list === null || list.length === 0) return null;
  let best = list[0]!;
  for (const v of list) if (byLog ? logNewer(v, best) : lwwNewer(v, best)) best = v;
  return best;
}

/** What a client sees of a key's versions: null, one value, or the sorted siblings. */
export function visibleValue(list: Version[] | null): number | number[] | null {
  if (list === null || list.length === 0) return null;
  if (list.length === 1) return list[0]!.v;
  const vals = list.map((v) => v.v);
  vals.sort((a, b) => a - b);
  return vals;
}
