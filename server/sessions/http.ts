// GET /api/sessions/:code — where a join code leads: { roomId } of the class's session room
// (the browser then joins it with the code, a nickname and its player key). A wrong code
// gets 404 in words; an address that keeps guessing wrong codes is slowed down (429 with
// Retry-After, doubling), so the code space cannot be walked from one machine — while a
// classroom behind one address is not locked out by its own typos (guess-limit.ts).

import express, { type Router } from 'express';
import type { Presence } from '@colyseus/core';
import { clientAddress } from '../client-address.js';
import { normalizeJoinCode } from '../../shared/session/codes.js';
import { roomOfJoinCode } from './bus.js';
import { GuessLimiter } from './guess-limit.js';

export function sessionsApi(presence: () => Presence, now: () => number = Date.now, trustedHops = 0): Router {
  const api = express.Router();
  const limiter = new GuessLimiter();

  api.get('/:code', (req, res) => {
    const t = now();
    const who = clientAddress(req, trustedHops);
    const wait = limiter.waitSeconds(who, t);
    if (wait > 0) {
      res.set('Retry-After', String(wait)).status(429).json({ error: `too many wrong codes: wait ${wait} s before trying again` });
      return;
    }
    const miss = (status: number, error: string) => {
      limiter.miss(who, t);
      res.status(status).json({ error });
    };
    const code = normalizeJoinCode(req.params.code);
    if (code === null) return miss(400, 'a join code is 6 letters and digits, as shown on the teacher\'s screen');
    roomOfJoinCode(presence(), code).then(
      (roomId) => {
        if (roomId === null) return miss(404, `no class is open with the code ${code}: check the code on the teacher's screen`);
        limiter.hit(who, t);
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
