// Scaled out (Redis), every server process keeps a heartbeat key and watches the others'.
// A process whose key has expired and that does not answer Colyseus's health check is dead
// (killed, crashed, its machine gone): its room listings are removed (a join to one would
// fail with "room not found" for good) and the classroom sessions it hosted are hosted again
// here, from their snapshots (server/sessions/class-snapshot.ts) — same room id, same join
// code — so the host, the projector and the students get back into their class.
//
//   keys  sb:alive:<processId>          the process's heartbeat (expires ALIVE_TTL_S after its last beat)
//         sb:rehost:<sessionId>@<pid>   a claim: the one process that re-hosts a session of dead process <pid>

import { matchMaker, type Presence } from '@colyseus/core';
import { dropSnapshot, hostOf, loadSnapshot, SESSION_HOSTS } from './sessions/class-snapshot.js';
import { releaseJoinCode, sessionSecret } from './sessions/bus.js';

/** How often a process beats and looks at the others (ms). */
export const WATCH_EVERY_MS = 2000;
/** A heartbeat older than this (s) makes a process a suspect (then the health check decides). */
export const ALIVE_TTL_S = 6;
const aliveKey = (processId: string) => `sb:alive:${processId}`;

export interface ProcessWatch {
  /** Stop beating and watching; `goodbye` also deletes the heartbeat (a clean stop: others take over at once). */
  stop(goodbye: boolean): Promise<void>;
  /** One look at the other processes now (tests; the timer does it every WATCH_EVERY_MS). */
  sweep(): Promise<void>;
}

export interface WatchOptions {
  /** Host a session again here; resolves once its room is up. */
  rehost(sessionId: string, secret: string): Promise<void>;
  /** Whether this process's Redis connections are up right now. */
  connected?(): boolean;
  /** This process's rooms, whose listings it puts back if another process removed them. */
  localRooms?(): Iterable<ListedRoom>;
  log?: (msg: string) => void;
}

export interface ListedRoom {
  readonly roomId: string;
  /** Its listing has the room's id once the room is made (before that there is nothing to put back). */
  readonly listing: { readonly roomId?: string; save(): Promise<unknown> | unknown };
}

export async function watchProcesses(presence: Presence, opts: WatchOptions): Promise<ProcessWatch> {
  const self = matchMaker.processId;
  const log = opts.log ?? ((m) => console.log(m));
  const beat = () => presence.setex(aliveKey(self), String(Date.now()), ALIVE_TTL_S);
  await beat();
  let sweeping: Promise<void> | null = null;
  // After Redis was away from this process, every heartbeat may have expired meanwhile: the
  // others get a heartbeat's lifetime to beat again before anyone is judged.
  let cutOff = false;
  let judgeAfter = 0;
  let told = false;
  /** Dead processes already cleaned up here (their rooms removed), so it is said once. */
  const buried = new Set<string>();

  const sweep = async (): Promise<void> => {
    // Thought dead for a while (stalled, or cut off from Redis) and then back: another process
    // may have removed this one's listings, which would make its rooms unjoinable. Put them back.
    let relisted = 0;
    for (const room of opts.localRooms?.() ?? []) {
      if (room.listing.roomId !== room.roomId || (await matchMaker.driver.findOne({ roomId: room.roomId }))) continue;
      await room.listing.save();
      relisted++;
    }
    if (relisted > 0) log(`[scale-out] ${relisted} room listing${relisted === 1 ? '' : 's'} of this process had been removed: listed again`);
    const suspects = new Set<string>();
    for (const p of await matchMaker.stats.fetchAll()) suspects.add(p.processId);
    for (const r of await matchMaker.driver.query({})) if (r.processId !== undefined) suspects.add(r.processId);
    const hosts = await presence.hgetall(SESSION_HOSTS) ?? {};
    for (const pid of Object.values(hosts)) suspects.add(pid);
    suspects.delete(self);
    for (const pid of suspects) {
      if (await presence.exists(aliveKey(pid))) continue;
      // No heartbeat: the process may only be slow. Colyseus's health check asks it over
      // its own channel (2 s); one that does not answer is excluded and its rooms removed.
      if (!mayJudge() || (await matchMaker.healthCheckProcessId(pid))) continue;
      await matchMaker.driver.cleanup?.(pid);
      if (!buried.has(pid)) {
        buried.add(pid);
        log(`[scale-out] server process ${pid} stopped answering: its rooms are no longer listed`);
      }
      for (const [sessionId, host] of Object.entries(hosts)) if (host === pid) await takeOver(sessionId, pid);
    }
  };

  /** Host the session of dead process `pid` here, unless another process claimed it first. */
  const takeOver = async (sessionId: string, pid: string): Promise<void> => {
    const claim = `sb:rehost:${sessionId}@${pid}`;
    if ((await presence.incr(claim)) !== 1) return;
    await presence.expire(claim, 3600);
    // Another process may have re-hosted it (and released its claim's race) since the list was read.
    if ((await hostOf(presence, sessionId)) !== pid) return;
    const secret = await sessionSecret(presence, sessionId);
    const snap = await loadSnapshot(presence, sessionId);
    if (secret === null || typeof snap === 'string') {
      // Nothing to host again: let its join code go, so it does not lead to a dead room.
      log(`[scale-out] class ${sessionId} of stopped process ${pid} cannot be hosted again: ${secret === null ? 'it had ended' : snap}`);
      if (typeof snap !== 'string') await releaseJoinCode(presence, snap.cls.code);
      await dropSnapshot(presence, sessionId);
      return;
    }
    try {
      await opts.rehost(sessionId, secret);
      log(`[scale-out] class ${snap.cls.code} hosted here again after process ${pid} stopped`);
    } catch (err) {
      // Not tried again (its claim is taken): the code is let go rather than left leading nowhere.
      log(`[scale-out] class ${snap.cls.code} could not be hosted again: ${(err as Error).message}`);
      await releaseJoinCode(presence, snap.cls.code);
      await dropSnapshot(presence, sessionId);
    }
  };

  const mayJudge = () => !cutOff && Date.now() >= judgeAfter;
  const timer = setInterval(() => {
    if (opts.connected?.() === false) cutOff = true;
    else if (cutOff) {
      cutOff = false;
      judgeAfter = Date.now() + ALIVE_TTL_S * 1000;
    }
    beat().catch(() => undefined);
    if (sweeping !== null || !mayJudge()) return;
    sweeping = sweep()
      .then(() => {
        told = false;
      })
      .catch((err: unknown) => {
        if (!told) log(`[scale-out] watching the other processes: ${(err as Error).message}`);
        told = true;
      })
      .finally(() => {
        sweeping = null;
      });
  }, WATCH_EVERY_MS);
  timer.unref();

  return {
    async stop(goodbye) {
      clearInterval(timer);
      await sweeping;
      if (goodbye) await presence.del(aliveKey(self));
    },
    async sweep() {
      await (sweeping ?? sweep());
    },
  };
}
