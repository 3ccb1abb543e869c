// Headless Chromium for the end-to-end tests, through playwright-core and the machine's own
// Chromium (Debian's package, or CHROMIUM_PATH). Never downloads a browser. Where none is
// installed the e2e tests skip with the command that installs one, except under CI=true,
// where a missing browser fails the run.

import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startGameServer, type GameServer } from '../../server/app.js';
import { openStore, type RoundStore } from '../../server/store/index.js';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/snap/bin/chromium'];

/** Flags that work on this kind of machine (shared/design/STACK.md). */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-unsafe-swiftshader',
];

export const INSTALL_HINT = 'no Chromium found: install one with `apt-get install chromium` (or set CHROMIUM_PATH)';

/** The Chromium to use, or null when there is none. */
export function chromiumPath(): string | null {
  const env = process.env.CHROMIUM_PATH;
  if (env !== undefined && env !== '') return existsSync(env) ? env : null;
  return CANDIDATES.find((p) => existsSync(p)) ?? null;
}

/** Under CI a missing browser is a failure, elsewhere a skip. Throws in CI, returns the reason to skip otherwise. */
export function browserSkipReason(): string | null {
  if (chromiumPath() !== null) return null;
  if (process.env.CI === 'true') throw new Error(`${INSTALL_HINT} (CI=true: the end-to-end tests must run)`);
  return INSTALL_HINT;
}

export interface Session {
  context: BrowserContext;
  page: Page;
  /** Console errors and page errors seen so far. */
  errors: string[];
  close(): Promise<void>;
}

export interface SessionOptions {
  width?: number;
  height?: number;
  deviceScaleFactor?: number;
  isMobile?: boolean;
  hasTouch?: boolean;
}

/** A fresh browser with its own profile directory, one page, and its errors collected. */
export async function openBrowser(opts: SessionOptions = {}): Promise<Session> {
  const executablePath = chromiumPath();
  if (executablePath === null) throw new Error(INSTALL_HINT);
  const profile = mkdtempSync(join(tmpdir(), 'splitbrain-chromium-'));
  // A persistent context is Playwright's way of giving Chromium its own --user-data-dir.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: opts.width ?? 1366, height: opts.height ?? 768 },
    deviceScaleFactor: opts.deviceScaleFactor ?? 1,
    isMobile: opts.isMobile ?? false,
    hasTouch: opts.hasTouch ?? false,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return {
    context,
    page,
    errors,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** test-results/<name>.png (the folder is gitignored). */
export function screenshotPath(name: string): string {
  const dir = join(process.cwd(), 'test-results');
  mkdirSync(dir, { recursive: true });
  return join(dir, `${name}.png`);
}

/**
 * Build the browser client into a fresh temporary folder, as the game server serves it, and
 * return the folder (remove it after the test). Built for production: vitest runs with
 * NODE_ENV=test, which would give a development bundle that expects the dev server's
 * /colyseus prefix in front of every request.
 */
export async function buildClient(opts: { minify?: boolean } = {}): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'splitbrain-client-'));
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    // Unminified (for a profile that names the functions), when asked.
    const minify = opts.minify === false ? { minify: false } : {};
    await build({ configFile: fileURLToPath(new URL('../../vite.config.ts', import.meta.url)), logLevel: 'warn', build: { outDir, emptyOutDir: true, ...minify } });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  return outDir;
}

/**
 * For the browser tests of one describe block: build the client and start a game server that
 * serves it (before the tests), stop both (after). `base` is the server's address once up.
 * With `keepsRounds`, the server records rounds in a SQLite store of its own (as `npm start`
 * does), so debriefs link to replays and the replay pages have something to show.
 */
export function servedClient(opts: { keepsRounds?: boolean } = {}): { readonly base: string } {
  let server: GameServer | undefined;
  let store: RoundStore | undefined;
  let outDir = '';
  let dataDir = '';
  const out = { base: '' };
  beforeAll(async () => {
    outDir = await buildClient();
    if (opts.keepsRounds === true) {
      dataDir = mkdtempSync(join(tmpdir(), 'splitbrain-data-'));
      store = await openStore({ databaseUrl: null, dataDir });
    }
    server = await startGameServer({ port: 0, host: '127.0.0.1', clientDir: outDir, ...(store !== undefined ? { store } : {}) });
    out.base = `http://127.0.0.1:${server.port}`;
  });
  afterAll(async () => {
    await server?.shutdown();
    await store?.close();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });
  return out;
}

// ---------------------------------------------------------------------------------------
// Every screen at every size: the three screens the game is played on, and what a test
// checks on each (nothing sticks out sideways, the projector's text is big enough, nothing
// floats over a control).

export interface ScreenSize {
  name: 'phone' | 'laptop' | 'projector';
  width: number;
  height: number;
}

/** A phone, a Chromebook, a projector. */
export const SCREEN_SIZES: readonly ScreenSize[] = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'laptop', width: 1366, height: 768 },
  { name: 'projector', width: 1920, height: 1080 },
];

/** The smallest text the projector view may show at 1920×1080, px: readable from the back of a room. */
export const PROJECTOR_TEXT_FLOOR = 24;

/** Resolves once the page has laid itself out again (two animation frames after a resize). */
export async function settled(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))));
}

/**
 * What sticks out of the screen sideways: the page wider than the window, any element
 * reaching past its left or right edge (outside a box that scrolls sideways), and any box
 * that scrolls sideways to show all it holds, but for the node strip (a row of buttons one
 * swipes). Only the outermost offender of a subtree is named, with the innermost inside it.
 */
export function sidewaysOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const W = document.documentElement.clientWidth;
    const out: string[] = [];
    const wide = document.documentElement.scrollWidth;
    if (wide > W + 1) out.push(`the page is ${wide} px wide in a ${W} px window`);
    const name = (el: Element) => {
      const cls = typeof el.className === 'string' && el.className !== '' ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
      const data = [...el.attributes].find((a) => a.name.startsWith('data-'));
      const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
      return `${el.tagName.toLowerCase()}${cls}${data ? `[${data.name}="${data.value}"]` : ''}${text ? ` "${text}"` : ''}`;
    };
    const scrollsSideways = (el: Element) => {
      for (let p = el.parentElement; p !== null && p !== document.body; p = p.parentElement) {
        const ox = getComputedStyle(p).overflowX;
        if (ox === 'auto' || ox === 'scroll') return true;
      }
      return false;
    };
    const bad: Element[] = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if (r.right <= W + 1 && r.left >= -1) continue;
      if (getComputedStyle(el).visibility === 'hidden' || scrollsSideways(el)) continue;
      // The body of a closed <details> is not shown (Chromium keeps a stale layout for it).
      const shut = el.closest('details:not([open])');
      if (shut !== null && el.closest('summary') === null) continue;
      bad.push(el);
    }
    const span = (el: Element) => {
      const r = el.getBoundingClientRect();
      return `${Math.round(r.left)}–${Math.round(r.right)} px`;
    };
    // Each outermost offender, with the innermost one inside it (usually the cause).
    for (const el of bad) {
      if (bad.some((o) => o !== el && o.contains(el))) continue;
      const inner = bad.filter((o) => o !== el && el.contains(o) && !bad.some((x) => x !== o && o.contains(x)));
      out.push(`${name(el)} spans ${span(el)}${inner.length > 0 ? `; inside it ${inner.slice(0, 3).map((i) => `${name(i)} spans ${span(i)}`).join(', ')}` : ''}`);
    }
    // A box that scrolls sideways hides part of what it holds: only the node strip may (a
    // row of buttons meant to be swiped); a table must fit.
    for (const el of document.body.querySelectorAll('*')) {
      if (el.closest('.strip') !== null || el.clientWidth === 0) continue;
      const ox = getComputedStyle(el).overflowX;
      if ((ox === 'auto' || ox === 'scroll') && el.scrollWidth > el.clientWidth + 1) out.push(`${name(el)} hides ${el.scrollWidth - el.clientWidth} px of its content sideways`);
    }
    return out.slice(0, 12);
  });
}

/** Visible text (HTML or SVG, as drawn on screen) smaller than `floor` px, under `root`. */
export function textUnder(page: Page, floor: number, root = 'body'): Promise<string[]> {
  return page.evaluate(
    ([sel, min]) => {
      const out: string[] = [];
      const top = document.querySelector(sel as string);
      if (top === null) return [`nothing matches ${sel}`];
      for (const el of [top, ...top.querySelectorAll('*')]) {
        const own = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '');
        if (!own) continue;
        const r = el.getBoundingClientRect();
        const st = getComputedStyle(el);
        if (r.width === 0 || r.height === 0 || st.visibility === 'hidden' || st.display === 'none') continue;
        let size = parseFloat(st.fontSize);
        // SVG text is scaled with its drawing: measure it as drawn.
        if (el instanceof SVGGraphicsElement) size *= Math.abs(el.getScreenCTM()?.a ?? 1);
        if (size + 0.05 < (min as number)) out.push(`${el.tagName.toLowerCase()}${typeof el.className === 'string' && el.className ? `.${el.className.split(' ')[0]}` : ''} "${(el.textContent ?? '').trim().slice(0, 30)}" at ${size.toFixed(1)} px`);
      }
      return out.slice(0, 15);
    },
    [root, floor] as const,
  );
}

/**
 * Boxes that float over the page (`floating`, e.g. the class layer's notes) and cover one
 * of the controls or figures `covered` names. Each hit: "what covers what".
 */
export function coveredControls(page: Page, floating: string, covered: string): Promise<string[]> {
  return page.evaluate(
    ([fl, cov]) => {
      const out: string[] = [];
      const visible = (el: Element) => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden' ? r : null;
      };
      for (const f of document.querySelectorAll(fl as string)) {
        const a = visible(f);
        if (a === null) continue;
        for (const c of document.querySelectorAll(cov as string)) {
          if (f.contains(c) || c.contains(f)) continue;
          const b = visible(c);
          if (b === null) continue;
          if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) {
            out.push(`"${(f.textContent ?? '').trim().slice(0, 40)}" covers "${(c.textContent ?? '').trim().slice(0, 40)}"`);
          }
        }
      }
      return out;
    },
    [floating, covered] as const,
  );
}

/**
 * The node panel as it stands: what it says the node did in a split (if anything), and the
 * actions that end past the panel's bottom edge, which a player would have to scroll to.
 */
export function nodeActionsCut(page: Page): Promise<{ record: string; hidden: string[] }> {
  return page.evaluate(() => {
    const pane = document.querySelector('#pane-node')!;
    const edge = pane.getBoundingClientRect().bottom;
    const record = pane.querySelector('.split-record')?.textContent ?? '';
    const hidden = [...pane.querySelectorAll('.actions button')].filter((b) => b.getBoundingClientRect().bottom > edge + 0.5).map((b) => b.textContent ?? '');
    return { record, hidden };
  });
}

export interface ScreenCheck {
  /** Also fail on text under PROJECTOR_TEXT_FLOOR at the projector size (under this selector). */
  projectorFloor?: string;
  /** [floating, covered] selectors for coveredControls. */
  uncovered?: [string, string];
  /** A full-page screenshot (long pages: the debrief, results). */
  fullPage?: boolean;
}

/**
 * Show the page at each of SCREEN_SIZES, screenshot it (test-results/screens-<name>-<size>.png)
 * and return every problem found, each prefixed with the screen and size. The page is left
 * at the size it had.
 */
export async function checkEverySize(page: Page, name: string, check: ScreenCheck = {}): Promise<string[]> {
  const before = page.viewportSize();
  const problems: string[] = [];
  for (const size of SCREEN_SIZES) {
    await page.setViewportSize({ width: size.width, height: size.height });
    await settled(page);
    const where = `${name} at ${size.width}×${size.height}`;
    for (const p of await sidewaysOverflow(page)) problems.push(`${where}: ${p}`);
    if (check.projectorFloor !== undefined && size.name === 'projector') {
      for (const p of await textUnder(page, PROJECTOR_TEXT_FLOOR, check.projectorFloor)) problems.push(`${where}: text under ${PROJECTOR_TEXT_FLOOR} px: ${p}`);
    }
    if (check.uncovered !== undefined) for (const p of await coveredControls(page, ...check.uncovered)) problems.push(`${where}: ${p}`);
    await page.screenshot({ path: screenshotPath(`screens-${name}-${size.name}`), fullPage: check.fullPage ?? false });
  }
  if (before !== null) await page.setViewportSize(before);
  return problems;
}
