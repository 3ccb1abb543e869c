// End to end: a learner follows the whole tutorial in headless Chromium, chapter by chapter,
// on a phone (390 × 844, by touch, choosing Serve when cut off) and on a laptop (1366 × 768,
// by mouse, choosing Refuse), and the round ends with the promise kept. Along the way: each
// chapter's finish appears, a glossary word opens its definition, the stance shows its
// consequence, nothing is wider than the screen, and the page logs no error. Screenshots of
// every chapter go to test-results/ for a person to look at.

import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserSkipReason, openBrowser, screenshotPath, servedClient, type Session } from './support/browser.js';
import type { RoundView } from '../client/src/view.js';
import { TUTORIAL_CHAPTERS } from '../shared/words/tutorial.js';

const skip = browserSkipReason();
if (skip !== null) console.warn(`e2e-tutorial: skipped: ${skip}`);

/** A round long enough for every chapter at a test's pace (the tutorial's own is 5 minutes). */
const ROUND = 'briefingSeconds=1&setupSeconds=60&roundSeconds=180&seed=7&debriefSeconds=600';

type Win = { splitBrain: { view(): RoundView | null } };

interface Walk {
  name: string;
  size: { width: number; height: number; isMobile?: boolean; hasTouch?: boolean; deviceScaleFactor?: number };
  touch: boolean;
  stance: 'refuse' | 'serve';
}

const WALKS: Walk[] = [
  { name: 'phone', size: { width: 390, height: 844, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }, touch: true, stance: 'serve' },
  { name: 'laptop', size: { width: 1366, height: 768 }, touch: false, stance: 'refuse' },
];

describe.skipIf(skip !== null)('the tutorial in the browser', () => {
  const served = servedClient();

  // The two walks run side by side: most of each is the round's clock running out.
  it.concurrent.each(WALKS)('a learner on a $name follows every chapter and keeps the promise', { timeout: 600_000 }, async (walk) => {
    const s = await openBrowser(walk.size);
    try {
      await followTutorial(s, served.base, walk);
    } finally {
      await s.close();
    }
  });
});

async function followTutorial(s: Session, base: string, walk: Walk): Promise<void> {
  const { page } = s;
  // The whole page on a phone is long (and slow to take): only at a few moments.
  const shot = (name: string, fullPage = false) => page.screenshot({ path: screenshotPath(`tutorial-${walk.name}-${name}`), fullPage: fullPage && walk.touch });
  const press = (selector: string) => (walk.touch ? page.tap(selector) : page.click(selector));
  const view = async () => (await page.evaluate(() => (window as unknown as Win).splitBrain.view()))!;
  const at = (chapter: string, step = '', timeout = 30_000) =>
    page.waitForSelector(`.coach[data-chapter="${chapter}"]${step === '' ? '' : `[data-step="${step}"]`}`, { timeout });
  const won = async (chapter: string, timeout = 30_000) => {
    await page.waitForSelector(`.coach [data-won="${chapter}"]`, { timeout });
    await fits(page, `${walk.name}, chapter ${chapter}`);
    const name = `${TUTORIAL_CHAPTERS.findIndex((c) => c.id === chapter) + 1}-${chapter}`;
    // On a phone the coach has its own row under the map: the coach alone, at full size.
    if (walk.touch) await page.locator('.coach').screenshot({ path: screenshotPath(`tutorial-${walk.name}-${name}-coach`) });
    else await shot(name);
  };
  const next = async () => press('[data-coach="next"]');
  // Selecting a node opens the node tab (from the settings tab too).
  const selectNode = (id: number) => press(`[data-node="${id}"]`);

  await page.goto(`${base}/?${ROUND}`);
  await page.waitForSelector('[data-play="tutorial"]');
  await page.fill('#nickname', walk.name === 'phone' ? 'Grace' : 'Alan');
  await press('[data-play="tutorial"]');
  // Before the round is live the coach waits with the setup instead of starting chapter 1.
  await page.waitForSelector('.coach[data-chapter="before"]', { timeout: 20_000 });
  await page.waitForSelector('.coach [data-coach="ready"]', { timeout: 20_000 });
  await shot('0-setup', true);
  await press('.coach [data-coach="ready"]');
  await page.waitForFunction(() => (window as unknown as Win).splitBrain.view()?.phase === 'live', null, { timeout: 20_000 });
  const me = (await view()).myNode;
  expect(me).toBeGreaterThanOrEqual(0);

  // 1. A node and its load: select one. A glossary word in the idea opens its definition.
  await at('node', 'select-node');
  expect(await page.textContent('.coach .step')).toContain(`Chapter 1 of ${TUTORIAL_CHAPTERS.length}`);
  await press('.coach .idea .gloss[data-gloss="node"]');
  await page.waitForSelector('.gloss-pop[data-gloss-pop="node"]');
  expect(await page.textContent('.gloss-pop')).toContain('One server in the cluster');
  await fits(page, `${walk.name}, a definition open`);
  await shot('1-glossary');
  await press('.gloss-pop .gloss-close');
  await page.waitForSelector('.gloss-pop', { state: 'detached' });
  const other = (await view()).nodes.find((n) => n.id !== me)!.id;
  await selectNode(other);
  await won('node');
  await next();

  // 2. Leader and followers: select a node that leads a shard.
  await at('leader', 'find-leader');
  const leader = (await view()).nodes.find((n) => n.leaderOf > 0)!.id;
  await selectNode(leader);
  await won('leader');
  await next();

  // 3. A crash and failover: the learner's own node crashes; they restart it.
  await at('failover', 'restart');
  await page.waitForFunction((mine) => (window as unknown as Win).splitBrain.view()!.nodes[mine]!.status === 'down', me, { timeout: 15_000 });
  await shot('3-crashed');
  await selectNode(me);
  await press('[data-action="restart"]');
  await won('failover');
  expect(await page.textContent('.coach [data-won="failover"]')).toContain('Your node is back');
  await next();

  // 4. A quorum: a bot's node crashes (two of three go on), then the learner proposes a setting.
  await at('quorum', 'vote', 20_000);
  await press('[data-tab="settings"]');
  await page.selectOption('select[data-setting="failoverTimeoutMs"]', JSON.stringify(800));
  await press('[data-propose="failoverTimeoutMs"]');
  await page.waitForFunction(() => (window as unknown as Win).splitBrain.view()?.settings.failoverTimeoutMs === 800, null, { timeout: 10_000 });
  await won('quorum');
  await next();

  // 5. A partition and the stance: choose, get cut off, see the consequence, drain, heal, undrain.
  // The stance is chosen first; the split follows.
  await at('partition', 'stance', 20_000);
  await selectNode(me);
  await press(`[data-stance="${walk.stance}"]`);
  await page.waitForFunction(() => (window as unknown as Win).splitBrain.view()!.network.partitioned, null, { timeout: 40_000 });
  // The consequence, in the coach: Serve answers (some stale), Refuse turns away and spends the budget.
  await page.waitForSelector('.coach [data-consequence]', { timeout: 15_000 });
  if (walk.stance === 'serve') await page.waitForFunction(() => /stale/.test(document.querySelector('.coach [data-consequence]')?.textContent ?? ''), null, { timeout: 15_000 });
  else await page.waitForFunction(() => /refused [1-9]/.test(document.querySelector('.coach [data-consequence]')?.textContent ?? ''), null, { timeout: 15_000 });
  await fits(page, `${walk.name}, the stance's consequence`);
  await shot('5-consequence', true);
  if (walk.touch) await page.locator('.coach').screenshot({ path: screenshotPath(`tutorial-${walk.name}-5-consequence-coach`) });
  await at('partition', 'drain', 15_000);
  await press('[data-action="drain"]');
  await at('partition', 'undrain', 40_000);
  await press('[data-action="drain"]');
  await won('partition', 15_000);
  const finish = (await page.textContent('.coach [data-won="partition"]'))!;
  // The finish tells what the learner's stance did, and the numbers behind it.
  const after = await view();
  const mine = after.nodes[me]!;
  expect(mine.stance).toBe(walk.stance);
  if (walk.stance === 'serve') {
    expect(finish).toContain('You chose Serve');
    expect(mine.splitReads).toBeGreaterThan(0);
    expect(after.measures.staleReads).toBeGreaterThan(0);
  } else {
    expect(finish).toContain('You chose Refuse');
    expect(mine.splitRefused).toBeGreaterThan(0);
    expect(mine.splitStale).toBe(0);
  }
  await next();

  // 6. Nines and the error budget: tap the gauge, read what it means.
  await at('nines', 'budget');
  await press('[data-cell="budget"]');
  await page.waitForSelector('.gloss-pop[data-gloss-pop="error-budget"]');
  await won('nines');
  await press('.gloss-pop .gloss-close');
  await next();

  // 7. Scaling out: traffic doubles; the learner adds a node.
  await at('scale', 'scale-out', 20_000);
  const before = (await view()).nodes.length;
  await selectNode(me);
  await press('[data-action="scale-out"]');
  await won('scale', 20_000);
  expect((await view()).nodes.length).toBe(before + 1);
  await press('[data-coach="next"]');
  await page.waitForSelector('.coach[data-chapter="done"]');
  expect(await page.textContent('.coach')).toContain(`You won ${TUTORIAL_CHAPTERS.length} of ${TUTORIAL_CHAPTERS.length} chapters`);
  await shot('8-done');

  // The round ends, and the debrief says the promise was kept.
  await page.waitForFunction(() => (window as unknown as Win).splitBrain.view()?.phase === 'debrief', null, { timeout: 300_000 });
  await page.waitForSelector('.verdict', { timeout: 30_000 });
  expect(await page.textContent('.verdict')).toContain('Every promise kept');
  // The debrief does not contradict the learner's stance: after Serve it never says the
  // cluster chose consistency, after Refuse never that it chose availability; and it counts
  // answers given without a quorum only when there were some.
  const debrief = (await page.textContent('main'))!;
  if (walk.stance === 'serve') {
    expect(debrief).not.toContain('chose consistency');
    expect(debrief).not.toMatch(/\b0 answered without one/);
  } else {
    expect(debrief).not.toContain('chose availability');
    expect(debrief).toMatch(/\b0 answered without one/);
  }
  await fits(page, `${walk.name}, the debrief`);
  await shot('9-debrief', true);
  expect(s.errors).toEqual([]);
}

/** Nothing on the page is wider than the screen. */
async function fits(page: Page, where: string): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${where}: the page is wider than the screen`).toBeLessThanOrEqual(1);
}
