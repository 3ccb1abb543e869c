// The built client over HTTP: each file compressed when the browser accepts it (the .br or
// .gz copy the build wrote beside it, server/precompress.ts), and cached as long as it
// safely can be. vite names every file under assets/ by its content's hash, so a browser may
// keep those for a year without asking again; the page itself (HTML) is checked each visit,
// so a new build reaches players at once; other files (icons) keep a short lifetime.
// serve-static does the rest (HEAD, ranges — of the compressed copy —, ETags, 304s).

import { readdirSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import express, { type Request, type RequestHandler, type Response } from 'express';
import { pickCoding, SUFFIX, type Coding } from './accept-encoding.js';
import { COMPRESSIBLE } from './precompress.js';

export const CACHE = {
  hashed: 'public, max-age=31536000, immutable',
  html: 'no-cache',
  /** Files without a hash in their name (icons): an hour. */
  otherMaxAge: '1h',
} as const;

/** vite's output names under assets/: name-<8 characters of hash>.ext. */
const HASHED = /^assets\/.+-[A-Za-z0-9_-]{8}\.[a-z0-9]+$/;

export function clientFiles(dir: string): RequestHandler {
  const copies = precompressedCopies(dir);
  const statics = express.static(dir, {
    index: 'index.html',
    maxAge: CACHE.otherMaxAge,
    setHeaders: (res, path) => cacheHeaders(res, relative(dir, path.replace(/\.(?:br|gz)$/, '')).split(sep).join('/')),
  });
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return statics(req, res, next);
    const url = req.url;
    const [path = '', query] = splitQuery(url);
    let file: string;
    try {
      file = decodeURIComponent(path.endsWith('/') ? `${path}index.html` : path).replace(/^\/+/, '');
    } catch {
      return statics(req, res, next);
    }
    const have = copies.get(file);
    if (have === undefined) return statics(req, res, next);
    res.vary('Accept-Encoding');
    const coding = pickCoding(req.headers['accept-encoding'], have);
    if (coding === null) return statics(req, res, next);
    res.setHeader('Content-Encoding', coding);
    res.type(extname(file));
    req.url = `${path.endsWith('/') ? `${path}index.html` : path}${SUFFIX[coding]}${query !== undefined ? `?${query}` : ''}`;
    statics(req, res, (err?: unknown) => {
      // The copy vanished (a rebuild under a running server): answer as if never rewritten.
      req.url = url;
      res.removeHeader('Content-Encoding');
      res.removeHeader('Content-Type');
      next(err);
    });
  };
}

/** A page made per request (the app's page at a client route), compressed as the browser accepts. */
export function sendHtml(req: Request, res: Response, html: string): void {
  res.vary('Accept-Encoding');
  res.setHeader('Cache-Control', CACHE.html);
  res.type('html');
  const coding = pickCoding(req.headers['accept-encoding'], ['br', 'gzip']);
  if (coding === null) {
    res.send(html);
    return;
  }
  // A couple of kilobytes: a quick setting costs microseconds.
  const body = coding === 'br' ? brotliCompressSync(html, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } }) : gzipSync(html, { level: 6 });
  res.setHeader('Content-Encoding', coding);
  res.send(body);
}

/** Which compressed copies exist, by the original's path under `dir` ('assets/index-x.js'). */
function precompressedCopies(dir: string): Map<string, Coding[]> {
  const out = new Map<string, Coding[]>();
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      if (!entry.isFile()) continue;
      for (const coding of ['br', 'gzip'] as Coding[]) {
        const original = path.slice(0, -SUFFIX[coding].length);
        if (!path.endsWith(SUFFIX[coding]) || !COMPRESSIBLE.test(original)) continue;
        const key = relative(dir, original).split(sep).join('/');
        out.set(key, [...(out.get(key) ?? []), coding]);
      }
    }
  };
  walk(dir);
  return out;
}

function cacheHeaders(res: Response, file: string): void {
  if (file.endsWith('.html')) res.setHeader('Cache-Control', CACHE.html);
  else if (HASHED.test(file)) res.setHeader('Cache-Control', CACHE.hashed);
}

function splitQuery(url: string): [string, string | undefined] {
  const i = url.indexOf('?');
  return i < 0 ? [url, undefined] : [url.slice(0, i), url.slice(i + 1)];
}
