// End to end: a solo round's debrief in headless Chromium reads as plain words from top to
// bottom, keeps its charts readable, says what to try that the team did not, and plays the
// same seed again (or one the player types). Screenshots at 1366×768 and 390×844.

import { describe, expect, it } from 'vitest';
import { browserSkipReason, openBrowser, screenshotPath, servedClient, settled } from './support/browser.js';
import { leak } from './support/plain-words.js';
import type { RoundView } from '../client/src/view.js';
import { MARKER_SPACING } from '../client/src/charts.js';

const skip = browserSkipReason();
if (skip !== null) console.warn(`e2e-debrief: skipped: ${skip}`);

const ROUND = 'briefingSeconds=1&setupSeconds=1&roundSeconds=30&chaos=heavy&seed=7&debriefSeconds=600';
type W = { splitBrain: { view(): RoundView | null } };

describe.skipIf(skip !== null)('the debrief in the browser', () => {
  const served = servedClient({ keepsRounds: true });

  it('reads as plain words, keeps its charts clear, and plays the same seed again', { timeout: 240_000 }, async () => {
    const s = await openBrowser({ width: 1366, height: 768 });
    try {
      const { page } = s;
      const view = () => page.evaluate(() => (window as unknown as W).splitBrain.view());
      await page.goto(`${served.base}/?${ROUND}`);
      await page.waitForSelector('[data-play="solo"]');
      await page.fill('#nickname', 'Ada');
      await page.click('[data-scenario="bank"]');
      await page.click('[data-play="solo"]');
      await page.waitForFunction(() => (window as unknown as W).splitBrain.view()?.phase === 'debrief', null, { timeout: 90_000 });
      await page.waitForSelector('[data-card]');
      await page.screenshot({ path: screenshotPath('debrief-1-wide'), fullPage: true });
      // On a laptop the tables have room: no column's heading is broken inside a word ("Promise d").
      const broken = await page.$$eval('.debrief table.scorecard th', (ths) =>
        ths.filter((th) => {
          const words = (th.textContent ?? '').trim().split(/\s+/).filter((w) => w !== '');
          if (words.length === 0) return false;
          const range = document.createRange();
          range.selectNodeContents(th);
          const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
          return lines.size > words.length;
        }).map((th) => th.textContent));
      expect(broken).toEqual([]);

      // Every line of the page, one by one: no internal names.
      const text = await page.evaluate(() => document.querySelector('main')!.innerText);
      const bad = text.split('\n').map((l) => l.trim()).filter((l) => l !== '').map((l) => [l, leak(l)] as const).filter(([, why]) => why !== null);
      expect(bad).toEqual([]);
      expect(text).not.toMatch(/none chaos|heavy chaos chaos/);
      expect(text).toContain('heavy chaos');

      // At most one marker per 40th of the round on each chart; a grouped one lists its events.
      const perChart = await page.$$eval('.chart svg', (svgs) => svgs.map((el) => el.querySelectorAll('line title').length));
      for (const n of perChart) expect(n).toBeLessThanOrEqual(Math.ceil(1 / MARKER_SPACING) + 1);

      // Try next never proposes the settings this round was played with.
      const v = (await view())!;
      const tries = await page.locator('.lesson .try').allTextContents();
      expect(tries.length).toBeGreaterThan(0);
      if (v.settings.stance === 'refuse') for (const t of tries) expect(t).not.toMatch(/set to refuse without a quorum/);

      // On a phone, nothing runs off the side.
      await page.setViewportSize({ width: 390, height: 844 });
      await settled(page);
      // (A wide table may run on inside a box that scrolls sideways on its own.)
      const wide = await page.evaluate(() =>
        [...document.querySelectorAll('main *')]
          .filter((el) => {
            if (el.getBoundingClientRect().right <= 391) return false;
            for (let p = el.parentElement; p !== null; p = p.parentElement) if (/auto|scroll/.test(getComputedStyle(p).overflowX)) return false;
            return true;
          })
          .slice(0, 8)
          .map((el) => `${el.tagName.toLowerCase()}.${el.className} ${Math.round(el.getBoundingClientRect().right)}`),
      );
      expect(wide).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await page.screenshot({ path: screenshotPath('debrief-2-phone-top') });
      await page.locator('.timeline').screenshot({ path: screenshotPath('debrief-3-phone-timeline') });
      await page.locator('.play-again').screenshot({ path: screenshotPath('debrief-4-phone-play-again') });
      await page.setViewportSize({ width: 1366, height: 768 });

      // A fault of the timeline leads to its replay, paused just before it, asking which node
      // to run from there (a branch): the player tries that moment again.
      const link = page.locator('.timeline .chaos .branch-link').first();
      const from = Number(await link.getAttribute('data-branch-at'));
      const label = (await link.textContent())!;
      const replay = await s.context.newPage();
      await replay.goto(new URL((await link.getAttribute('href'))!, page.url()).href);
      await replay.waitForSelector('.branch-ask');
      expect(await replay.textContent('.branch-ask h2')).toBe(label);
      const at = await replay.evaluate(() => (window as unknown as { splitBrain: { replay(): { tick: number; mode: string } | null } }).splitBrain.replay());
      expect(at?.mode).toBe('viewer');
      expect(at!.tick * 50).toBe(from);
      await replay.screenshot({ path: screenshotPath('debrief-5-branch-from-timeline') });
      await replay.close();
      // A card about a fault of this round leads there too.
      expect(await page.locator('.lesson .card-branch a[data-branch-at]').count()).toBeGreaterThan(0);

      // A seed that is not one is refused in words; the same seed starts a new round of it.
      await page.fill('[data-seed-input]', '-3');
      await page.click('[data-again-chosen]');
      await page.waitForSelector('.toast:has-text("whole number")');
      expect(await page.textContent('[data-again-seed]')).toBe('Play seed 7 again');
      await page.click('[data-again-seed]');
      await page.waitForFunction(() => {
        const w = (window as unknown as W).splitBrain.view();
        return w !== null && w.phase !== 'debrief' && w.seed === 7;
      }, null, { timeout: 30_000 });
      const again = (await view())!;
      expect(again.scenarioId).toBe('bank');
      expect(again.chaos).toBe('heavy');
      expect(again.isPrivate).toBe(true);
      expect(s.errors).toEqual([]);
    } finally {
      await s.close();
    }
  });
});
