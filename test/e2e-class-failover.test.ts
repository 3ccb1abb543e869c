// End to end: a class in headless Chromium whose session's server process is killed. Two
// server processes share Redis and serve the built client behind one address (a TCP load
// balancer in the test, which sends new connections to the surviving process once the other
// is gone, as a health-checking balancer does). The teacher's dashboard, the projector and a
// student who is playing her team's round lose the class's connection when the process
// holding it gets SIGKILL; the other process hosts the class again, and every page gets back
// in by itself — the student without leaving her round — and the class reaches its results.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserSkipReason, buildClient, openBrowser, screenshotPath, type Session } from './support/browser.js';
import { freePort, killServerProcesses, startServerProcess, stopServerProcess } from './support/server-process.js';
import { redisCommand, redisSkipReason } from './support/redis.js';
import { tcpProxy, type TcpProxy } from './support/tcp-proxy.js';

const REDIS_URL = (() => {
  const u = new URL(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
  u.pathname = '/12';
  return u.toString();
})();
const skip = browserSkipReason() ?? (await redisSkipReason(REDIS_URL));
if (skip !== null) console.warn(`e2e-class-failover: skipped: ${skip}`);

let outDir = '';
const dirs: string[] = [];
const ports: number[] = [];
const procs: ChildProcess[] = [];
let balancer: TcpProxy | null = null;

function classState(page: Page, check: string, timeout = 20_000): Promise<unknown> {
  return page.waitForFunction(`(() => { const v = window.splitBrainClass?.view(); return v != null && (${check}); })()`, null, { timeout });
}

function roundState(page: Page, check: string, timeout = 30_000): Promise<unknown> {
  return page.waitForFunction(`(() => { const v = window.splitBrain?.view(); return v != null && (${check}); })()`, null, { timeout });
}

/** Console errors that are a fault: not the dropped sockets and refused tries of the failover itself. */
function realErrors(s: Session): string[] {
  return s.errors.filter((e) => !/Failed to load resource|WebSocket|ERR_CONNECTION|net::|Room connection was closed|onError|not found|ipc_timeout|process .* is not available|seat reservation/i.test(e));
}

describe.skipIf(skip !== null)('a class in the browser whose server process dies', () => {
  beforeAll(async () => {
    outDir = await buildClient();
    await redisCommand(REDIS_URL, 'FLUSHDB');
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      const dir = mkdtempSync(join(tmpdir(), 'sb-e2e-failover-'));
      dirs.push(dir);
      ports.push(port);
      procs.push(await startServerProcess(port, { REDIS_URL, PUBLIC_ADDRESS: `127.0.0.1:${port}`, DATA_DIR: dir, CLIENT_DIR: outDir }));
    }
    balancer = await tcpProxy('127.0.0.1', ports[0]!);
  }, 240_000);

  afterAll(async () => {
    killServerProcesses();
    await balancer?.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    if (outDir) rmSync(outDir, { recursive: true, force: true });
    if (skip === null) await redisCommand(REDIS_URL, 'FLUSHDB').catch(() => {});
  });

  it('dashboard, projector and a playing student get back into the class, which reaches its results', { timeout: 300_000 }, async () => {
    const base = `http://127.0.0.1:${balancer!.port}`;
    const teacher = await openBrowser({ width: 1280, height: 800 });
    const ada = await openBrowser({ width: 1280, height: 800 });
    try {
      const host = teacher.page;
      await host.goto(`${base}/`);
      await host.click('[data-play="host-class"]');
      await host.waitForSelector('[data-join-code]');
      const code = (await host.getAttribute('[data-join-code]', 'data-join-code'))!;
      await host.selectOption('#set-split', 'count:2');
      await host.selectOption('#set-length', '120');
      await host.selectOption('#set-briefing', '2');
      await host.selectOption('#set-setup', '2');
      await host.selectOption('#set-chaos', 'none');
      await classState(host, "v.settings.roundSeconds === 120 && v.settings.chaos === 'none'");
      const opened = teacher.context.waitForEvent('page');
      await host.click('[data-class="projector"]');
      const projector = await opened;
      await projector.waitForSelector('.projector [data-join-code]');

      await ada.page.goto(`${base}/join/${code}`);
      await ada.page.fill('#class-nickname', 'Ada');
      await ada.page.click('[data-class="join"]');
      await ada.page.waitForSelector('[data-class-team]');
      await classState(host, "v.students.length === 1 && v.students[0].connected");
      await host.click('[data-host="start"]');
      await roundState(ada.page, "v.phase === 'live'");
      await projector.waitForSelector('.team-grid');

      // Which process holds the class, and which one Ada's round.
      const roomId = await host.evaluate(() => (JSON.parse(localStorage.getItem('splitbrain.class.hosted')!) as { roomId: string }).roomId);
      const listed = ((await redisCommand(REDIS_URL, 'HGETALL', 'roomcaches')) as string[]).filter((_, j) => j % 2 === 1).map((v) => JSON.parse(v) as { roomId: string; name: string; publicAddress: string });
      const sessionAt = listed.find((l) => l.roomId === roomId)!.publicAddress;
      const victim = ports.findIndex((p) => sessionAt === `127.0.0.1:${p}`);
      const survivor = ports[1 - victim]!;
      const teamRoom = await host.evaluate(() => (window as unknown as { splitBrainClass: { view(): { teams: { roomId: string }[]; students: { team: number }[] } } }).splitBrainClass.view());
      const adaRoom = teamRoom.teams[teamRoom.students[0]!.team]!.roomId;
      const adaRoundSurvives = listed.find((l) => l.roomId === adaRoom)!.publicAddress === `127.0.0.1:${survivor}`;

      const killedAt = Date.now();
      balancer!.retarget(survivor);
      await stopServerProcess(procs[victim]!, 'SIGKILL');
      await projector.waitForSelector('.proj-empty:has-text("Reconnecting")', { timeout: 10_000 });
      // The dashboard says it is back, and what it shows comes from the class hosted again: Ada
      // reads as connected again only once she has rejoined it (it restores everyone as away).
      await host.waitForSelector('text=Back in the class.', { timeout: 90_000 });
      const hostBackMs = Date.now() - killedAt;
      await classState(host, "v.code !== '' && v.phase === 'running' && v.students.length === 1 && v.students[0].connected", 90_000);
      const allBackMs = Date.now() - killedAt;
      await projector.waitForSelector('.team-grid', { timeout: 60_000 });
      expect(await projector.locator('.proj-empty').count()).toBe(0);
      expect(await host.getAttribute('[data-join-code]', 'data-join-code')).toBe(code);
      // Ada never left her round (when it lived on the other process).
      if (adaRoundSurvives) await roundState(ada.page, "v.phase === 'live'", 5000);
      await host.screenshot({ path: screenshotPath('class-failover-1-host-back'), fullPage: true });
      await projector.screenshot({ path: screenshotPath('class-failover-2-projector-back') });
      await ada.page.screenshot({ path: screenshotPath('class-failover-3-student-back') });

      // The class goes on to its results.
      await host.click('[data-host="end"]');
      await classState(host, "v.phase === 'results'", 90_000);
      await projector.waitForSelector('.proj-winner, h1:has-text("Results")', { timeout: 30_000 });
      console.log(`class failover in the browser: dashboard back ${hostBackMs} ms after the kill, student and projector back by ${allBackMs} ms; Ada's round ${adaRoundSurvives ? 'went on (its room was on the other process)' : 'was lost with the process'}`);
      expect(realErrors(teacher)).toEqual([]);
      expect(realErrors(ada)).toEqual([]);
    } finally {
      await teacher.close();
      await ada.close();
    }
  });
});
