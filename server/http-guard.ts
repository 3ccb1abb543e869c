// What every HTTP request meets before the game's routes: standard security headers,
// matchmaking only on its own routes with a bounded body and a same-origin policy, and
// errors in words (JSON under /api) instead of a page with a stack trace.
//
// Colyseus answers any URL that merely *contains* "/matchmake", reads a request body of any
// size into memory, and reflects whatever Origin asks with credentials allowed. This module
// sits in front of it on the one http.Server both share.

import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import { matchMaker } from '@colyseus/core';
import type { NextFunction, Request, Response } from 'express';

/** A matchmaking request is a few hundred bytes of room options; anything near this is not one. */
export const MAX_MATCHMAKE_BODY_BYTES = 16 * 1024;

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'same-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * Put the guard in front of the listeners already on `http` (call after Colyseus has attached
 * its matchmaking routes). `app` serves every request that is not matchmaking.
 */
export function guardHttp(http: HttpServer, app: (req: IncomingMessage, res: ServerResponse) => void): void {
  matchMaker.controller.getCorsHeaders = sameOriginCors;
  const inner = http.listeners('request').slice(0) as ((req: IncomingMessage, res: ServerResponse) => void)[];
  http.removeAllListeners('request');
  http.on('request', (req: IncomingMessage, res: ServerResponse) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    const path = (req.url ?? '/').split('?')[0]!;
    // Colyseus would take any URL containing "/matchmake": only its own routes go to it.
    if (!path.startsWith('/matchmake/')) return app(req, res);
    if (req.method === 'POST' && !boundBody(req, res)) return;
    for (const listener of inner) listener.call(http, req, res);
  });
}

/** Express's last handler: a malformed request (a bad %-escape, a broken body) in words, never a stack trace. */
export function httpErrors(err: unknown, req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) return next(err);
  const e = err as { status?: number; statusCode?: number; message?: string };
  const status = e.status ?? e.statusCode ?? 500;
  const code = Number.isInteger(status) && status >= 400 && status < 600 ? status : 500;
  if (code >= 500) console.error(`[http] ${req.method} ${req.path.slice(0, 200)}: ${e.message ?? String(err)}`);
  const error = code >= 500 ? 'the server could not answer this request' : code === 400 ? 'the request is malformed (check the address and its escapes)' : `the request could not be served (${code})`;
  if (req.originalUrl.startsWith('/api/')) res.status(code).json({ error });
  else res.status(code).type('text/plain').send(error);
}

/** Browsers may call matchmaking only from the page this server served (the host they asked). */
function sameOriginCors(req: IncomingMessage): Record<string, string> {
  const origin = req.headers.origin;
  const host = req.headers.host;
  if (typeof origin === 'string' && typeof host === 'string') {
    try {
      if (new URL(origin).host === host) return { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' };
    } catch {
      // Not a URL: no CORS permission.
    }
  }
  // No permission for other origins (and "*" is never combined with credentials).
  return { 'Access-Control-Allow-Origin': 'null', 'Access-Control-Allow-Credentials': 'false', Vary: 'Origin' };
}

/** Refuse (413) a body that says or turns out to be larger than a matchmaking request can be; true when it may go on. */
function boundBody(req: IncomingMessage, res: ServerResponse): boolean {
  const tooLarge = () => {
    if (!res.headersSent) {
      res.writeHead(413, { 'Content-Type': 'application/json', Connection: 'close' });
      res.end(JSON.stringify({ error: `a matchmaking request is at most ${MAX_MATCHMAKE_BODY_BYTES} bytes` }));
    }
    // Nothing more is read or kept: the connection closes once the answer is out.
    req.removeAllListeners('data');
    req.removeAllListeners('end');
    req.socket.end();
  };
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_MATCHMAKE_BODY_BYTES) {
    tooLarge();
    return false;
  }
  let seen = 0;
  req.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > MAX_MATCHMAKE_BODY_BYTES) tooLarge();
  });
  return true;
}
