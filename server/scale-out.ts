// Where a new room goes when several processes share Redis. Colyseus's default picks the
// process with the fewest rooms, but each process refreshes its count at most once a second
// (STACK.md), so a burst — a class starting six team rooms at once — would all land on one
// process. This choice also counts the rooms this process has just sent each way.

import { matchMaker } from '@colyseus/core';

/** How long a placement made here counts against its process (a count refresh or two). */
const RECENT_MS = 2500;

export function spreadRooms(now: () => number = Date.now): matchMaker.SelectProcessIdCallback {
  const recent = new Map<string, number[]>();
  return async () => {
    const processes = await matchMaker.stats.fetchAll();
    const t = now();
    let best: string | null = null;
    let bestLoad = Infinity;
    for (const p of processes) {
      const mine = (recent.get(p.processId) ?? []).filter((at) => t - at < RECENT_MS);
      recent.set(p.processId, mine);
      const load = p.roomCount + mine.length;
      if (load < bestLoad) {
        bestLoad = load;
        best = p.processId;
      }
    }
    if (best === null) return matchMaker.processId;
    recent.get(best)!.push(t);
    return best;
  };
}
