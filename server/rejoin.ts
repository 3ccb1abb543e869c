// POST /api/rejoin { roomId, playerKey } — the way back into one's own round after the
// reconnection token is lost (a reload that dropped it, a token refused). A round that has
// started is locked, so joinById cannot take anyone back in; the room instead hands the
// browser whose player key holds a kept seat (away, within RECONNECT_SECONDS) that seat's
// reconnection token, and the browser reconnects with it as if it had kept it. Nobody
// else gets anything: another key, a seat not kept, a room that is not a round.

import express, { type Router } from 'express';
import { matchMaker } from '@colyseus/core';
import { REJOIN_STATUS, type RejoinAnswer, type RejoinRequest } from '../shared/protocol/rejoin.js';
import { fieldsOf, guarded, Problem } from '../shared/protocol/validate.js';
import { PLAYER_KEY_PATTERN } from './rooms/options.js';

const ROOM_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** The route; `roomName` is the name the round rooms are defined under. */
export function rejoinApi(roomName: string): Router {
  const api = express.Router();
  api.post('/', express.json({ limit: '1kb' }), (req, res) => {
    const asked = parseRejoin(req.body);
    res.set('Cache-Control', 'no-store');
    if (typeof asked === 'string') return void res.status(REJOIN_STATUS.invalid).json({ error: asked });
    tokenFor(roomName, asked.roomId, asked.playerKey).then(
      (token) => {
        if (token === 'over') return void res.status(REJOIN_STATUS.nothingKept).json({ error: 'that round is no longer running' });
        if (token === null) return void res.status(REJOIN_STATUS.nothingKept).json({ error: 'no seat is kept for you in that round' });
        const answer: RejoinAnswer = token === 'open' ? { retry: 'your connection to that round is still open; try again in a moment' } : { reconnectionToken: token };
        res.status(REJOIN_STATUS.ok).json(answer);
      },
      (err: unknown) => {
        console.error(`[rejoin] ${asked.roomId}: ${(err as Error).message}`);
        res.status(503).json({ error: 'the round did not answer; try again' });
      },
    );
  });
  return api;
}

/** The request's room id and player key, or the problem in words. */
export function parseRejoin(body: unknown): RejoinRequest | string {
  const v = guarded((): RejoinRequest | Problem => {
    const fields = fieldsOf(body ?? {}, 'request', ['roomId', 'playerKey']);
    if (fields instanceof Problem) return fields;
    const roomId = fields.get('roomId');
    const playerKey = fields.get('playerKey');
    if (typeof roomId !== 'string' || !ROOM_ID_PATTERN.test(roomId)) return new Problem('roomId must be a room id');
    if (typeof playerKey !== 'string' || !PLAYER_KEY_PATTERN.test(playerKey)) return new Problem('playerKey must be 16-64 letters, digits, dashes or underscores');
    return { roomId, playerKey };
  }, 'request');
  return v.ok ? v.value : v.error;
}

/** Ask the round's room (in whichever process holds it) for the seat kept for this key. */
async function tokenFor(roomName: string, roomId: string, playerKey: string): Promise<string | 'open' | 'over' | null> {
  const room = await matchMaker.getRoomById(roomId);
  if (room === undefined || room === null || room.name !== roomName) return 'over';
  const token: unknown = await matchMaker.remoteRoomCall(roomId, 'returnTokenFor', [playerKey]);
  return typeof token === 'string' ? token : null;
}
