// npm run bench:page — what a first visit downloads: the home page (/) and a class's join
// page (/join/<code>) each in a fresh headless Chromium (an empty cache), then what opening
// a round (the tutorial) adds, with its map. Prints bytes on the wire (headers and
// compressed bodies, as the server sends them) and decoded, per page, per kind and for the
// largest files. Sizes are deterministic for a given build: unlike the timing benches, two
// runs print the same figures. Builds the client into dist/client first when that is
// missing or older than the sources (BENCH_BUILD=1 always builds).

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startGameServer } from '../../server/app.js';
import { chromiumPath, INSTALL_HINT, openBrowser, type Session } from '../support/browser.js';
import { describeTransfers, HOME_PAGE_BUDGET, kB, PHASER_CHUNK, totals, TransferLog, type Transfer } from '../support/page-weight.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLIENT = join(ROOT, 'dist', 'client');
/** What the built client is made from: newer than the build means build again. */
const SOURCES = ['client', 'shared', 'assets', 'vite.config.ts', 'server/precompress.ts', 'package-lock.json'];
const ROUND = '/?briefingSeconds=1&setupSeconds=1&roundSeconds=60&seed=3';

if (chromiumPath() === null) {
  console.error(`bench:page: ${INSTALL_HINT}`);
  process.exit(1);
}
if (process.env.BENCH_BUILD === '1' || stale()) {
  console.log('building the client (vite build)…');
  const vite = join(dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');
  const r = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const server = await startGameServer({ port: 0, host: '127.0.0.1', clientDir: CLIENT });
const base = `http://127.0.0.1:${server.port}`;
try {
  console.log(`page benchmark: first visits to ${CLIENT}, budget ${kB(HOME_PAGE_BUDGET)} on the wire per page\n`);
  const home = await openBrowser({ width: 1366, height: 768 });
  try {
    const { log, start } = await visit(home, ROUND, '[data-play="tutorial"]');
    report('home page (/)', start);
    await home.page.fill('#nickname', 'Ada');
    await home.page.click('[data-play="tutorial"]');
    await home.page.waitForSelector('.canvas-host canvas', { timeout: 120_000 });
    await home.page.waitForLoadState('networkidle');
    const round = await log.take();
    console.log(describeTransfers('the round (tutorial) adds', round));
    console.log(`  Phaser: ${round.some((x) => PHASER_CHUNK.test(x.url)) ? 'loaded on the way into the round (the briefing fetches it ahead)' : 'not loaded'}\n`);
    console.log(`home page + round: ${kB(totals(start).wire + totals(round).wire)} transferred, ${kB(totals(start).decoded + totals(round).decoded)} decoded\n`);
  } finally {
    await home.close();
  }
  const join = await openBrowser({ width: 390, height: 844, isMobile: true, hasTouch: true });
  try {
    const { start } = await visit(join, '/join/ABCD2345', '#class-code');
    report('join page (/join/<code>)', start);
  } finally {
    await join.close();
  }
} finally {
  await server.shutdown();
}
process.exit(0);

/** Open `path` with an empty cache, wait for `ready` and a quiet network, return what came. */
async function visit(s: Session, path: string, ready: string): Promise<{ log: TransferLog; start: Transfer[] }> {
  const log = new TransferLog(s.page);
  await s.page.goto(`${base}${path}`);
  await s.page.waitForSelector(ready);
  await s.page.waitForLoadState('networkidle');
  return { log, start: await log.take() };
}

function report(title: string, list: Transfer[]): void {
  console.log(describeTransfers(title, list));
  const t = totals(list);
  const phaser = list.some((x) => PHASER_CHUNK.test(x.url));
  console.log(`  budget: ${kB(t.wire)} of ${kB(HOME_PAGE_BUDGET)} (${t.wire <= HOME_PAGE_BUDGET ? 'within' : 'OVER'}); Phaser ${phaser ? 'LOADED' : 'not loaded'}\n`);
}

function stale(): boolean {
  const page = join(CLIENT, 'index.html');
  if (!existsSync(page) || !existsSync(`${page}.gz`)) return true;
  const built = statSync(page).mtimeMs;
  return SOURCES.some((s) => newest(join(ROOT, s)) > built);
}

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(path).map((f) => newest(join(path, f))));
}
