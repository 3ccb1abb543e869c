// The same round in every engine: every scenario and preset, run by the shared simulation
// bundled into headless Chromium, must reproduce the checkpoint hashes Node computes — the
// ones a server writes into every recording. Otherwise a replay in the browser diverges and
// "branch from here" starts from a state that never happened.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';
import { browserSkipReason, openBrowser, type Session } from './support/browser.js';
import { probeAll, type ProbeResult } from './support/engine-probe.js';

const skip = browserSkipReason();
const SEED = 20_261_205;
/** 20 simulated seconds of each: four checkpoints, with traffic, chaos and bots acting. */
const TICKS = 400;

let outDir = '';
let session: Session | null = null;
afterAll(async () => {
  await session?.close();
  if (outDir !== '') rmSync(outDir, { recursive: true, force: true });
});

/** The probe bundled as one script for a blank page, as the browser client bundles shared/. */
async function bundle(): Promise<string> {
  outDir = mkdtempSync(join(tmpdir(), 'splitbrain-probe-'));
  await build({
    configFile: false,
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: true,
      minify: false,
      lib: { entry: fileURLToPath(new URL('./support/engine-probe.ts', import.meta.url)), formats: ['iife'], name: 'EngineProbe', fileName: () => 'probe.js' },
    },
  });
  return readFileSync(join(outDir, 'probe.js'), 'utf8');
}

describe.skipIf(skip !== null)('the simulation in Chromium', () => {
  it('gives Node\'s checkpoint hashes for every scenario and preset', { timeout: 300_000 }, async () => {
    const script = await bundle();
    const inNode = probeAll(SEED, TICKS, 'heavy');
    session = await openBrowser();
    const { page } = session;
    await page.goto('about:blank');
    await page.addScriptTag({ content: script });
    const inBrowser = await page.evaluate(
      ([seed, ticks]) => (window as unknown as { EngineProbe: { probeAll(s: number, t: number, c: string): ProbeResult[] } }).EngineProbe.probeAll(seed!, ticks!, 'heavy'),
      [SEED, TICKS],
    );
    expect(inNode.length).toBeGreaterThanOrEqual(14);
    for (const r of inNode) expect(r.hashes).toHaveLength(TICKS / 100);
    expect(inBrowser).toEqual(inNode);
    expect(session.errors).toEqual([]);
  });
});
