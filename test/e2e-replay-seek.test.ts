// End to end: seeking in a big replay leaves the page usable. A 10-minute feed round (the
// scenario with the most simulation per tick, since telemetry's requests became batches) is
// opened as a file; a seek to its end has minutes of simulation to do from nothing cached.
// While that runs the page keeps drawing frames and its buttons answer; a click on the middle
// of the timeline replaces the seek, and the viewer ends up there (never at the end it was
// first sent to). A browser without workers still replays, in the page as before.
// Screenshots go to test-results/.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serializeRecording } from '../shared/replay/file.js';
import { browserSkipReason, openBrowser, screenshotPath, servedClient } from './support/browser.js';
import { recordRound } from './support/record-round.js';
import type { ReplayProbe } from '../client/src/screens/replay.js';
import { clockLine } from '../client/src/replay/readout.js';
import { int, seconds } from '../client/src/format.js';
import type { RoundView } from '../client/src/view.js';

const skip = browserSkipReason();
if (skip !== null) console.warn(`e2e-replay-seek: skipped: ${skip}`);

type Hook = { splitBrain: { replay(): ReplayProbe | null; view(): RoundView | null } };
/** What the page notes while it is watched: frames drawn, and every tick the viewer showed. */
type Watched = Window & Hook & { drawn: number; ticks: number[] };

describe.skipIf(skip !== null)('seeking in a big replay', () => {
  // (With a store, as `npm start` has: the replays page lists its rounds instead of answering 503.)
  const served = servedClient({ keepsRounds: true });
  let dir = '';
  let big = '';
  let small = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'splitbrain-seek-'));
    big = join(dir, 'feed.splitbrain.json');
    writeFileSync(big, serializeRecording(recordRound('feed', 5, 600)));
    small = join(dir, 'bank.splitbrain.json');
    writeFileSync(small, serializeRecording(recordRound('bank', 5, 60)));
  }, 120_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the page responsive during a long seek, and a newer seek replaces it', { timeout: 240_000 }, async () => {
    const s = await openBrowser({ width: 1366, height: 768 });
    try {
      const { page } = s;
      const probe = () => page.evaluate(() => (window as unknown as Hook).splitBrain.replay()!);
      // The replay's worker as on a computer 20 times slower (it waits 19 times its own work
      // after each slice, the hook bench:chromebook uses): its look-ahead, which starts as soon
      // as the file is open, gets nowhere near the end before the test's first seek, and that
      // seek is still on its way when the second comes, however busy this machine is.
      await page.addInitScript('globalThis.splitBrainSlowdown = 20');
      await page.goto(`${served.base}/replays`);
      await page.setInputFiles('[data-replay="file"]', big);
      await page.waitForSelector('[data-replay="play"]');
      const p0 = await probe();
      expect(p0.endTick).toBe(12_000);
      expect(p0.tick).toBe(0);
      // From now on the page counts its frames and notes every tick it shows.
      await page.evaluate(() => {
        const w = window as unknown as Watched;
        w.drawn = 0;
        w.ticks = [];
        const frame = () => {
          w.drawn++;
          const t = w.splitBrain.replay()!.tick;
          if (w.ticks[w.ticks.length - 1] !== t) w.ticks.push(t);
          requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);
      });

      // To the end: ten minutes of simulation with nothing cached on the way.
      await page.locator('[data-timeline="track"]').focus();
      await page.keyboard.press('End');
      const framesAtSeek = await page.evaluate(() => (window as unknown as Watched).drawn);
      // The page goes on drawing frames while the seek runs...
      await page.waitForFunction((n) => (window as unknown as Watched).drawn >= n + 20, framesAtSeek, { timeout: 10_000 });
      // ...and a button still answers: the speed changes, on screen too.
      await page.click('[data-speed="2"]');
      await page.waitForSelector('[data-speed="2"][aria-pressed="true"]', { timeout: 5000 });
      const during = await probe();
      expect(during.speed).toBe(2);
      // All that while the seek was still on its way.
      expect(during.tick).toBe(0);
      await page.screenshot({ path: screenshotPath('replay-seek-1-during') });

      // A click in the middle of the timeline replaces the seek to the end.
      const track = (await page.locator('[data-timeline="track"]').boundingBox())!;
      await page.mouse.click(track.x + track.width / 2, track.y + track.height / 2);
      await page.waitForFunction(() => Math.abs(((window as unknown as Hook).splitBrain.replay()?.tick ?? 0) - 6000) <= 20, null, { timeout: 180_000 });
      const landed = await probe();
      const shown = await page.evaluate(() => (window as unknown as Watched).ticks);
      // The end was never shown: the first seek was dropped, not finished first.
      expect(Math.max(...shown)).toBe(landed.tick);
      expect(shown.filter((t) => t !== 0 && t !== landed.tick)).toEqual([]);
      const v = (await page.evaluate(() => (window as unknown as Hook).splitBrain.view()))!;
      expect(v.simMs).toBe(landed.tick * 50);
      expect(landed.playing).toBe(false);
      expect(landed.verification!.mismatches).toEqual([]);
      expect(landed.verification!.matched).toBeGreaterThan(50);
      expect(await page.textContent('[data-replay="clock"]')).toMatch(/^5:0\d \/ 10:00$/);
      await page.screenshot({ path: screenshotPath('replay-seek-2-landed') });
      expect(s.errors).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('shows the very tick it paused on after a fast playback, the HUD included', { timeout: 240_000 }, async () => {
    const s = await openBrowser({ width: 1366, height: 768 });
    try {
      const { page } = s;
      const probe = () => page.evaluate(() => (window as unknown as Hook).splitBrain.replay()!);
      await page.goto(`${served.base}/replays`);
      await page.setInputFiles('[data-replay="file"]', big);
      await page.waitForSelector('[data-replay="play"]');
      await page.click('[data-speed="16"]');
      await page.click('[data-replay="play"]');
      // Faster than real time the screens are redrawn a few times a wall second; the pause
      // comes between two of those redraws.
      await page.waitForFunction(() => ((window as unknown as Hook).splitBrain.replay()?.tick ?? 0) >= 400, null, { timeout: 120_000 });
      await page.click('[data-replay="play"]');
      await page.waitForFunction(() => {
        const w = window as unknown as Hook;
        const p = w.splitBrain.replay()!;
        // The worker's answer to the pause, not a frame it sent before it heard of it.
        return !p.playing && p.answered && w.splitBrain.view()?.simMs === p.tick * p.tickMs;
      });
      const paused = await probe();
      const v = (await page.evaluate(() => (window as unknown as Hook).splitBrain.view()))!;
      // What the screen says is that tick's state: the clock, the time left, the requests so far.
      expect(await page.textContent('[data-replay="clock"]')).toBe(clockLine(paused.tick, paused.endTick, paused.tickMs));
      expect(await page.textContent('[data-cell="phase"] .sub')).toBe(`${seconds(Math.ceil((v.durationMs - v.simMs) / 1000))} left`);
      expect(await page.textContent('[data-cell="avail"] .sub')).toBe(`${int(v.measures.requests)} requests`);
      expect(await page.textContent('[data-cell="score"] .value')).toBe(int(v.measures.score));
      // And it stays there: frames go on, the tick and the figures do not move.
      const hud = await page.textContent('.hud');
      await page.evaluate(() => new Promise<void>((done) => {
        let n = 0;
        const frame = () => (++n >= 10 ? done() : requestAnimationFrame(frame));
        requestAnimationFrame(frame);
      }));
      expect((await probe()).tick).toBe(paused.tick);
      expect(await page.textContent('.hud')).toBe(hud);
      expect(s.errors).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('replays in the page where the browser has no workers', { timeout: 120_000 }, async () => {
    const s = await openBrowser({ width: 1366, height: 768 });
    try {
      const { page } = s;
      await page.addInitScript('delete globalThis.Worker');
      await page.goto(`${served.base}/replays`);
      await page.setInputFiles('[data-replay="file"]', small);
      await page.waitForSelector('[data-replay="play"]');
      await page.click('[data-speed="16"]');
      await page.click('[data-replay="play"]');
      await page.waitForFunction(() => (window as unknown as Hook).splitBrain.replay()?.tick === 1200, null, { timeout: 60_000 });
      const done = (await page.evaluate(() => (window as unknown as Hook).splitBrain.replay()))!;
      expect(done.playing).toBe(false);
      expect(done.verification!.matched).toBe(12);
      expect(done.verification!.mismatches).toEqual([]);
      expect((await page.evaluate(() => (window as unknown as Hook).splitBrain.view()))!.phase).toBe('debrief');
      await page.locator('[data-timeline="track"]').focus();
      await page.keyboard.press('Home');
      await page.waitForFunction(() => (window as unknown as Hook).splitBrain.replay()?.tick === 0, null, { timeout: 10_000 });
      await page.screenshot({ path: screenshotPath('replay-seek-3-in-page') });
      expect(s.errors).toEqual([]);
    } finally {
      await s.close();
    }
  });
});
