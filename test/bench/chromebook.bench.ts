// npm run bench:chromebook — watching a 10-minute round on a Chromebook-class computer: a
// round of each scenario (BENCH_SCENARIOS, default all) is recorded here, opened as a file
// in the replay viewer of a headless Chromium whose CPU the devtools protocol slows down 4×
// (Emulation.setCPUThrottlingRate), played at 16× for a fixed stretch of real time
// (BENCH_PLAY_SECONDS, default 15), then sought a few times. Prints per scenario:
//   - the playback rate achieved: simulated seconds per wall second (16 asked for);
//   - the page's frames while it plays: requestAnimationFrame intervals (median, p99, max)
//     and the main thread's long tasks (over 50 ms: how many, the longest);
//   - seeks: wall time from the click on the timeline until the viewer shows the target tick,
//     and the longest frame gap meanwhile (how long the page could not react).
// Figures only, no pass or fail; wall-clock on a shared machine: compare runs made on it.
// BENCH_PROFILE=DIR also writes DIR/<scenario>.cpuprofile: the page's main thread while it
// plays (the devtools protocol's profiler; open it in Chromium's devtools, Performance tab).

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startGameServer } from '../../server/app.js';
import { SCENARIO_IDS } from '../../shared/scenarios/index.js';
import type { ScenarioId } from '../../shared/scenarios/types.js';
import { serializeRecording } from '../../shared/replay/file.js';
import { TICK_MS } from '../../shared/replay/recording.js';
import { buildClient, chromiumPath, INSTALL_HINT, openBrowser } from '../support/browser.js';
import { recordRound } from '../support/record-round.js';
import type { ReplayProbe } from '../../client/src/screens/replay.js';
import type { RoundView } from '../../client/src/view.js';

const SCENARIOS = (process.env.BENCH_SCENARIOS?.split(',') ?? SCENARIO_IDS) as ScenarioId[];
const SECONDS = Number(process.env.BENCH_SECONDS ?? 600);
const PLAY_SECONDS = Number(process.env.BENCH_PLAY_SECONDS ?? 15);
const SLOWDOWN = Number(process.env.BENCH_SLOWDOWN ?? 4);
const SPEED = 16;
const PROFILE_DIR = process.env.BENCH_PROFILE;

type Hook = { splitBrain: { replay(): ReplayProbe | null; view(): RoundView | null } };
/** What the page keeps while it is measured (installed by watchFrames). */
type Probe = { frames: number[]; longTasks: number[]; seekT0: number; seekTick: number };
type Measured = Window & Hook & { bench: Probe };

if (chromiumPath() === null) {
  console.error(`bench:chromebook: ${INSTALL_HINT}`);
  process.exit(1);
}

console.log('building the client (vite build)…');
// A profile should name the functions: the client is then built unminified.
const clientDir = await buildClient({ minify: PROFILE_DIR === undefined });
const server = await startGameServer({ port: 0, host: '127.0.0.1', clientDir });
const base = `http://127.0.0.1:${server.port}`;
const scratch = mkdtempSync(join(tmpdir(), 'splitbrain-chromebook-'));
console.log(`replay viewer in headless Chromium, CPU slowed ${SLOWDOWN}×: ${SECONDS / 60}-minute rounds (chaos normal), played at ${SPEED}× for ${PLAY_SECONDS} s of real time, then sought`);
try {
  for (const id of SCENARIOS) await benchScenario(id);
} finally {
  await server.shutdown();
  rmSync(clientDir, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(0);

async function benchScenario(id: ScenarioId): Promise<void> {
  const r0 = performance.now();
  const rec = recordRound(id, 11, SECONDS);
  const file = join(scratch, `${id}.splitbrain.json`);
  writeFileSync(file, serializeRecording(rec));
  console.log(`\n${id}: recorded in ${((performance.now() - r0) / 1000).toFixed(0)} s (in Node, not slowed)`);

  const s = await openBrowser({ width: 1366, height: 768 });
  try {
    const { page } = s;
    // tsx names the functions this file hands to the page through a helper of its own.
    await page.addInitScript('globalThis.__name = (f) => f');
    // The devtools protocol slows the page's thread only ("only supported for pages, not
    // workers"): the replay's worker is asked to slow itself down as much.
    await page.addInitScript(`globalThis.splitBrainSlowdown = ${SLOWDOWN}`);
    await page.goto(`${base}/replays`);
    await page.setInputFiles('[data-replay="file"]', file);
    await page.waitForSelector('[data-replay="play"]', { timeout: 120_000 });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: SLOWDOWN });
    await watchFrames(page);

    if (PROFILE_DIR !== undefined) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    }

    // Play at 16× for a fixed stretch of real time.
    await press(page, `[data-speed="${SPEED}"]`);
    // Clicked in the page: Playwright's own click waits for the button to hold still over
    // two frames, which on a slowed page would be part of what is measured.
    await press(page, '[data-replay="play"]');
    await cdp.send('Performance.enable');
    const before = await threadTimes(cdp);
    const { start, end, frames, longTasks } = await page.evaluate(async (ms) => {
      const w = window as unknown as Measured;
      // The page learns the worker's tick a few times a wall second: each end of the stretch
      // is taken in the frame the tick shown changes, so both are as fresh (a tick read at
      // any moment would be up to a redraw's interval old, and the rate low by as much).
      const nextTick = async () => {
        const shown = w.splitBrain.replay()!.tick;
        for (;;) {
          await new Promise((res) => requestAnimationFrame(res));
          const tick = w.splitBrain.replay()!.tick;
          if (tick !== shown) return { tick, at: performance.now() };
        }
      };
      const start = await nextTick();
      w.bench.frames = [];
      w.bench.longTasks = [];
      await new Promise((res) => setTimeout(res, ms));
      return { start, end: await nextTick(), frames: w.bench.frames, longTasks: w.bench.longTasks };
    }, PLAY_SECONDS * 1000);
    const spent = since(before, await threadTimes(cdp));
    if (PROFILE_DIR !== undefined) {
      const { profile } = await cdp.send('Profiler.stop');
      mkdirSync(PROFILE_DIR, { recursive: true });
      writeFileSync(join(PROFILE_DIR, `${id}.cpuprofile`), JSON.stringify(profile));
    }
    await press(page, '[data-replay="play"]');
    await page.waitForFunction(() => (window as unknown as Hook).splitBrain.replay()?.playing === false);
    const rate = ((end.tick - start.tick) * TICK_MS) / 1000 / ((end.at - start.at) / 1000);
    console.log(`  play at ${SPEED}×          ${rate.toFixed(1)} simulated s per wall s (${((end.tick * TICK_MS) / 1000).toFixed(0)} s reached)`);
    console.log(`  frames while playing  rAF interval median ${ms(percentile(frames, 0.5))} ms, p99 ${ms(percentile(frames, 0.99))} ms, max ${ms(Math.max(0, ...frames))} ms (${frames.length} frames)`);
    console.log(`                        long tasks: ${longTasks.length}, longest ${ms(Math.max(0, ...longTasks))} ms, ${ms(longTasks.reduce((a, b) => a + b, 0))} ms in all`);
    console.log(`  page's thread         busy ${sec(spent.TaskDuration)} s: script ${sec(spent.ScriptDuration)} s, style ${sec(spent.RecalcStyleDuration)} s (${spent.RecalcStyleCount} times), layout ${sec(spent.LayoutDuration)} s (${spent.LayoutCount} times), the rest (painting, the browser's own) ${sec(spent.TaskDuration - spent.ScriptDuration - spent.RecalcStyleDuration - spent.LayoutDuration)} s`);

    // Seeks: back into what was played (snapshots there), 30 s beyond it (simulated anew), near the start.
    const reached = (await position(page)).tick;
    const targets = [Math.floor(reached / 2), Math.min(rec.lastTick, reached + Math.round(30_000 / TICK_MS)), Math.round(reached / 10)];
    for (const target of targets) {
      const r = await seek(page, target);
      console.log(`  seek to ${clock(r.tick * TICK_MS).padEnd(13)} ${ms(r.ms)} ms until shown, longest frame gap meanwhile ${ms(r.gap)} ms`);
    }
  } finally {
    await s.close();
  }
}

/** The devtools protocol's running totals for the page's thread (seconds, counts). */
type ThreadTimes = Record<'TaskDuration' | 'ScriptDuration' | 'RecalcStyleDuration' | 'LayoutDuration' | 'RecalcStyleCount' | 'LayoutCount', number>;

async function threadTimes(cdp: { send(m: 'Performance.getMetrics'): Promise<{ metrics: { name: string; value: number }[] }> }): Promise<ThreadTimes> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const of = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
  return { TaskDuration: of('TaskDuration'), ScriptDuration: of('ScriptDuration'), RecalcStyleDuration: of('RecalcStyleDuration'), LayoutDuration: of('LayoutDuration'), RecalcStyleCount: of('RecalcStyleCount'), LayoutCount: of('LayoutCount') };
}

function since(a: ThreadTimes, b: ThreadTimes): ThreadTimes {
  const out = { ...b };
  for (const k of Object.keys(b) as (keyof ThreadTimes)[]) out[k] = b[k] - a[k];
  return out;
}

/** The page records its frame intervals and long tasks from now on. */
async function watchFrames(page: Page): Promise<void> {
  await page.evaluate(() => {
    const b: Probe = { frames: [], longTasks: [], seekT0: -1, seekTick: -1 };
    (window as unknown as Measured).bench = b;
    let last = -1;
    // Measured when the callback runs, not by the frame's own time: that is the frame's
    // start, the same for every callback of a frame, so it hides one that blocks the others.
    const frame = () => {
      const now = performance.now();
      if (last >= 0) b.frames.push(now - last);
      last = now;
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) b.longTasks.push(e.duration);
    }).observe({ type: 'longtask' });
    // A click on the timeline: when, and the tick it asks for (the timeline's own arithmetic).
    const track = document.querySelector('[data-timeline="track"]')!;
    track.addEventListener(
      'pointerdown',
      (e) => {
        b.seekT0 = performance.now();
        const r = track.getBoundingClientRect();
        const p = (window as unknown as Hook).splitBrain.replay()!;
        // (A finished round's planned length is its end.)
        b.seekTick = Math.min(p.endTick, Math.round(Math.max(0, Math.min(1, ((e as PointerEvent).clientX - r.left) / r.width)) * p.endTick));
      },
      { capture: true },
    );
  });
}

/** A click on a button, from inside the page. */
async function press(page: Page, selector: string): Promise<void> {
  await page.evaluate((sel) => (document.querySelector(sel) as HTMLElement).click(), selector);
}

/** The tick shown now and the page's clock. */
function position(page: Page): Promise<{ tick: number; at: number }> {
  return page.evaluate(() => ({ tick: (window as unknown as Hook).splitBrain.replay()!.tick, at: performance.now() }));
}

/** Click the timeline where `target` is; the wall time until the page shows the tick the click asked for. */
async function seek(page: Page, target: number): Promise<{ tick: number; ms: number; gap: number }> {
  const box = (await page.locator('[data-timeline="track"]').boundingBox())!;
  const endTick = await page.evaluate(() => (window as unknown as Hook).splitBrain.replay()!.endTick);
  await page.evaluate(() => {
    (window as unknown as Measured).bench.frames = [];
    (window as unknown as Measured).bench.longTasks = [];
  });
  await page.mouse.click(box.x + Math.min(box.width - 1, (box.width * target) / endTick), box.y + box.height / 2);
  return page.evaluate(
    () =>
      new Promise<{ tick: number; ms: number; gap: number }>((resolve) => {
        const w = window as unknown as Measured;
        const check = () => {
          const p = w.splitBrain.replay()!;
          const v = w.splitBrain.view();
          if (p.tick === w.bench.seekTick && v !== null && v.simMs === p.tick * p.tickMs) {
            resolve({ tick: p.tick, ms: performance.now() - w.bench.seekT0, gap: Math.max(0, ...w.bench.frames) });
          } else requestAnimationFrame(check);
        };
        check();
      }),
  );
}

function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!;
}

function sec(x: number): string {
  return x.toFixed(2);
}

function ms(x: number): string {
  return x.toFixed(x < 10 ? 1 : 0);
}

function clock(simMs: number): string {
  const s = Math.round(simMs / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
