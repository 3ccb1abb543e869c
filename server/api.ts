// The read-only HTTP API over stored rounds:
//   GET /api/rounds                 recent public rounds; ?player=KEY, ?session=ID, ?limit=1..100
//   GET /api/rounds/:id             the recording (the same JSON an exported file holds)
//   GET /api/rounds/:id/history     the operation history (HISTORY.md format), gzip when the client takes it
// Every parameter is checked; a bad one gets 400 with a message, an unknown id 404, and a
// server that keeps no recordings 503. Nothing can be written through it.

import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import express, { type Request, type Response, type Router } from 'express';
import { PLAYER_KEY_PATTERN } from './rooms/options.js';
import { ROUND_ID_PATTERN } from './recording-writer.js';
import type { RoundFilter, RoundStore } from './store/types.js';
import type { HistoryJobs } from './history-jobs.js';
import { pickCoding } from './accept-encoding.js';

const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const LIST_PARAMS = new Set(['player', 'session', 'limit']);

export function roundsApi(store: () => RoundStore | null, history: HistoryJobs): Router {
  const api = express.Router();

  api.get('/rounds', (req, res) => {
    const s = store();
    if (s === null) return noStore(res);
    const filter = parseListQuery(req.query);
    if (typeof filter === 'string') return fail(res, 400, filter);
    s.list(filter).then(
      (rounds) => res.set('Cache-Control', 'no-cache').json({ rounds }),
      (err: unknown) => storeFailed(res, err),
    );
  });

  api.get('/rounds/:id', (req, res) => {
    const s = store();
    if (s === null) return noStore(res);
    const id = checkId(req, res);
    if (id === null) return;
    s.get(id).then(
      (round) => {
        if (round === null) return fail(res, 404, `no round with id ${id}`);
        // A live round's recording grows; a closed one never changes again.
        res.set('Cache-Control', round.item.status === 'live' ? 'no-cache' : 'public, max-age=86400');
        res.json(round.recording);
      },
      (err: unknown) => storeFailed(res, err),
    );
  });

  api.get('/rounds/:id/history', (req, res) => {
    const s = store();
    if (s === null) return noStore(res);
    const id = checkId(req, res);
    if (id === null) return;
    s.get(id).then(
      async (round) => {
        if (round === null) return fail(res, 404, `no round with id ${id}`);
        const result = await history.run(id, round.recording, round.item.status === 'live');
        if (result === 'busy') return fail(res, 503, 'the server is busy exporting other histories; try again in a few seconds');
        res.set('Cache-Control', round.item.status === 'live' ? 'no-cache' : 'public, max-age=86400');
        sendGzipped(req, res, result);
      },
      (err: unknown) => storeFailed(res, err),
    );
  });

  // Anything else under /api is not ours: a clear 404 (or 405 for writes), never the app's page.
  api.all('*', (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return fail(res, 405, 'the API is read-only');
    fail(res, 404, `no such API route: ${req.path}`);
  });
  return api;
}

/** Validate the list's query string: a filter, or the problem in words. */
export function parseListQuery(query: Request['query']): RoundFilter | string {
  const filter: RoundFilter = {};
  for (const [name, value] of Object.entries(query)) {
    if (!LIST_PARAMS.has(name)) return `unknown parameter '${name.slice(0, 40)}'; expected player, session or limit`;
    if (typeof value !== 'string') return `parameter '${name}' must be given once`;
    if (name === 'player') {
      if (!PLAYER_KEY_PATTERN.test(value)) return 'player must be a player key: 16-64 letters, digits, dashes or underscores';
      filter.player = value;
    } else if (name === 'session') {
      if (!SESSION_ID_PATTERN.test(value)) return 'session must be 1-64 letters, digits, dashes or underscores';
      filter.session = value;
    } else {
      if (!/^\d{1,3}$/.test(value) || Number(value) < 1 || Number(value) > 100) return 'limit must be a whole number from 1 to 100';
      filter.limit = Number(value);
    }
  }
  if (filter.player !== undefined && filter.session !== undefined) return 'give player or session, not both';
  return filter;
}

function checkId(req: Request, res: Response): string | null {
  const id = String(req.params.id ?? '');
  if (!ROUND_ID_PATTERN.test(id)) {
    fail(res, 400, 'a round id is 22 letters, digits, dashes or underscores');
    return null;
  }
  return id;
}

/**
 * Bytes kept gzip-compressed, as they are to a client that takes gzip; decompressed as they
 * stream out to one that does not (never the whole text in memory at once).
 */
function sendGzipped(req: Request, res: Response, gz: Buffer): void {
  res.set('Vary', 'Accept-Encoding');
  res.type('application/json');
  if (pickCoding(req.headers['accept-encoding'], ['gzip']) === 'gzip') {
    res.set('Content-Encoding', 'gzip');
    res.set('Content-Length', String(gz.length));
    res.end(gz);
    return;
  }
  pipeline(Readable.from([gz]), createGunzip(), res).catch((err: unknown) => {
    // A client that went away mid-download is not a server problem; anything else is said.
    if ((err as NodeJS.ErrnoException)?.code !== 'ERR_STREAM_PREMATURE_CLOSE') console.error(`[api] history: ${(err as Error)?.message ?? String(err)}`);
    res.destroy();
  });
}

function fail(res: Response, status: number, error: string): void {
  res.status(status).json({ error });
}

function noStore(res: Response): void {
  fail(res, 503, 'this server does not keep recordings');
}

function storeFailed(res: Response, err: unknown): void {
  console.error(`[api] round store: ${(err as Error)?.message ?? String(err)}`);
  if (!res.headersSent) fail(res, 500, 'the round store could not answer; try again later');
}
