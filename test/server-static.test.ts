// The built client over HTTP, as a browser fetches it: compressed (brotli or gzip, from the
// copies the build writes) when the browser says it accepts that, the same bytes once
// decoded, plain otherwise; hashed assets cached for a year, the page never; HEAD, ranges
// and nonsense Accept-Encoding headers all answered sensibly.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GameServer } from '../server/app.js';
import { pickCoding } from '../server/accept-encoding.js';
import { precompressDir } from '../server/precompress.js';
import { CACHE } from '../server/static-files.js';
import { startTestServer } from './support/game-server.js';

// A stand-in for dist/client, precompressed as the build does it.
const dir = mkdtempSync(join(tmpdir(), 'splitbrain-static-'));
mkdirSync(join(dir, 'assets'));
mkdirSync(join(dir, 'icons'));
const PAGE = `<!doctype html><html><head><title>Split Brain</title></head><body>${'<p>a page long enough to be worth compressing</p>'.repeat(30)}</body></html>`;
const SCRIPT = `export const words = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => `word ${i} of the game`))};`;
const HASHED = 'assets/index-AbC12_-x.js';
writeFileSync(join(dir, 'index.html'), PAGE);
writeFileSync(join(dir, HASHED), SCRIPT);
writeFileSync(join(dir, 'icons', 'clock.svg'), `<svg xmlns="http://www.w3.org/2000/svg">${'<circle r="1"/>'.repeat(60)}</svg>`);

let server: GameServer;
let port = 0;

beforeAll(async () => {
  await precompressDir(dir);
  const t = await startTestServer({ clientDir: dir });
  server = t.server;
  port = server.port;
});
afterAll(async () => {
  await server?.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A raw request: no client-side decoding, every header as sent. */
function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
    });
    req.on('error', fail);
    req.end();
  });
}

describe('the built client over HTTP', () => {
  it('sends gzip when asked for it, and it decodes to the very file', async () => {
    const a = await get(`/${HASHED}`, { 'Accept-Encoding': 'gzip' });
    expect(a.status).toBe(200);
    expect(a.headers['content-encoding']).toBe('gzip');
    expect(a.headers['content-type']).toMatch(/javascript/);
    expect(a.headers.vary).toMatch(/Accept-Encoding/i);
    expect(a.body.length).toBeLessThan(SCRIPT.length / 3);
    expect(gunzipSync(a.body).toString()).toBe(SCRIPT);
    expect(Number(a.headers['content-length'])).toBe(a.body.length);
  });

  it('prefers brotli when the browser takes both, as Chromium does', async () => {
    const a = await get(`/${HASHED}`, { 'Accept-Encoding': 'gzip, deflate, br, zstd' });
    expect(a.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(a.body).toString()).toBe(SCRIPT);
  });

  it('sends the file as it is when no compression is accepted', async () => {
    for (const headers of [{} as Record<string, string>, { 'Accept-Encoding': 'identity' }, { 'Accept-Encoding': 'gzip;q=0, br;q=0' }, { 'Accept-Encoding': 'deflate' }]) {
      const a = await get(`/${HASHED}`, headers);
      expect(a.status).toBe(200);
      expect(a.headers['content-encoding']).toBeUndefined();
      expect(a.headers.vary).toMatch(/Accept-Encoding/i);
      expect(a.body.toString()).toBe(SCRIPT);
    }
  });

  it('answers nonsense Accept-Encoding headers with a readable file', async () => {
    for (const junk of ['gzip;q=abc', ';;;,,,', 'br;q=-1, gzip;q=2', '*', 'x-gzip', '\u00ff\u00fe', 'b'.repeat(4000)]) {
      const a = await get(`/${HASHED}`, { 'Accept-Encoding': junk });
      expect(a.status, junk).toBe(200);
      const coding = a.headers['content-encoding'];
      const text = coding === 'gzip' ? gunzipSync(a.body) : coding === 'br' ? brotliDecompressSync(a.body) : a.body;
      expect(text.toString(), junk).toBe(SCRIPT);
    }
  });

  it('caches hashed assets for a year, checks the page on each visit, keeps other files an hour', async () => {
    expect((await get(`/${HASHED}`, { 'Accept-Encoding': 'br' })).headers['cache-control']).toBe(CACHE.hashed);
    expect((await get(`/${HASHED}`)).headers['cache-control']).toBe(CACHE.hashed);
    for (const path of ['/', '/index.html']) {
      for (const enc of ['gzip', 'identity']) {
        const a = await get(path, { 'Accept-Encoding': enc });
        expect(a.headers['cache-control'], `${path} ${enc}`).toBe(CACHE.html);
        expect(a.headers['content-type']).toMatch(/text\/html/);
      }
    }
    const icon = await get('/icons/clock.svg', { 'Accept-Encoding': 'gzip' });
    expect(icon.headers['cache-control']).toBe('public, max-age=3600');
    expect(icon.headers['content-type']).toMatch(/svg/);
    expect(gunzipSync(icon.body).toString()).toContain('<svg');
  });

  it('compresses the page at a client route too, with its <base>, never cached', async () => {
    const a = await get('/join/ABCD', { Accept: 'text/html', 'Accept-Encoding': 'gzip' });
    expect(a.status).toBe(200);
    expect(a.headers['content-encoding']).toBe('gzip');
    expect(a.headers['cache-control']).toBe(CACHE.html);
    expect(gunzipSync(a.body).toString()).toContain('<base href="../">');
    const plain = await get('/join/ABCD', { Accept: 'text/html' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toContain('<base href="../">');
  });

  it('answers HEAD with the compressed copy\'s headers and no body', async () => {
    const a = await get(`/${HASHED}`, { 'Accept-Encoding': 'gzip' }, 'HEAD');
    expect(a.status).toBe(200);
    expect(a.headers['content-encoding']).toBe('gzip');
    expect(Number(a.headers['content-length'])).toBe(readFileSync(join(dir, `${HASHED}.gz`)).length);
    expect(a.body.length).toBe(0);
  });

  it('serves a range of the compressed copy it names, and of the plain file', async () => {
    const gz = readFileSync(join(dir, `${HASHED}.gz`));
    const a = await get(`/${HASHED}`, { 'Accept-Encoding': 'gzip', Range: 'bytes=10-29' });
    expect(a.status).toBe(206);
    expect(a.headers['content-encoding']).toBe('gzip');
    expect(a.headers['content-range']).toBe(`bytes 10-29/${gz.length}`);
    expect(a.body.equals(gz.subarray(10, 30))).toBe(true);
    const plain = await get(`/${HASHED}`, { Range: 'bytes=0-5' });
    expect(plain.status).toBe(206);
    expect(plain.body.toString()).toBe(SCRIPT.slice(0, 6));
  });

  it('still answers 404 for a missing file, compressed or not', async () => {
    expect((await get('/assets/missing-AbCd1234.js', { 'Accept-Encoding': 'gzip' })).status).toBe(404);
  });
});

describe('choosing the coding from Accept-Encoding', () => {
  const both = ['br', 'gzip'] as const;
  it('follows the weights, and brotli on a tie', () => {
    expect(pickCoding('gzip, br', both)).toBe('br');
    expect(pickCoding('gzip;q=1, br;q=0.5', both)).toBe('gzip');
    expect(pickCoding('br', ['gzip'])).toBeNull();
    expect(pickCoding('*', both)).toBe('br');
    expect(pickCoding('*;q=0, gzip', both)).toBe('gzip');
    expect(pickCoding('GZIP', both)).toBe('gzip');
    expect(pickCoding(undefined, both)).toBeNull();
    expect(pickCoding('', both)).toBeNull();
    expect(pickCoding('gzip;q=oops', both)).toBeNull();
  });
});
