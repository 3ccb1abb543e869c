// The Content-Security-Policy the game's pages are served with: scripts, styles, images and
// workers only from this server, so that markup slipped into a page (a nickname, a link
// someone shares) cannot run as a script, and connections only to this server (scaled out,
// to any WebSocket address: below).
//
// What the game itself needs, and why each allowance is there:
// - script-src: its own files, plus the page's inline scripts by their hash (index.html's
//   base-address fix-up runs before the module loads), and 'unsafe-eval': the replay viewer
//   compiles its snapshot loops and the simulation its settings literals with `new Function`
//   (shared/replay/kernels.ts, snapshots.ts, shared/sim/literal.ts say why).
// - style-src 'unsafe-inline': the screens and Phaser set style attributes.
// - img-src data: blob:: the page's icon is a data: address; an exported file's link is a blob:.
// - connect-src 'self': matchmaking, the room's WebSocket (same host: CSP counts ws: and wss:
//   of the page's own host as 'self') and the rounds API. Scaled out, a room's WebSocket goes
//   to the address of the process that holds it (its PUBLIC_ADDRESS), another host or port
//   than the page's, and the processes come and go: then any ws: or wss: address. A page
//   served here talks to no other HTTP server, so its ?server= override works only on the
//   development server.

import { createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

/** The hash source (CSP's 'sha256-…') of each inline script in an HTML page. */
export function inlineScriptHashes(html: string): string[] {
  const out: string[] = [];
  // An inline script: a <script> element without a src attribute; its text as written.
  const re = /<script\b([^>]*)>([\s\S]*?)<\/script>/gi;
  for (let m = re.exec(html); m !== null; m = re.exec(html)) {
    if (/\bsrc\s*=/i.test(m[1]!)) continue;
    out.push(`'sha256-${createHash('sha256').update(m[2]!, 'utf8').digest('base64')}'`);
  }
  return out;
}

export interface PolicyOptions {
  /** Rooms live on several processes (Redis): a room's WebSocket may go to another address. */
  scaledOut?: boolean;
}

/** The policy for pages like `html` (the built index.html). */
export function contentSecurityPolicy(html: string, opts: PolicyOptions = {}): string {
  return [
    "default-src 'self'",
    `script-src ${["'self'", "'unsafe-eval'", ...inlineScriptHashes(html)].join(' ')}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    opts.scaledOut === true ? "connect-src 'self' ws: wss:" : "connect-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Express middleware: every response it sees carries the policy for `html`. */
export function withContentSecurityPolicy(html: string, opts: PolicyOptions = {}): (req: Request, res: Response, next: NextFunction) => void {
  const policy = contentSecurityPolicy(html, opts);
  return (_req, res, next) => {
    res.setHeader('Content-Security-Policy', policy);
    next();
  };
}
