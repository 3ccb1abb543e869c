// Rooms a stopped process left in the shared room list (scale-out, Redis). On start Colyseus
// health-checks every process in its process list and removes the rooms of those that do not
// answer; a process that died half-way through its own shutdown has already left that list
// but not yet removed its rooms, so they would stay listed for good and a join to one would
// fail with "room not found". This sweeps those.

import { matchMaker } from '@colyseus/core';

/** removeStaleRooms at start-up: says what it removed; a failure is logged, never fatal. */
export async function sweepStaleRooms(): Promise<void> {
  try {
    const stopped = await removeStaleRooms();
    if (stopped.length > 0) console.log(`removed the rooms still listed for ${stopped.length} stopped server process${stopped.length === 1 ? '' : 'es'}`);
  } catch (err) {
    console.error(`[scale-out] could not remove stale rooms: ${(err as Error).message}`);
  }
}

/**
 * Remove the listed rooms of every other process that is neither in the process list nor
 * listening on its own channel (a live process always is: it answers room requests there).
 * Returns the process ids whose rooms were removed.
 */
export async function removeStaleRooms(): Promise<string[]> {
  const driver = matchMaker.driver;
  if (driver.cleanup === undefined) return [];
  const owners = new Set((await driver.query({})).map((r) => r.processId));
  owners.delete(matchMaker.processId);
  if (owners.size === 0) return [];
  const known = new Set((await matchMaker.stats.fetchAll()).map((p) => p.processId));
  const listening = new Set((await matchMaker.presence.channels('p:*')).map((c) => c.slice('p:'.length)));
  const stopped = [...owners].filter((id) => id !== undefined && !known.has(id) && !listening.has(id));
  for (const id of stopped) await driver.cleanup(id);
  return stopped;
}
