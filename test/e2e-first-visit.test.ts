// A first visit in the browser, counted byte by byte: the home page and the join page load
// within the budget (compressed, as the server sends them) and never fetch Phaser; opening
// a round then loads the map on demand, and a map whose code cannot be fetched says so and
// comes back with "Try again", as does a screen's. The page runs under the server's
// Content-Security-Policy (server/csp.ts): its own inline script runs, a slipped-in one does
// not. Screenshots go to test-results/first-visit-*.png.

import { describe, expect, it } from 'vitest';
import { browserSkipReason, openBrowser, screenshotPath, servedClient, type Session } from './support/browser.js';
import { describeTransfers, HOME_PAGE_BUDGET, PHASER_CHUNK, totals, TransferLog } from './support/page-weight.js';
import { GO_HOME_TEXT, MAP_FAILED_TEXT, MAP_LOADING_TEXT, SCREEN_FAILED_TEXT } from '../shared/words/loading.js';

const skip = browserSkipReason();
if (skip !== null) console.warn(`e2e-first-visit: skipped: ${skip}`);

/** Short phases: the round is live within seconds. */
const ROUND = 'briefingSeconds=1&setupSeconds=1&roundSeconds=60&seed=3';

describe.skipIf(skip !== null)('a first visit', () => {
  const served = servedClient();

  /** Open `path` in a fresh browser (an empty cache), wait for `ready`, and return what it fetched. */
  async function firstVisit(s: Session, path: string, ready: string) {
    const log = new TransferLog(s.page);
    await s.page.goto(`${served.base}${path}`);
    await s.page.waitForSelector(ready);
    await s.page.waitForLoadState('networkidle');
    return { log, start: await log.take() };
  }

  it('the home page loads within the budget without Phaser, and a round then loads the map', { timeout: 180_000 }, async () => {
    const s = await openBrowser({ width: 1366, height: 768 });
    try {
      const { page } = s;
      const { log, start } = await firstVisit(s, `/?${ROUND}`, '[data-play="tutorial"]');
      console.log(describeTransfers('home page', start));
      expect(start.some((x) => x.kind === 'script')).toBe(true);
      expect(start.filter((x) => PHASER_CHUNK.test(x.url)).map((x) => x.url)).toEqual([]);
      // Everything text went out compressed.
      expect(start.filter((x) => (x.kind === 'script' || x.kind === 'style') && x.encoding === '').map((x) => x.url)).toEqual([]);
      expect(totals(start).wire).toBeLessThanOrEqual(HOME_PAGE_BUDGET);
      await page.screenshot({ path: screenshotPath('first-visit-1-home') });

      // The tutorial draws the map: Phaser comes now, and the map's canvas appears.
      await page.fill('#nickname', 'Ada');
      await page.click('[data-play="tutorial"]');
      await page.waitForSelector('.canvas-host canvas', { timeout: 60_000 });
      await page.waitForSelector('.coach');
      const round = await log.take();
      console.log(describeTransfers('the round adds', round));
      expect(round.filter((x) => PHASER_CHUNK.test(x.url))).toHaveLength(1);
      expect(await page.locator('.canvas-host .loading-note').count()).toBe(0);
      await page.screenshot({ path: screenshotPath('first-visit-2-round') });
      expect(s.errors).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('the join page loads within the budget without Phaser', { timeout: 120_000 }, async () => {
    const s = await openBrowser({ width: 390, height: 844, isMobile: true, hasTouch: true });
    try {
      const { start } = await firstVisit(s, '/join/ABCD2345', '#class-code');
      console.log(describeTransfers('join page', start));
      expect(start.filter((x) => PHASER_CHUNK.test(x.url))).toEqual([]);
      expect(totals(start).wire).toBeLessThanOrEqual(HOME_PAGE_BUDGET);
      expect(await s.page.inputValue('#class-code')).toBe('ABCD2345');
      await s.page.screenshot({ path: screenshotPath('first-visit-3-join') });
      expect(s.errors).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('a map whose code cannot be fetched says so, and "Try again" brings it', { timeout: 180_000 }, async () => {
    const s = await openBrowser({ width: 1366, height: 768 });
    try {
      const { page } = s;
      // The network drops Phaser's chunk (and only it) until told otherwise.
      let blocked = true;
      await page.route(PHASER_CHUNK, (r) => (blocked ? r.abort('internetdisconnected') : r.continue()));
      await page.goto(`${served.base}/?${ROUND}`);
      await page.fill('#nickname', 'Lin');
      await page.click('[data-play="tutorial"]');
      await page.waitForSelector('.canvas-host .loading-note[data-loading="failed"]', { timeout: 60_000 });
      expect(await page.textContent('.canvas-host .loading-note')).toContain(MAP_FAILED_TEXT);
      expect(await page.textContent('.canvas-host .loading-note')).not.toContain(MAP_LOADING_TEXT);
      // The rest of the round screen works meanwhile.
      await page.waitForSelector('.coach');
      await page.screenshot({ path: screenshotPath('first-visit-4-map-failed') });
      blocked = false;
      await page.click('.canvas-host [data-retry]');
      await page.waitForSelector('.canvas-host canvas', { timeout: 60_000 });
      expect(await page.locator('.canvas-host .loading-note').count()).toBe(0);
      await page.screenshot({ path: screenshotPath('first-visit-5-map-retried') });
      // The failed fetch itself is the only error the page logged.
      expect(s.errors.filter((e) => !/phaser|Failed to fetch|ERR_INTERNET_DISCONNECTED|dynamically imported module/i.test(e))).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('a screen whose code cannot be fetched says so, and "Try again" opens it', { timeout: 120_000 }, async () => {
    const s = await openBrowser({ width: 1366, height: 768 });
    try {
      const { page } = s;
      let blocked = true;
      const chunk = /\/assets\/replays-[^/]*\.js$/;
      await page.route(chunk, (r) => (blocked ? r.abort('internetdisconnected') : r.continue()));
      await page.goto(`${served.base}/replays`);
      await page.waitForSelector('.loading-screen .loading-note[data-loading="failed"]');
      expect(await page.textContent('.loading-note')).toContain(SCREEN_FAILED_TEXT);
      // A whole screen that cannot load also offers the way home.
      expect(await page.textContent('.loading-note [data-retry="home"]')).toBe(GO_HOME_TEXT);
      await page.screenshot({ path: screenshotPath('first-visit-6-screen-failed') });
      blocked = false;
      await page.click('.loading-note [data-retry="load"]');
      await page.waitForSelector('main.replays h1');
      expect(await page.locator('.loading-note').count()).toBe(0);
      await page.screenshot({ path: screenshotPath('first-visit-7-screen-retried') });
      // This server keeps no recordings: the lists' requests answer 503, which Chromium logs.
      expect(s.errors.filter((e) => !/replays|Failed to fetch|ERR_INTERNET_DISCONNECTED|dynamically imported module|status of 503/i.test(e))).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it("runs under its Content-Security-Policy: the page's own inline script runs, one slipped in does not", { timeout: 120_000 }, async () => {
    const s = await openBrowser({ width: 1366, height: 768 });
    try {
      const { page } = s;
      // A join link: the page's inline script adds a base address at such an address (index.html).
      const res = await page.goto(`${served.base}/join/ABCD2345`);
      const policy = res?.headers()['content-security-policy'] ?? '';
      expect(policy).toMatch(/script-src 'self' 'unsafe-eval' 'sha256-[A-Za-z0-9+/=]+'/);
      await page.waitForSelector('#class-code');
      // The page's own inline script ran (allowed by its hash): a second <base> after the server's.
      expect(await page.locator('base').count()).toBe(2);
      // A script someone slipped into the page is refused, and the browser says which rule refused it.
      const refused = await page.evaluate(() => new Promise<string>((done) => {
        document.addEventListener('securitypolicyviolation', (e) => done(e.effectiveDirective), { once: true });
        const el = document.createElement('script');
        el.textContent = 'window.slippedIn = true;';
        document.body.appendChild(el);
      }));
      expect(refused).toBe('script-src-elem');
      expect(await page.evaluate(() => (window as unknown as { slippedIn?: boolean }).slippedIn)).toBeUndefined();
      // The refusal is the page's only complaint.
      expect(s.errors.filter((e) => !/Content Security Policy/i.test(e))).toEqual([]);
      expect(s.errors.length).toBeGreaterThan(0);
    } finally {
      await s.close();
    }
  });
});
