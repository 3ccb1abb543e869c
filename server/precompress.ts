// Compressed copies of the built client's text files, made once at build time (a vite
// plugin, so `vite build`, `npm start` and the tests' builds all make them): x.js gets
// x.js.br and x.js.gz beside it, and the server sends the one a browser accepts
// (server/static-files.ts) without spending CPU per request.

import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Plugin } from 'vite';
import { SUFFIX } from './accept-encoding.js';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** The text files worth compressing (images and fonts are compressed already). */
export const COMPRESSIBLE = /\.(?:js|mjs|css|html|svg|json|txt|map|webmanifest)$/i;

/** Smaller files gain too little to be worth a second request path. */
const MIN_BYTES = 512;

/**
 * Brotli's settings, measured on this client's chunks: 11 (the best) takes seconds on the
 * home page's chunk and on Phaser for 1-2% less than 10; 10 takes seconds on Phaser's
 * megabyte for 8% less than 9. Each build compresses (the tests build often), so: 10 for
 * files up to this size, 9 above.
 */
const BROTLI_10_UP_TO = 256 * 1024;

export interface Precompressed {
  files: number;
  bytes: number;
  gzipBytes: number;
  brotliBytes: number;
}

/** Write .br and .gz beside every compressible file under `dir` (a copy only where it is smaller). */
export async function precompressDir(dir: string): Promise<Precompressed> {
  const out: Precompressed = { files: 0, bytes: 0, gzipBytes: 0, brotliBytes: 0 };
  const files = (await listFiles(dir)).filter((f) => COMPRESSIBLE.test(f));
  await Promise.all(
    files.map(async (file) => {
      const body = await readFile(file);
      if (body.length < MIN_BYTES) return;
      const quality = body.length <= BROTLI_10_UP_TO ? 10 : 9;
      const [br, gz] = await Promise.all([
        brotli(body, { params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }),
        gzipAsync(body, { level: 9 }),
      ]);
      out.files++;
      out.bytes += body.length;
      out.brotliBytes += Math.min(br.length, body.length);
      out.gzipBytes += Math.min(gz.length, body.length);
      if (br.length < body.length) await writeFile(file + SUFFIX.br, br);
      if (gz.length < body.length) await writeFile(file + SUFFIX.gzip, gz);
    }),
  );
  return out;
}

/** The vite plugin: precompress the output folder once the build has written it. */
export function precompressPlugin(): Plugin {
  let outDir = '';
  return {
    name: 'split-brain-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      await precompressDir(outDir);
    },
  };
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}
