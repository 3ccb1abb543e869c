// Where a new room goes when several processes share Redis. Colyseus's default picks the
// process with the fewest rooms, but each process refreshes its count at most once a second
// (STACK.md), so a burst — a class starting six team rooms at once — would all land on one
// process. This choice also counts the rooms placed in the last moments: by this process,
// and (through presence, so two processes placing at once see each other's) by every other.

import { matchMaker, type Presence } from '@colyseus/core';

/** How long a placement counts against its process (a count refresh or two). */
export const RECENT_MS = 2500;
/** The presence hash of placements under way: field processId, value how many in the last RECENT_MS. */
export const PLACING_KEY = 'sb:placing';
/** A hash nobody has written for this long is dropped (counts a stopped process left behind). */
const PLACING_TTL_S = 10;

export interface SpreadOptions {
  now?: () => number;
  /** Shared with the other processes (Redis); without it, only this process's placements count. */
  presence?: Presence;
  /** The processes and their room counts (Colyseus's stats; tests give their own). */
  processes?: () => Promise<{ processId: string; roomCount: number }[]>;
  /** Runs `fn` after `ms` (tests give their own). */
  later?: (fn: () => void, ms: number) => void;
}

export function spreadRooms(opts: SpreadOptions = {}): matchMaker.SelectProcessIdCallback {
  const now = opts.now ?? Date.now;
  const processes = opts.processes ?? (() => matchMaker.stats.fetchAll());
  const later = opts.later ?? ((fn, ms) => void setTimeout(fn, ms).unref());
  const recent = new Map<string, number[]>();
  return async () => {
    const [list, shared] = await Promise.all([processes(), placing(opts.presence)]);
    const t = now();
    let best: string | null = null;
    let bestLoad = Infinity;
    for (const p of list) {
      const mine = (recent.get(p.processId) ?? []).filter((at) => t - at < RECENT_MS);
      recent.set(p.processId, mine);
      // The shared count holds this process's placements too; its own list stands in when presence failed.
      const load = p.roomCount + Math.max(mine.length, shared.get(p.processId) ?? 0);
      if (load < bestLoad) {
        bestLoad = load;
        best = p.processId;
      }
    }
    if (best === null) return matchMaker.processId;
    recent.get(best)!.push(t);
    void countPlacement(opts.presence, best, later);
    return best;
  };
}

/** Every process's placements under way, as presence holds them (empty when it cannot say). */
async function placing(presence: Presence | undefined): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (presence === undefined) return out;
  try {
    const all = (await presence.hgetall(PLACING_KEY)) ?? {};
    for (const [id, n] of Object.entries(all)) {
      const count = Number(n);
      if (Number.isFinite(count) && count > 0) out.set(id, count);
    }
  } catch {
    // Redis away: this process's own placements still count.
  }
  return out;
}

/** A placement counts against `processId` in presence for RECENT_MS, then no more. */
async function countPlacement(presence: Presence | undefined, processId: string, later: (fn: () => void, ms: number) => void): Promise<void> {
  if (presence === undefined) return;
  try {
    await presence.hincrby(PLACING_KEY, processId, 1);
    await presence.expire(PLACING_KEY, PLACING_TTL_S);
  } catch {
    return;
  }
  later(() => {
    presence.hincrby(PLACING_KEY, processId, -1).catch(() => undefined);
  }, RECENT_MS);
}
