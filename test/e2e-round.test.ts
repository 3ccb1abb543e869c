// End to end: the real game server and the built client in headless Chromium. A player
// opens the page, starts a solo round, changes a setting by vote in setup, acts on their
// node in the live phase and sees it in the HUD and the map, then reads the debrief.
// Screenshots of every screen go to test-results/ (gitignored) for a person to look at.

import { describe, expect, it } from 'vitest';
import { browserSkipReason, openBrowser, screenshotPath, servedClient, settled } from './support/browser.js';
import type { RoundView } from '../client/src/view.js';
import { int, percent } from '../shared/lessons/pick.js';
import { getScenario } from '../shared/scenarios/index.js';
import { promiseText } from '../shared/words/promise.js';

const skip = browserSkipReason();
if (skip !== null) console.warn(`e2e-round: skipped: ${skip}`);


/** Short phases so a whole round fits in a test: 30 s live (the shortest the server allows). */
const ROUND = 'briefingSeconds=2&setupSeconds=120&roundSeconds=30&chaos=heavy&seed=7&debriefSeconds=600';

describe.skipIf(skip !== null)('a solo round in the browser', () => {
  const served = servedClient();

  it('home → briefing → setup (a vote) → live (actions) → debrief', { timeout: 300_000 }, async () => {
    const s = await openBrowser({ width: 1366, height: 768 });
    try {
      const { page } = s;
      const view = () => page.evaluate(() => (window as unknown as { splitBrain: { view(): RoundView | null } }).splitBrain.view());
      const phase = (p: string, timeout = 20_000) => page.waitForFunction((want) => (window as unknown as { splitBrain: { view(): { phase: string } | null } }).splitBrain.view()?.phase === want, p, { timeout });

      await page.goto(`${served.base}/?${ROUND}`);
      await page.waitForSelector('[data-play="solo"]');
      await page.fill('#nickname', 'Ada');
      await page.click('[data-scenario="bank"]');
      // A first visit plays at normal difficulty, and says what that means.
      expect(await page.inputValue('#difficulty')).toBe('normal');
      expect(await page.textContent('#difficulty-help')).toContain('the scenario as written');
      await page.screenshot({ path: screenshotPath('e2e-1-home') });

      await page.click('[data-play="solo"]');
      await phase('briefing');
      await page.waitForSelector('text=Requests that must succeed');
      await page.screenshot({ path: screenshotPath('e2e-2-briefing') });
      const brief = await page.textContent('main');
      // The customer's promise, in words made from the SLA the round plays (normal difficulty: the scenario's own).
      const promise = await page.textContent('.promise-line');
      expect(promise).toBe(promiseText(getScenario('bank')!));
      expect(brief).toContain(percent(getScenario('bank')!.sla.availability));
      expect(brief).toContain('node N0');
      expect(await page.getAttribute('.difficulty-line', 'data-difficulty')).toBe('normal');

      // Setup: the team (just us) votes a shorter failover timeout in.
      await phase('setup');
      await page.click('[data-tab="settings"]');
      await page.selectOption('select[data-setting="failoverTimeoutMs"]', JSON.stringify(800));
      await page.click('[data-propose="failoverTimeoutMs"]');
      await page.waitForFunction(() => (window as unknown as { splitBrain: { view(): RoundView | null } }).splitBrain.view()?.settings.failoverTimeoutMs === 800, null, { timeout: 10_000 });
      const afterVote = await view();
      expect(afterVote?.vote.status).toBe('passed');
      await page.screenshot({ path: screenshotPath('e2e-3-setup') });
      await page.click('[data-ready="setup"]');

      // Live: traffic flows; act on our node with a button and with the keyboard.
      await phase('live');
      await page.waitForFunction(() => ((window as unknown as { splitBrain: { view(): RoundView | null } }).splitBrain.view()?.measures.requests ?? 0) > 500, null, { timeout: 15_000 });
      const before = (await view())!;
      expect(before.myNode).toBe(0);
      const hudBefore = await page.textContent('[data-cell="avail"] .sub');
      await page.click('[data-tab="node"]');
      await page.click('[data-action="scale-up"]');
      await page.waitForFunction(() => (window as unknown as { splitBrain: { view(): RoundView | null } }).splitBrain.view()?.nodes[0]?.size === 2, null, { timeout: 10_000 });
      await page.keyboard.press('d');
      await page.waitForFunction(() => (window as unknown as { splitBrain: { view(): RoundView | null } }).splitBrain.view()?.nodes[0]?.drained === true, null, { timeout: 10_000 });
      await page.waitForSelector('[data-action="drain"]:has-text("Undrain")');
      await page.waitForSelector('.feed li:has-text("twice as big")');
      // Someone else's node cannot be acted on, and the panel says why.
      await page.keyboard.press('1');
      await page.waitForSelector('.node-panel .action-note:has-text("runs node N1")');
      expect(await page.isDisabled('[data-action="restart"]')).toBe(true);
      await page.keyboard.press('0');
      // The round goes on: the HUD's line under availability moves, and the counts grow.
      await page.waitForFunction((was) => document.querySelector('[data-cell="avail"] .sub')?.textContent !== was, hudBefore, { timeout: 10_000 });
      await page.waitForFunction(
        ({ requests, cost }) => {
          const m = (window as unknown as { splitBrain: { view(): RoundView | null } }).splitBrain.view()?.measures;
          return m !== undefined && m.requests > requests && m.cost > cost;
        },
        { requests: before.measures.requests, cost: before.measures.cost },
        { timeout: 10_000 },
      );
      const during = (await view())!;
      expect(during.measures.requests).toBeGreaterThan(before.measures.requests);
      expect(during.measures.cost).toBeGreaterThan(before.measures.cost);
      await page.screenshot({ path: screenshotPath('e2e-4-live') });
      // The same moment on a projector's 1920×1080: bigger type, the map follows the window.
      await page.setViewportSize({ width: 1920, height: 1080 });
      await settled(page);
      await page.screenshot({ path: screenshotPath('e2e-4b-projector') });
      await page.setViewportSize({ width: 1366, height: 768 });

      // Wait for chaos to show on the map (heavy chaos, seed 7: a partition strikes early).
      await page.waitForFunction(() => ((window as unknown as { splitBrain: { view(): RoundView | null } }).splitBrain.view()?.network.partitioned ?? false), null, { timeout: 25_000 }).then(
        () => page.screenshot({ path: screenshotPath('e2e-5-partition') }),
        () => undefined,
      );

      await phase('debrief', 60_000);
      await page.waitForSelector('[data-card]');
      await settled(page);
      await page.screenshot({ path: screenshotPath('e2e-6-debrief'), fullPage: true });
      const d = (await view())!;
      expect(d.debrief).not.toBeNull();
      const score = await page.getAttribute('[data-score]', 'data-score');
      expect(Number(score)).toBe(d.debrief!.summary.score);
      // The scorecard, four charts, a timeline with chaos and our actions, and cards with numbers.
      expect(await page.locator('.scorecard tbody tr').count()).toBeGreaterThanOrEqual(5);
      // Each term of the promise, kept or missed as the score's verdict says, in words.
      const verdicts = await page.locator('.promise-verdicts li').allTextContents();
      expect(verdicts).toHaveLength(4);
      for (const line of verdicts) expect(line).toMatch(/^(Kept|Missed): /);
      expect(verdicts.every((line) => line.startsWith('Kept'))).toBe(d.debrief!.summary.availability >= getScenario('bank')!.sla.availability && d.debrief!.summary.p99 <= getScenario('bank')!.sla.p99Ms && d.debrief!.summary.staleReads === 0 && d.debrief!.summary.lostWrites === 0);
      expect(await page.locator('.chart svg').count()).toBe(4);
      const timeline = await page.textContent('.timeline');
      expect(timeline).toContain('twice as big');
      expect(await page.locator('.timeline li').count()).toBeGreaterThan(2);
      const cards = await page.locator('[data-card]').allTextContents();
      expect(cards.length).toBeGreaterThanOrEqual(3);
      expect(cards.join(' ')).toContain(`of ${int(d.debrief!.summary.requests)} requests succeeded`);
      expect(await page.locator('[data-card="nines"]').count()).toBe(1);
      expect(s.errors).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('a dropped connection, a reload, and a reload whose token is refused all come back to the player\'s node', { timeout: 180_000 }, async () => {
    const s = await openBrowser({ width: 1366, height: 768 });
    try {
      const { page } = s;
      type W = { splitBrain: { view(): RoundView | null; app: { conn: { room: { roomId: string; connection: { transport: { ws: WebSocket } } } | null } } } };
      const view = () => page.evaluate(() => (window as unknown as W).splitBrain.view());
      /** Live, on node 0, connected, with the round's one human player being this page. */
      const backOnMyNode = async (me: string, what: string) => {
        await page.waitForFunction(
          (id) => {
            const v = (window as unknown as W).splitBrain.view();
            return v !== null && v.phase === 'live' && v.me === id && v.myNode === 0 && v.players.some((p) => p.id === id && p.connected) && !v.nodes[0]!.botControlled;
          },
          me,
          { timeout: 30_000 },
        ).catch((err: unknown) => {
          throw new Error(`${what}: ${(err as Error).message}`);
        });
      };

      await page.goto(`${served.base}/?briefingSeconds=1&setupSeconds=1&roundSeconds=120&seed=5`);
      await page.waitForSelector('[data-play="solo"]');
      await page.fill('#nickname', 'Lin');
      await page.click('[data-scenario="bank"]');
      await page.click('[data-play="solo"]');
      await page.waitForFunction(() => (window as unknown as W).splitBrain.view()?.phase === 'live', null, { timeout: 30_000 });
      const me = (await view())!.me;
      const roomId = await page.evaluate(() => (window as unknown as W).splitBrain.app.conn.room!.roomId);

      // The connection drops under the page: it says so, keeps trying, and is back.
      await page.evaluate(() => (window as unknown as W).splitBrain.app.conn.room!.connection.transport.ws.close());
      await page.waitForSelector('.toast:has-text("Back in the round.")', { timeout: 30_000 });
      await backOnMyNode(me, 'after the drop');
      expect(await page.locator('.toast:has-text("trying to get back in")').count()).toBe(0);

      // A reload comes back into the round with the token the tab kept.
      await page.reload();
      await backOnMyNode(me, 'after a reload');

      // A reload whose token is refused comes back by the browser's player key.
      await page.evaluate((id) => {
        sessionStorage.setItem('splitbrain.reconnect', JSON.stringify({ token: `${id}:not-the-token`, until: Date.now() + 60_000 }));
      }, roomId);
      await page.reload();
      await backOnMyNode(me, 'after a reload with a refused token');
      const v = (await view())!;
      expect(v.players.filter((p) => !p.isBot).map((p) => p.nickname)).toEqual(['Lin']);
      // A try that comes before the server noticed the drop is answered 409 (try again), which Chromium logs.
      expect(s.errors.filter((e) => !/status of 409/.test(e))).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('the tutorial on a phone: coach, map, and node panel fit a narrow screen', { timeout: 90_000 }, async () => {
    const s = await openBrowser({ width: 390, height: 844, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    try {
      const { page } = s;
      await page.goto(`${served.base}/?briefingSeconds=1&setupSeconds=1&roundSeconds=60&seed=3`);
      await page.waitForSelector('[data-play="tutorial"]');
      await page.fill('#nickname', 'Grace');
      await page.screenshot({ path: screenshotPath('e2e-7-phone-home'), fullPage: true });
      await page.tap('[data-play="tutorial"]');
      await page.waitForSelector('.coach');
      await page.waitForFunction(() => (window as unknown as { splitBrain: { view(): { phase: string } | null } }).splitBrain.view()?.phase === 'live', null, { timeout: 20_000 });
      await page.waitForSelector('.coach[data-chapter="node"]');
      expect(await page.textContent('.coach')).toContain('Chapter 1 of 7');
      // The tutorial is a first round: easy, and the HUD says so beside the clock.
      expect(await page.evaluate(() => (window as unknown as { splitBrain: { view(): { difficulty: string } | null } }).splitBrain.view()?.difficulty)).toBe('easy');
      expect(await page.textContent('[data-cell="phase"][data-difficulty="easy"] .sub')).toContain('Easy');
      await page.tap('[data-coach="next"]');
      expect(await page.textContent('.coach')).toContain('Chapter 2 of 7');
      // Touch targets: every button in the node panel is at least 44 px tall.
      const heights = await page.$$eval('.node-panel button', (bs) => bs.map((b) => b.getBoundingClientRect().height));
      expect(heights.length).toBeGreaterThan(8);
      for (const hgt of heights) expect(hgt).toBeGreaterThanOrEqual(43.5);
      // A touch screen shows no keyboard keys, and no separator left dangling before one.
      const strip = await page.$$eval('.strip small', (els) => els.map((e) => (e as HTMLElement).innerText.trim()));
      expect(strip.length).toBeGreaterThan(0);
      expect(strip.filter((t) => /·$/.test(t))).toEqual([]);
      expect(await page.$$eval('.strip kbd', (ks) => ks.filter((k) => k.getBoundingClientRect().width > 0).length)).toBe(0);
      // Nothing wider than the screen.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(1);
      await settled(page);
      await page.screenshot({ path: screenshotPath('e2e-8-phone-tutorial'), fullPage: true });
      // The rest of the tutorial, chapter by chapter, is test/e2e-tutorial.test.ts.
      expect(s.errors).toEqual([]);
    } finally {
      await s.close();
    }
  });
});
