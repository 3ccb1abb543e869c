// The round screen with the largest numbers a round can show, at every size, in every place it
// is shown (a round, a class student's round, the replay viewer). A real round in a test
// reaches only the numbers its machine's speed allows (a slow machine's longer round once
// pushed the hot keys' versions to five digits and the table out of its panel), so the view
// here is built by hand: six-digit versions with sibling counts, a copy steadily behind (▼)
// and one on a node that is down, the most nodes the table lays across, and a spent error
// budget in the thousands. The page is the round screen alone (test/support/round-page), with
// the game's own stylesheets; the checks are the ones every screen passes (checkEverySize).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { createServer, type ViteDevServer } from 'vite';
import type { Page } from 'playwright-core';
import { browserSkipReason, checkEverySize, openBrowser, SCREEN_SIZES, screenshotPath, settled, type Session } from './support/browser.js';
import { SCENARIOS } from '../shared/scenarios/index.js';
import { freePort } from './support/server-process.js';
import { advance, createSim } from '../shared/sim/engine.js';
import { newRoundState, PLAIN_MAKERS } from '../shared/view/plain.js';
import { createProjectionMemory, projectSim, projectStatic } from '../shared/view/project.js';
import { roundViewOf } from '../shared/view/view-of.js';
import type { RoundView } from '../client/src/view.js';
import type { RoundPlace } from './support/round-page/main.js';

const skip = browserSkipReason();
if (skip !== null) console.warn(`e2e-round-fit: skipped: ${skip}`);

/**
 * A live round nine minutes in, on `count` nodes: every copy of the hot keys `digits` digits long
 * (all nines) with two siblings; on key 0 node 1 stays behind (▼, "differ"), on key 1 node 2 is
 * down holding an older copy ("catching up"), node 3 holds no copy of key 2.
 */
function bigNumbersView(count: number, digits: number): RoundView {
  const top = 10 ** digits - 1;
  const sim = createSim({ scenario: 'bank', chaos: 'none', seed: 5, durationMs: 600_000, recordHistory: false });
  const state = newRoundState();
  projectStatic(state, sim);
  advance(sim, 4_000);
  projectSim(state, sim, createProjectionMemory(), PLAIN_MAKERS);
  const v = roundViewOf(state, '');
  v.phase = 'live';
  v.simMs = 540_000;
  v.phaseSecondsLeft = 60;
  const first = v.nodes[0]!;
  v.nodes = Array.from({ length: count }, (_, id) => ({ ...(v.nodes[id] ?? first), id, status: 'up' as const, versions: [top, top, top], siblings: [3, 3, 3] }));
  v.nodes[1]!.versions[0] = top - 1;
  v.nodes[2]!.status = 'down';
  v.nodes[2]!.versions[1] = top - 9;
  v.nodes[3]!.versions[2] = -1;
  v.myNode = 0;
  // An error budget in the tens of thousands, none of it spent: the HUD's longest budget value.
  v.errorBudget = { ...v.errorBudget, allowed: 12_160, spent: 0, left: 12_160 };
  return v;
}

/** The smallest type the hot keys' table may use, px (its floor, 0.7rem). */
const TABLE_TEXT_FLOOR = 11.2;

/** Versions broken across lines, and copies' cells with text smaller than `floor` px. */
function tableProblems(page: Page, floor: number): Promise<string[]> {
  return page.evaluate((min) => {
    const out: string[] = [];
    const cells = document.querySelectorAll('.hot-table td');
    if (cells.length === 0) out.push('no hot keys table');
    for (const cell of cells) {
      const size = parseFloat(getComputedStyle(cell).fontSize);
      if (size + 0.05 < min) out.push(`"${cell.textContent}" at ${size.toFixed(1)} px`);
      const text = cell.firstChild;
      if (text?.nodeType !== Node.TEXT_NODE) continue;
      // The number (the cell's first word) on one line: "99" over "9999" reads as two numbers.
      const word = /^\S+/.exec(text.textContent ?? '');
      if (word === null) continue;
      const range = document.createRange();
      range.setStart(text, 0);
      range.setEnd(text, word[0].length);
      const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
      if (lines.size > 1) out.push(`"${word[0]}" breaks across ${lines.size} lines`);
    }
    return out;
  }, floor);
}

/**
 * The HUD's words and numbers past their cell's edges: a value cut off ("1,216 of 1,21…"), a
 * label running into the next cell's ("AVAILABILITY IN NINES" over "ERROR BUDGET"), a number
 * pushed under its neighbour by its sparkline.
 */
function hudProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const part of document.querySelectorAll<Element>('.hud .cell .label, .hud .cell .value, .hud .cell .spark svg')) {
      const cell = part.closest('.cell')!;
      const box = cell.getBoundingClientRect();
      if (box.width === 0 || getComputedStyle(cell).display === 'none' || getComputedStyle(part).display === 'none') continue;
      const range = document.createRange();
      range.selectNodeContents(part);
      const rects = [...range.getClientRects(), part.getBoundingClientRect()].filter((r) => r.width > 0);
      if (part.tagName.toLowerCase() !== 'svg') rects.pop();
      if (rects.length === 0) continue;
      const left = Math.min(...rects.map((r) => r.left));
      const right = Math.max(...rects.map((r) => r.right));
      const what = part.tagName.toLowerCase() === 'svg' ? 'sparkline' : `"${part.textContent}"`;
      // Past the cell's own edges: over the next cell, or hidden by the HUD's edge.
      const name = (cell as HTMLElement).dataset.cell;
      if (right > box.right + 1) out.push(`the ${name} cell's ${what} runs ${Math.round(right - box.right)} px past its right edge`);
      if (left < box.left - 1) out.push(`the ${name} cell's ${what} runs ${Math.round(box.left - left)} px past its left edge`);
    }
    return out;
  });
}

/**
 * Beside the map (laptop and projector), every action of the player's node shows without
 * scrolling its pane: the decisions come first, the hot keys and the feed below may scroll.
 */
function actionProblems(page: Page, which = '.actions button'): Promise<string[]> {
  return page.evaluate((which) => {
    const pane = document.querySelector<HTMLElement>('.side .pane:not(.feed-pane)');
    const buttons = [...document.querySelectorAll<HTMLElement>(which)];
    if (pane === null || buttons.length === 0) return ['no node pane or no actions'];
    const bottom = pane.getBoundingClientRect().top + pane.clientHeight;
    return buttons.filter((b) => b.getBoundingClientRect().bottom > bottom + 1).map((b) => `"${b.textContent}" is below the node pane's fold`);
  }, which);
}

describe.skipIf(skip !== null)('the round screen with the largest numbers', () => {
  let vite: ViteDevServer | undefined;
  let base = '';
  let s: Session | undefined;

  beforeAll(async () => {
    const port = await freePort();
    vite = await createServer({
      configFile: false,
      root: fileURLToPath(new URL('./support/round-page/', import.meta.url)),
      logLevel: 'warn',
      // The game's icons, as the client's build serves them.
      publicDir: fileURLToPath(new URL('../assets', import.meta.url)),
      server: { host: '127.0.0.1', port, strictPort: true, hmr: false, fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] } },
    });
    await vite.listen();
    base = `http://127.0.0.1:${port}/`;
    s = await openBrowser({ width: 1366, height: 768 });
  });
  afterAll(async () => {
    await s?.close();
    await vite?.close();
  });

  /** A fresh harness page at a laptop's size, showing `view` on the round screen or the lobby. */
  async function open(view: RoundView, place: RoundPlace | 'lobby'): Promise<Page> {
    const page = s!.page;
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto(base);
    await page.waitForFunction(() => 'showRound' in window && 'showLobby' in window);
    if (place === 'lobby') await page.evaluate((v) => (window as unknown as { showLobby(v: unknown): void }).showLobby(v), view);
    else await page.evaluate(([v, p]) => (window as unknown as { showRound(v: unknown, p: string): void }).showRound(v, p), [view, place] as const);
    return page;
  }

  /** The shown view's countdown moves to each of `seconds`, and `clock` shows it. */
  async function tick(page: Page, seconds: number[], clock: string): Promise<void> {
    for (const left of seconds) {
      await page.evaluate((n) => {
        (window as unknown as { shownView(): { phaseSecondsLeft: number } }).shownView().phaseSecondsLeft = n;
      }, left);
      await page.waitForFunction(([sel, n]) => document.querySelector(sel)?.textContent?.includes(String(n)) === true, [clock, left] as const);
    }
  }

  // The widest tables: the most nodes across for each length of version (panels.ts
  // versionsFitAcross), and past it a node per row, up to the most nodes a cluster has.
  const cases: { nodes: number; digits: number; across: boolean }[] = [
    { nodes: 4, digits: 6, across: true },
    { nodes: 5, digits: 5, across: true },
    { nodes: 5, digits: 6, across: false },
    { nodes: 6, digits: 2, across: false },
    { nodes: 6, digits: 6, across: false },
    { nodes: 15, digits: 6, across: false },
  ];
  for (const c of cases) {
    it(`fits ${c.digits}-digit versions on ${c.nodes} nodes at every size, in a round, a class and a replay`, async () => {
      const page = s!.page;
      await page.goto(base);
      await page.waitForFunction(() => 'showRound' in window);
      const view = bigNumbersView(c.nodes, c.digits);
      const problems: string[] = [];
      for (const place of ['round', 'class', 'replay'] as RoundPlace[]) {
        await page.evaluate(([v, p]) => (window as unknown as { showRound(v: unknown, p: string): void }).showRound(v, p), [view, place] as const);
        // The steadily-behind copy is marked once it has been behind for a while.
        await page.waitForSelector('.hot-table td.behind');
        expect(await page.textContent('.hot-table thead th')).toBe(c.across ? 'key' : 'node');
        problems.push(...(await checkEverySize(page, `fit-${place}-${c.nodes}x${c.digits}`, { fullPage: true })));
        for (const size of SCREEN_SIZES) {
          await page.setViewportSize({ width: size.width, height: size.height });
          await settled(page);
          for (const p of await hudProblems(page)) problems.push(`${place} at ${size.width}×${size.height}: ${p}`);
          // (A phone's page scrolls as a whole; a replay shows no actions.)
          if (size.width > 900 && place !== 'replay') for (const p of await actionProblems(page)) problems.push(`${place} at ${size.width}×${size.height}: ${p}`);
          for (const p of await tableProblems(page, TABLE_TEXT_FLOOR)) problems.push(`${place}, ${c.nodes} nodes, ${c.digits} digits, at ${size.width}×${size.height}: ${p}`);
        }
      }
      expect(problems).toEqual([]);
      expect(s!.errors).toEqual([]);
    });
  }
  it('keeps the lobby\'s and the briefing\'s buttons the same elements while the countdown ticks', async () => {
    const view = bigNumbersView(5, 2);
    view.phase = 'lobby';
    view.phaseSecondsLeft = 30;
    const page = await open(view, 'lobby');
    await page.waitForSelector('[data-ready="lobby"]');
    const ready = await page.$('[data-ready="lobby"]');
    const leave = await page.$('.lobby-go button:not([data-ready])');
    await tick(page, [29, 28], '.countdown');
    // Into the briefing: the same button, now the briefing's.
    await page.evaluate(() => {
      const v = (window as unknown as { shownView(): { phase: string; phaseSecondsLeft: number } }).shownView();
      v.phase = 'briefing';
      v.phaseSecondsLeft = 20;
    });
    await page.waitForSelector('[data-ready="briefing"]');
    expect(await ready!.evaluate((el) => el.isConnected && el.getAttribute('data-ready'))).toBe('briefing');
    expect(await leave!.evaluate((el) => el.isConnected)).toBe(true);
    expect(s!.errors).toEqual([]);
  });

  it('keeps the hint\'s "Show me" button when the advisor rewords its number', async () => {
    type Shown = { shownView(): { simMs: number; nodes: { utilization: number }[] } };
    const view = bigNumbersView(5, 2);
    view.simMs = 60_000;
    view.phaseSecondsLeft = 540;
    view.difficulty = 'easy';
    // Every node up (no failover hint comes first), one running hot.
    for (const n of view.nodes) {
      n.utilization = 40;
      n.status = 'up';
    }
    view.nodes[1]!.utilization = 90;
    const page = await open(view, 'round');
    // The advisor speaks once the situation has lasted: the round's clock moves on until it does.
    await page.waitForFunction(() => {
      (window as unknown as Shown).shownView().simMs += 2_000;
      return document.querySelector('.advisor .advisor-show') !== null;
    }, null, { polling: 50, timeout: 60_000 });
    const show = await page.$('.advisor .advisor-show');
    expect(await page.textContent('.advisor-text')).toContain('90');
    // On a 1366×768 laptop the hint's card and the button it names are in view together,
    // without scrolling (actions further down may need a scroll while a hint shows).
    await page.screenshot({ path: screenshotPath('fit-hint-laptop') });
    expect(await actionProblems(page, '.actions button.advised')).toEqual([]);
    expect(await page.$$('.actions button.advised')).toHaveLength(1);
    // Far enough from the words shown for the advisor to reword them.
    await page.evaluate(() => {
      (window as unknown as Shown).shownView().nodes[1]!.utilization = 100;
    });
    await page.waitForFunction(() => document.querySelector('.advisor-text')?.textContent?.includes('100') === true);
    expect(await show!.evaluate((el) => el.isConnected && el === document.querySelector('.advisor .advisor-show'))).toBe(true);
    expect(s!.errors).toEqual([]);
  });

  it('says what a telemetry request carries under its throughput', async () => {
    const view = bigNumbersView(5, 2);
    view.scenario = SCENARIOS.telemetry;
    view.measures.throughput = 520;
    const page = await open(view, 'round');
    await page.waitForSelector('[data-cell="thr"] .sub');
    expect(await page.textContent('[data-cell="thr"] .value')).toBe('520/s');
    expect(await page.textContent('[data-cell="thr"] .sub')).toBe('= 2,080 readings/s');
    await page.locator('.hud').screenshot({ path: screenshotPath('fit-telemetry-throughput') });
    expect(s!.errors).toEqual([]);
  });

  it('writes nothing to the page while the view stays the same, and only the words that change when one does', async () => {
    type Shown = { shownView(): { measures: { throughput: number } } };
    type Watched = Window & { changed: string[] };
    const view = bigNumbersView(5, 2);
    const page = await open(view, 'replay');
    // The harness redraws the screen every frame; once the lagging copy is marked it has nothing new to show.
    await page.waitForSelector('.hot-table td.behind');
    const frames = (n: number) =>
      page.evaluate((count) => new Promise<void>((done) => {
        let k = 0;
        const frame = () => (++k >= count ? done() : requestAnimationFrame(frame));
        requestAnimationFrame(frame);
      }), n);
    await frames(5);
    // Every change to the screen's elements from now on, named by the HUD cell (or the part) it is in.
    await page.evaluate(() => {
      const w = window as unknown as Watched;
      w.changed = [];
      const where = (n: Node | null): string => {
        const el = n instanceof Element ? n : (n?.parentElement ?? null);
        const cell = el?.closest<HTMLElement>('[data-cell]');
        if (cell) return `hud ${cell.dataset.cell}`;
        return el?.closest('section, header, nav, aside, div.alerts')?.getAttribute('aria-label') ?? el?.tagName ?? '?';
      };
      new MutationObserver((list) => {
        for (const m of list) w.changed.push(`${where(m.target)}: ${m.type}${m.attributeName ? ` ${m.attributeName}` : ''}`);
      }).observe(document.querySelector('main.round')!, { subtree: true, childList: true, attributes: true, characterData: true });
    });
    await frames(20);
    expect(await page.evaluate(() => (window as unknown as Watched).changed)).toEqual([]);
    // One number changes: its cell's words change, and nothing else on the screen is touched.
    await page.evaluate(() => {
      (window as unknown as Shown).shownView().measures.throughput = 4321;
    });
    await page.waitForFunction(() => document.querySelector('[data-cell="thr"] .value')?.textContent === '4,321/s');
    await frames(5);
    const changed = await page.evaluate(() => (window as unknown as Watched).changed);
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.filter((c) => !c.startsWith('hud thr:'))).toEqual([]);
    expect(s!.errors).toEqual([]);
  });

  it("keeps the setup's Ready button the same element while its countdown ticks, so no click is lost", async () => {
    const view = bigNumbersView(5, 2);
    view.phase = 'setup';
    view.phaseSecondsLeft = 30;
    const page = await open(view, 'round');
    await page.waitForSelector('[data-ready="setup"]');
    expect(await page.textContent('.banner-setup .t')).toContain('30');
    const before = await page.$('[data-ready="setup"]');
    await tick(page, [29, 28, 27], '.banner-setup .t');
    expect(await before!.evaluate((el) => el.isConnected && el === document.querySelector('[data-ready="setup"]'))).toBe(true);
    expect(s!.errors).toEqual([]);
  });
});
