// End to end: replays in the browser. A real game server with a round store records a short
// solo round played in the page; its debrief links to the replay, another tab lists it
// under "My rounds" (the page's player key) while it plays and after; the viewer replays it
// with the shared simulation running in the page (play, speed, seek by the timeline, keys,
// checkpoints verified), exports the recording and the operation history, opens a damaged
// file, a file of an unknown version and a tampered one (a divergence, shown as an error),
// and branches from the middle: the player acts on their node and reaches the comparison.
// Screenshots go to test-results/ for a person to look at.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSkipReason, servedClient, openBrowser, screenshotPath, settled } from './support/browser.js';
import type { ReplayProbe } from '../client/src/screens/replay.js';
import type { RoundView } from '../client/src/view.js';

const skip = browserSkipReason();
if (skip !== null) console.warn(`e2e-replay: skipped: ${skip}`);

/** A solo bank round through the page: short phases, 30 s live (the shortest the server allows). */
const ROUND = 'briefingSeconds=1&setupSeconds=1&roundSeconds=30&chaos=heavy&seed=7&debriefSeconds=600';

type Hook = { splitBrain: { replay(): ReplayProbe | null; view(): RoundView | null } };


describe.skipIf(skip !== null)('replays in the browser', () => {
  const served = servedClient({ keepsRounds: true });

  it('lists a played round, replays it, exports it, opens files, and branches', { timeout: 300_000 }, async () => {
    const s = await openBrowser({ width: 1366, height: 768 });
    try {
      const { page } = s;
      const probe = () => page.evaluate(() => (window as unknown as Hook).splitBrain.replay());
      const view = () => page.evaluate(() => (window as unknown as Hook).splitBrain.view());

      // A solo round played in the page; its player key goes with the join.
      await page.goto(`${served.base}/?${ROUND}`);
      await page.waitForSelector('[data-play="solo"]');
      await page.fill('#nickname', 'Ada');
      await page.click('[data-scenario="bank"]');
      await page.click('[data-play="solo"]');
      await page.waitForFunction(() => (window as unknown as Hook).splitBrain.view()?.phase === 'live', null, { timeout: 20_000 });
      await page.waitForFunction(() => ((window as unknown as Hook).splitBrain.view()?.simMs ?? 0) >= 4000, null, { timeout: 20_000 });
      await page.click('[data-tab="node"]');
      await page.click('[data-stance="serve"]');
      await page.waitForFunction(() => ((window as unknown as Hook).splitBrain.view()?.simMs ?? 0) >= 9000, null, { timeout: 20_000 });
      await page.click('[data-action="restart"]');

      // Meanwhile, in another tab of the same browser: the lists, and files with no server.
      const lists = await s.context.newPage();
      await lists.goto(`${served.base}/replays`);
      await lists.waitForSelector('[data-list="mine"] .status.live');
      expect(await lists.textContent('[data-list="mine"]')).toContain('being played');
      await lists.waitForSelector('[data-list="recent"] [data-empty="recent"]');
      const scratch = mkdtempSync(join(tmpdir(), 'splitbrain-files-'));
      const damaged = join(scratch, 'damaged.json');
      writeFileSync(damaged, '{"format":"splitbrain-recording/1","seed":');
      await lists.setInputFiles('[data-replay="file"]', damaged);
      await lists.waitForSelector('[data-replay="error"]');
      expect((await lists.textContent('[data-replay="error"]'))!).toContain('not valid JSON');
      expect(await lists.textContent('h1')).toContain('damaged.json');
      await lists.screenshot({ path: screenshotPath('replay-1-damaged-file') });
      await lists.goBack();
      await lists.waitForSelector('[data-replay="file"]', { state: 'attached' });

      // The debrief links to the round's replay.
      await page.waitForFunction(() => (window as unknown as Hook).splitBrain.view()?.phase === 'debrief', null, { timeout: 45_000 });
      await page.waitForSelector('[data-watch]');
      const id = (await page.getAttribute('[data-watch]', 'data-watch'))!;
      expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(await page.getAttribute('[data-watch]', 'href')).toBe(`/replay/${id}`);

      // My rounds: this browser's key finds the private round; a row links to its replay.
      await lists.reload();
      await lists.waitForSelector(`[data-list="mine"] a[data-round="${id}"]`);
      const row = (await lists.textContent('[data-list="mine"] tbody tr'))!;
      expect(row).toContain('Bank ledger');
      expect(row).toContain('Ada');
      expect(row).toContain('finished');
      await lists.screenshot({ path: screenshotPath('replay-2-lists'), fullPage: true });
      await lists.click(`[data-list="mine"] a[data-round="${id}"]`);
      await lists.waitForSelector('[data-replay="play"]');
      expect(new URL(lists.url()).pathname).toBe(`/replay/${id}`);
      await lists.close();

      // Watch it from the debrief: the page leaves the room for the viewer.
      await page.click('[data-watch]');
      // The viewer: the round's map and HUD, paused at the start.
      await page.waitForSelector('[data-replay="play"]');
      expect(new URL(page.url()).pathname).toBe(`/replay/${id}`);
      const p0 = (await probe())!;
      expect(p0.mode).toBe('viewer');
      expect(p0.tick).toBe(0);
      expect(p0.endTick).toBe(600);
      expect(p0.checkpoints).toBe(6);
      expect(await page.locator('.tl-mark[data-kind="chaos"]').count()).toBeGreaterThan(0);
      expect(await page.locator('.tl-mark[data-kind="command"]').count()).toBeGreaterThan(0);
      const v0 = (await view())!;
      expect(v0.nodes[0]!.owner).toBe('Ada');
      // This browser played the round: the viewer says which seat was its own.
      expect(await page.textContent('.replay-title')).toContain('played by Ada (you)');
      expect(v0.measures.requests).toBe(0);

      // Play at 4×: time moves, traffic flows, the HUD follows.
      await page.click('[data-speed="4"]');
      await page.click('[data-replay="play"]');
      // (The screens follow the simulation at 20 Hz while it plays: wait on what they show.)
      await page.waitForFunction(() => ((window as unknown as Hook).splitBrain.view()?.simMs ?? 0) >= 8000, null, { timeout: 15_000 });
      const v1 = (await view())!;
      expect((await probe())!.tick).toBeGreaterThanOrEqual(160);
      expect(v1.measures.requests).toBeGreaterThan(1000);
      expect(await page.textContent('[data-cell="avail"] .sub')).not.toBe('0 requests');
      const played = (await probe())!;
      expect(played.playing).toBe(true);
      expect(played.speed).toBe(4);
      await page.screenshot({ path: screenshotPath('replay-3-viewer-playing') });
      // Pause. (On a slow machine the 30 s round may already have played to its end, where
      // the player stops by itself: a click then would start it again.)
      if ((await probe())!.playing) await page.click('[data-replay="play"]');
      await page.waitForFunction(() => (window as unknown as Hook).splitBrain.replay()?.playing === false, null, { timeout: 10_000 });
      expect((await probe())!.playing).toBe(false);
      // A marker's words on hover.
      await page.hover('.tl-mark[data-kind="chaos"]');
      await page.waitForSelector('.tl-tip:not([hidden])');
      await page.screenshot({ path: screenshotPath('replay-4-timeline-markers'), clip: { x: 0, y: 500, width: 1366, height: 268 } });

      // Seek by clicking the timeline (backwards and forwards), step with the keys, change speed.
      const track = (await page.locator('[data-timeline="track"]').boundingBox())!;
      await page.mouse.click(track.x + track.width * 0.75, track.y + track.height / 2);
      await page.waitForFunction(() => Math.abs(((window as unknown as Hook).splitBrain.replay()?.tick ?? 0) - 450) <= 4, null, { timeout: 10_000 });
      expect(await page.textContent('[data-replay="clock"]')).toMatch(/^0:22 \/ 0:30$/);
      await page.mouse.click(track.x + track.width * 0.25, track.y + track.height / 2);
      await page.waitForFunction(() => Math.abs(((window as unknown as Hook).splitBrain.replay()?.tick ?? 0) - 150) <= 4, null, { timeout: 10_000 });
      expect((await view())!.simMs).toBeLessThan(8000);
      const before = (await probe())!.tick;
      await page.locator('[data-timeline="track"]').focus();
      await page.keyboard.press('ArrowRight');
      await page.waitForFunction((t) => (window as unknown as Hook).splitBrain.replay()?.tick === t + 20, before, { timeout: 5000 });
      // ] jumps to the next event on the timeline and says what it was.
      await page.keyboard.press(']');
      await page.waitForSelector('[data-timeline="note"]:not(:empty)');
      await page.waitForFunction((t) => (window as unknown as Hook).splitBrain.replay()?.tick !== t, before + 20, { timeout: 5000 });
      const eventTick = (await probe())!.tick;
      expect(eventTick).toBeGreaterThan(before + 20);
      expect(await page.locator(`.tl-mark[data-tick="${eventTick}"]`).count()).toBeGreaterThan(0);
      await page.keyboard.press('+');
      expect((await probe())!.speed).toBe(8);
      await page.keyboard.press('-');
      await page.keyboard.press('-');
      expect((await probe())!.speed).toBe(2);
      await page.click('[data-speed="16"]');
      await page.click('[data-replay="play"]');
      await page.waitForFunction(() => (window as unknown as Hook).splitBrain.replay()?.tick === 600, null, { timeout: 20_000 });
      const done = (await probe())!;
      expect(done.playing).toBe(false);
      expect(done.verification!.mismatches).toEqual([]);
      expect(done.verification!.refused).toBe(0);
      expect(done.verification!.matched).toBe(6);
      expect(await page.textContent('[data-replay="verified"]')).toContain('Checkpoints verified: 6 of 6');
      expect(await page.locator('[data-replay="diverged"]').count()).toBe(0);
      // At the end the HUD shows the round's judged result, lost writes included.
      expect((await view())!.phase).toBe('debrief');

      // Exports: the recording (the file the viewer opens again) and the operation history.
      const [recDownload] = await Promise.all([page.waitForEvent('download'), page.click('[data-replay="download"]')]);
      const recFile = join(scratch, recDownload.suggestedFilename());
      await recDownload.saveAs(recFile);
      const recording = JSON.parse(readFileSync(recFile, 'utf8')) as { format: string; seed: number; checkpoints: { tick: number; hash: string }[] };
      expect(recording.seed).toBe(7);
      expect(recording.checkpoints).toHaveLength(6);
      const [histDownload] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.click('[data-replay="history"]')]);
      const histFile = join(scratch, histDownload.suggestedFilename());
      await histDownload.saveAs(histFile);
      const hist = JSON.parse(readFileSync(histFile, 'utf8')) as { format: string; seed: number; ops: unknown[] };
      expect(hist.format).toBe('splitbrain-history/1');
      expect(hist.seed).toBe(7);
      expect(hist.ops.length).toBeGreaterThan(1000);

      // Branch from the middle: act on our node, speed it up, reach the comparison.
      await page.mouse.click(track.x + track.width * 0.5, track.y + track.height / 2);
      await page.waitForFunction(() => Math.abs(((window as unknown as Hook).splitBrain.replay()?.tick ?? 0) - 300) <= 4, null, { timeout: 10_000 });
      await page.click('[data-replay="branch"]');
      await page.waitForSelector('[data-branch="start"]');
      // Ada's node is the default: this browser ran it.
      expect(await page.inputValue('[data-branch="node"]')).toBe('0');
      await page.click('[data-branch="start"]');
      await page.waitForFunction(() => (window as unknown as Hook).splitBrain.replay()?.mode === 'branch', null, { timeout: 5000 });
      const b0 = (await probe())!.branch!;
      expect(b0.myNode).toBe(0);
      expect(Math.abs(b0.fromTick - 300)).toBeLessThanOrEqual(4);
      await page.click('[data-tab="node"]');
      await page.click('[data-action="scale-up"]');
      await page.waitForFunction(() => (window as unknown as Hook).splitBrain.view()?.nodes[0]?.size === 2, null, { timeout: 5000 });
      expect((await probe())!.branch!.actions).toBeGreaterThanOrEqual(1);
      await page.waitForSelector('.feed li:has-text("twice as big")');
      await page.screenshot({ path: screenshotPath('replay-5-branch') });
      await page.click('[data-speed="16"]');
      await page.waitForSelector('[data-branch="compare"]', { timeout: 30_000 });
      const rows = await page.locator('.compare-table tbody tr').count();
      expect(rows).toBe(6);
      const lost = (await page.textContent('[data-measure="lostWrites"]'))!;
      expect(lost).toContain('Lost writes');
      expect((await page.textContent('.compare-verdict'))!.length).toBeGreaterThan(20);
      await page.screenshot({ path: screenshotPath('replay-6-branch-comparison'), fullPage: true });
      await page.click('[data-branch="back"]');
      await page.waitForSelector('[data-replay="play"]');
      expect((await probe())!.mode).toBe('viewer');

      // Files: an unknown version is refused in words; a tampered recording diverges, shown as an error.
      const unknown = join(scratch, 'future.json');
      writeFileSync(unknown, JSON.stringify({ ...recording, format: 'splitbrain-recording/99' }));
      const tampered = join(scratch, 'tampered.json');
      const bad = JSON.parse(readFileSync(recFile, 'utf8')) as typeof recording;
      bad.checkpoints[2]!.hash = bad.checkpoints[2]!.hash.split('').reverse().join('');
      writeFileSync(tampered, JSON.stringify(bad));
      await page.goto(`${served.base}/replays`);
      await page.setInputFiles('[data-replay="file"]', unknown);
      await page.waitForSelector('[data-replay="error"]');
      expect((await page.textContent('[data-replay="error"]'))!).toMatch(/version|99/i);
      await page.goBack();
      await page.setInputFiles('[data-replay="file"]', tampered);
      await page.waitForSelector('[data-replay="play"]');
      expect((await probe())!.checkpoints).toBe(6);
      await page.click('[data-speed="16"]');
      await page.click('[data-replay="play"]');
      await page.waitForSelector('[data-replay="diverged"]', { timeout: 20_000 });
      const diverged = (await page.textContent('[data-replay="diverged"]'))!;
      expect(diverged).toContain('diverged from the recorded round at 0:15');
      // The banner may come first (the viewer's look-ahead found the divergence); the playback
      // itself goes on to that moment and stops there: on the checkpoint's own tick (0:15 is
      // tick 300), not a 16× frame's worth of ticks past it.
      await page.waitForFunction(() => (window as unknown as Hook).splitBrain.replay()?.playing === false, null, { timeout: 20_000 });
      const pd = (await probe())!;
      expect(pd.verification!.mismatches.length).toBeGreaterThan(0);
      expect(pd.playing).toBe(false);
      expect(pd.tick).toBe(300);
      expect(await page.textContent('[data-replay="verified"]')).toContain('✗');
      await page.screenshot({ path: screenshotPath('replay-7-divergence') });
      // A file's history is worked out in the page (a worker), with its progress in words.
      const [fileHist] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.click('[data-replay="history"]')]);
      const fileHistPath = join(scratch, `file-${fileHist.suggestedFilename()}`);
      await fileHist.saveAs(fileHistPath);
      expect((JSON.parse(readFileSync(fileHistPath, 'utf8')) as { ops: unknown[] }).ops.length).toBe(hist.ops.length);

      // The same viewer on a projector and on a phone.
      await page.goto(`${served.base}/replay/${id}`);
      await page.waitForSelector('[data-replay="play"]');
      await page.setViewportSize({ width: 1920, height: 1080 });
      // A second forward: the viewer shows tick 20 (one simulated second), drawn at the new size.
      await page.click('[data-replay="forward"]');
      await page.waitForFunction(() => (window as unknown as Hook).splitBrain.replay()?.tick === 20, null, { timeout: 10_000 });
      await settled(page);
      await page.screenshot({ path: screenshotPath('replay-8-projector') });
      await page.setViewportSize({ width: 390, height: 844 });
      await settled(page);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(1);
      await page.screenshot({ path: screenshotPath('replay-9-phone'), fullPage: true });
      expect(s.errors).toEqual([]);
      rmSync(scratch, { recursive: true, force: true });
    } finally {
      await s.close();
    }
  });

  it('says so when a round id is unknown', { timeout: 30_000 }, async () => {
    const s = await openBrowser({ width: 1366, height: 768 });
    try {
      await s.page.goto(`${served.base}/replay/AAAAAAAAAAAAAAAAAAAAAA`);
      await s.page.waitForSelector('[data-replay="error"]');
      expect(await s.page.textContent('[data-replay="error"]')).toContain('no recorded round');
    } finally {
      await s.close();
    }
  });
});
