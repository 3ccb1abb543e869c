// The Content-Security-Policy on the game's pages (server/csp.ts): every page and file the
// built client is served from carries it, its inline scripts are allowed by their hash and
// no other inline script is, nothing may frame the game, and a page talks to its own server
// (scaled out: to any WebSocket, since a room lives at its own process's address). Whether
// the game itself runs under it is the browser tests' part: they serve the real build and
// fail on any console error, which is where a refused script or connection shows.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GameServer } from '../server/app.js';
import { contentSecurityPolicy, inlineScriptHashes } from '../server/csp.js';
import { startTestServer } from './support/game-server.js';

const INLINE = "\n      (function () { document.documentElement.dataset.ran = 'yes'; })();\n    ";
const PAGE = `<!doctype html><html><head><meta charset="utf-8" /><script>${INLINE}</script><title>Split Brain</title></head><body><script type="module" src="./assets/index-AbC12_-x.js"></script></body></html>`;
const HASHED = 'assets/index-AbC12_-x.js';

/** What the browser compares: the base64 SHA-256 of the script's text, exactly as written. */
function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** The policy's directives by name. */
function directives(policy: string): Map<string, string[]> {
  return new Map(policy.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
}

describe('the policy', () => {
  it('allows each inline script by its hash and ignores scripts loaded from a file', () => {
    const page = `<script>a()</script><SCRIPT type="text/javascript">b()</SCRIPT><script src="x.js"></script><script type="module" src='y.js'></script>`;
    expect(inlineScriptHashes(page)).toEqual([sha256('a()'), sha256('b()')]);
    expect(inlineScriptHashes('<p>no scripts</p>')).toEqual([]);
  });

  it('runs only this server\'s scripts, is framed by nobody, and talks to its own server', () => {
    const d = directives(contentSecurityPolicy(PAGE));
    expect(d.get('default-src')).toEqual(["'self'"]);
    expect(d.get('script-src')).toEqual(["'self'", "'unsafe-eval'", sha256(INLINE)]);
    expect(d.get('script-src')).not.toContain("'unsafe-inline'");
    expect(d.get('connect-src')).toEqual(["'self'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'self'"]);
  });

  it('scaled out, lets a room\'s WebSocket go to the process that holds it', () => {
    expect(directives(contentSecurityPolicy(PAGE, { scaledOut: true })).get('connect-src')).toEqual(["'self'", 'ws:', 'wss:']);
  });
});

describe('served with the built client', () => {
  const dir = mkdtempSync(join(tmpdir(), 'splitbrain-csp-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), PAGE);
  writeFileSync(join(dir, HASHED), 'export {};');
  let server: GameServer;

  beforeAll(async () => {
    server = (await startTestServer({ clientDir: dir })).server;
  });
  afterAll(async () => {
    await server?.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  function headerOf(path: string, accept = 'text/html'): Promise<{ status: number; csp: string | undefined }> {
    return new Promise((done, fail) => {
      const req = request({ host: '127.0.0.1', port: server.port, path, headers: { accept } }, (res) => {
        res.resume();
        res.on('end', () => done({ status: res.statusCode ?? 0, csp: res.headers['content-security-policy'] as string | undefined }));
      });
      req.on('error', fail);
      req.end();
    });
  }

  it('puts the policy on the page, on a client route\'s page and on the page\'s files', async () => {
    const policy = contentSecurityPolicy(PAGE);
    for (const [path, accept] of [['/', 'text/html'], ['/index.html', 'text/html'], ['/replay/AbCdEfGhIjKlMnOpQrStUv', 'text/html'], ['/join/ABC123', 'text/html'], [`/${HASHED}`, '*/*']] as const) {
      const got = await headerOf(path, accept);
      expect(got.status, path).toBe(200);
      expect(got.csp, path).toBe(policy);
    }
  });
});
