// End to end: the feedback a player feels, in a real round in headless Chromium. An action on
// the player's node shows a ring on the map once it took effect (the map lists the effects it
// started on its element), the sounds' switch is a real button whose state survives a reload,
// and under reduced motion the feedback still shows, standing still. Screenshots go to
// test-results/ for a person to look at.

import { describe, expect, it } from 'vitest';
import { browserSkipReason, nodeActionsCut, openBrowser, screenshotPath, servedClient } from './support/browser.js';
import type { RoundView } from '../client/src/view.js';

const skip = browserSkipReason();
if (skip !== null) console.warn(`e2e-feedback: skipped: ${skip}`);

/** Heavy chaos on seed 7 splits the cluster early; a minute is room enough for the rest. */
const ROUND = 'briefingSeconds=1&setupSeconds=1&roundSeconds=90&chaos=heavy&seed=7&debriefSeconds=600';

type W = { splitBrain: { view(): RoundView | null } };

describe.skipIf(skip !== null)('feedback in a live round', () => {
  const served = servedClient();

  it('an action rings its node, the cut draws in, and the sounds switch is remembered', { timeout: 180_000 }, async () => {
    const s = await openBrowser({ width: 1366, height: 768 });
    try {
      const { page } = s;
      const live = () => page.waitForFunction(() => (window as unknown as W).splitBrain.view()?.phase === 'live', null, { timeout: 30_000 });
      const effectsListed = (tag: string) => page.waitForSelector(`.canvas-host[data-effects~="${tag}"]`, { state: 'attached', timeout: 25_000 });

      await page.goto(`${served.base}/?${ROUND}`);
      await page.waitForSelector('[data-play="solo"]');
      await page.fill('#nickname', 'Ada');
      await page.click('[data-scenario="bank"]');
      await page.click('[data-play="solo"]');
      await live();
      await page.waitForFunction(() => ((window as unknown as W).splitBrain.view()?.measures.requests ?? 0) > 200, null, { timeout: 30_000 });

      // The switch: a real button, off until the player turns it on, and saying so in words.
      const sw = page.locator('button[data-sound]');
      expect(await sw.getAttribute('aria-pressed')).toBe('false');
      expect(await sw.textContent()).toContain('Sounds off');
      await sw.click();
      expect(await sw.getAttribute('aria-pressed')).toBe('true');
      expect(await sw.textContent()).toContain('Sounds on');
      // Turning them on plays a cue at once, so the player hears what they chose.
      expect(await sw.getAttribute('data-last-cue')).toBe('done');
      const cues = Number(await sw.getAttribute('data-cue-count'));

      // An action on our node: the ring shows once the simulation applied it, and its cue plays.
      await page.click('[data-tab="node"]');
      await page.keyboard.press('d');
      await effectsListed('action:drain:N0');
      await page.screenshot({ path: screenshotPath('e2e-feedback-1-action') });
      await page.waitForFunction((n) => Number(document.querySelector('button[data-sound]')?.getAttribute('data-cue-count')) > n, cues, { timeout: 10_000 });
      expect(await sw.getAttribute('data-last-cue')).toBe('done');
      // The ring is short: it is gone well within a second and the map goes on.
      const count = Number(await page.getAttribute('.canvas-host', 'data-effect-count'));
      expect(count).toBeGreaterThanOrEqual(1);

      // The split (heavy chaos on this seed splits the regions 20 s in, for 15 s): the cut
      // draws in and its cue plays; when it heals, the cut fades under a "split healed" mark.
      await page.waitForFunction(() => (window as unknown as W).splitBrain.view()?.network.partitioned === true, null, { timeout: 40_000 });
      await effectsListed('split');
      // On a laptop, a drained node in a split: its badges take two lines and the panel says
      // what it did in the split, and still every action shows whole above the hot keys.
      await page.waitForSelector('#pane-node .split-record');
      await page.screenshot({ path: screenshotPath('e2e-feedback-2-split') });
      const cut = await nodeActionsCut(page);
      expect(cut.record).toMatch(/During this split/);
      expect(cut.hidden).toEqual([]);
      await page.waitForSelector('button[data-sound][data-cues~="split"]', { timeout: 10_000 });
      await effectsListed('heal');
      await page.screenshot({ path: screenshotPath('e2e-feedback-3-healed') });
      await page.waitForSelector('button[data-sound][data-cues~="heal"]', { timeout: 10_000 });

      // A reload comes back into the round with the sounds still on.
      await page.reload();
      await live();
      await page.waitForSelector('button[data-sound]');
      expect(await sw.getAttribute('aria-pressed')).toBe('true');
      await sw.click();
      expect(await sw.getAttribute('aria-pressed')).toBe('false');
      expect(await page.evaluate(() => localStorage.getItem('splitbrain.sound'))).toBe('off');

      // Reduced motion: the feedback still shows (standing still), for the undrain this time.
      await page.emulateMedia({ reducedMotion: 'reduce' });
      await page.click('[data-tab="node"]');
      await page.keyboard.press('d');
      await effectsListed('action:undrain:N0');
      await page.screenshot({ path: screenshotPath('e2e-feedback-4-reduced-motion') });
      // Muted, nothing was asked to play for it.
      expect(await sw.getAttribute('data-cue-count')).toBeNull();

      // After the reload the page may ask for its seat before the server has noticed the old
      // connection drop: the rejoin route then answers "try again" (shared/protocol/rejoin.ts),
      // which is no failed load, so the console stays clean.
      expect(s.errors).toEqual([]);
    } finally {
      await s.close();
    }
  });
});
