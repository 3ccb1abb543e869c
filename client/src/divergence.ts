// Which replicas are behind on which hot key, steadily. Replication always lags a little, so
// a copy one write behind for a moment is normal; a copy behind for longer than
// STEADY_MS is divergence worth showing (a partition, a dead link, async replication).

import type { NodeV, RoundView } from './view.js';

export const STEADY_MS = 1500;

const since = new Map<string, number>();

/** Newest version any up replica holds of hot key k. */
export function newestVersion(v: RoundView, k: number): number {
  let newest = 0;
  for (const o of v.nodes) if (o.status === 'up' && (o.versions[k] ?? -1) > newest) newest = o.versions[k]!;
  return newest;
}

/** Whether node n has been behind on hot key k for a while (now = performance.now()). */
export function steadilyBehind(v: RoundView, n: NodeV, k: number, now: number): boolean {
  const key = `${v.seed}:${n.id}:${k}`;
  const mine = n.versions[k] ?? -1;
  if (n.status !== 'up' || mine < 0 || mine >= newestVersion(v, k)) {
    since.delete(key);
    return false;
  }
  const first = since.get(key) ?? now;
  since.set(key, first);
  return now - first >= STEADY_MS;
}

/** The hot keys node n has been behind on for a while. */
export function behindKeys(v: RoundView, n: NodeV, now: number): string[] {
  const out: string[] = [];
  v.hotKeys.forEach((name, k) => {
    if (steadilyBehind(v, n, k, now)) out.push(name);
  });
  return out;
}
