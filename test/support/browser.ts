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
export async function buildClient(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'splitbrain-client-'));
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: fileURLToPath(new URL('../../vite.config.ts', import.meta.url)), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  return outDir;
}

/**
 * For the browser tests of one describe block: build the client and start a game server that
 * serves it (before the tests), stop both (after). `base` is the server's address once up.
 */
export function servedClient(): { readonly base: string } {
  let server: GameServer | undefined;
  let outDir = '';
  const out = { base: '' };
  beforeAll(async () => {
    outDir = await buildClient();
    server = await startGameServer({ port: 0, host: '127.0.0.1', clientDir: outDir });
    out.base = `http://127.0.0.1:${server.port}`;
  });
  afterAll(async () => {
    await server?.shutdown();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });
  return out;
}
