// GET /api/sessions/:code — where a join code leads: { roomId } of the class's session room
// (the browser then joins it with the code, a nickname and its player key). A wrong code
// gets 404 in words; an address that keeps guessing wrong codes is slowed down (429 with
// Retry-After, doubling), so the code space cannot be walked from one machine.

import express, { type Router } from 'express';
import type { Presence } from '@colyseus/core';
import { normalizeJoinCode } from '../../shared/session/codes.js';
import { roomOfJoinCode } from './bus.js';

/** Wrong guesses an address may make before it has to wait. */
const FREE_MISSES = 5;
const MAX_WAIT_S = 300;
/** Forget an address's misses after this long without one. */
const FORGET_MS = 10 * 60_000;

interface Misses {
  count: number;
  last: number;
  /** Wall-clock ms before which this address is refused. */
  until: number;
}

export function sessionsApi(presence: () => Presence, now: () => number = Date.now): Router {
  const api = express.Router();
  const misses = new Map<string, Misses>();

  api.get('/:code', (req, res) => {
    const t = now();
    const who = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const m = misses.get(who);
    if (m !== undefined && t - m.last > FORGET_MS) misses.delete(who);
    const seen = misses.get(who);
    if (seen !== undefined && t < seen.until) {
      const wait = Math.ceil((seen.until - t) / 1000);
      res.set('Retry-After', String(wait)).status(429).json({ error: `too many wrong codes: wait ${wait} s before trying again` });
      return;
    }
    const miss = (status: number, error: string) => {
      const entry = misses.get(who) ?? { count: 0, last: t, until: 0 };
      entry.count++;
      entry.last = t;
      if (entry.count >= FREE_MISSES) entry.until = t + 1000 * Math.min(MAX_WAIT_S, 2 ** (entry.count - FREE_MISSES + 1));
      misses.set(who, entry);
      // Keep the table small: an address that stopped guessing is forgotten.
      if (misses.size > 10_000) for (const [k, v] of misses) if (t - v.last > FORGET_MS) misses.delete(k);
      res.status(status).json({ error });
    };
    const code = normalizeJoinCode(req.params.code);
    if (code === null) return miss(400, 'a join code is 6 letters and digits, as shown on the teacher\'s screen');
    roomOfJoinCode(presence(), code).then(
      (roomId) => {
        if (roomId === null) return miss(404, `no class is open with the code ${code}: check the code on the teacher's screen`);
        res.set('Cache-Control', 'no-store').json({ roomId, code });
      },
      (err: unknown) => {
        console.error(`[sessions] code lookup: ${(err as Error).message}`);
        res.status(500).json({ error: 'the class list could not be read; try again' });
      },
    );
  });
  return api;
}
