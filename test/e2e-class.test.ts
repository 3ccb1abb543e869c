// End to end: a class in headless Chromium against the real server and the built client.
// A teacher opens a class from home, the projector view opens in the same browser (same
// host key), one student joins with the code typed on home and another, on a phone, through
// the join link (after a mistyped code). The teacher makes two teams and a two-minute round,
// starts it, strikes a partition in every team, runs a predict poll, pushes a card, pauses
// and resumes; both students see all of it over their round; the teacher ends the round and the results
// download as CSV. Screenshots go to test-results/ for a person to look at.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startTestServer, type TestServer } from './support/game-server.js';
import { openStore } from '../server/store/open.js';
import type { RoundStore } from '../server/store/types.js';
import { browserSkipReason, openBrowser, screenshotPath, settled, type Session, buildClient } from './support/browser.js';
import { CSV_COLUMNS } from '../shared/session/results.js';
import { getScenario } from '../shared/scenarios/index.js';
import { atDifficulty } from '../shared/scenarios/difficulty.js';
import { promiseText } from '../shared/words/promise.js';
import type { ClassView } from '../client/src/class/view.js';
import type { RoundView } from '../client/src/view.js';

const skip = browserSkipReason();
if (skip !== null) console.warn(`e2e-class: skipped: ${skip}`);


let t: TestServer;
let outDir: string;
let dataDir: string;
let store: RoundStore;

type W = { splitBrainClass?: { view(): ClassView | null }; splitBrain?: { view(): RoundView | null } };

/** Wait until the class state this page sees satisfies `check` (a function body over `v`). */
function classState(page: Page, check: string, timeout = 15_000): Promise<unknown> {
  return page.waitForFunction(`(() => { const v = window.splitBrainClass?.view(); return v != null && (${check}); })()`, null, { timeout });
}

function roundState(page: Page, check: string, timeout = 20_000): Promise<unknown> {
  return page.waitForFunction(`(() => { const v = window.splitBrain?.view(); return v != null && (${check}); })()`, null, { timeout });
}

/** A student's id as the host's dashboard knows it. */
function studentId(page: Page, nickname: string): Promise<string> {
  return page.evaluate((n) => (window as unknown as W).splitBrainClass!.view()!.students.find((s) => s.nickname === n)!.id, nickname);
}

/** How far the page is wider than the screen (a phone must not scroll sideways). */
function overflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

/**
 * Console errors, less two kinds of 404 that are no fault: the wrong join code the test
 * types on purpose, and the assets Chromium's preload scanner asks for relative to a class
 * address (class/host, join/<code>) before index.html's script has set the page's base.
 */
function realErrors(s: Session): string[] {
  // Also Chromium's warning when a message is sent on a team room's socket that the end of
  // the round has just closed (a race between the round's end and the page leaving it; the
  // message is dropped, nothing else happens).
  return s.errors.filter((e) => !/Failed to load resource: the server responded with a status of 404|Refused to apply style from '[^']*\/(class|join)\/assets\/|WebSocket is already in CLOSING or CLOSED state/.test(e));
}

describe.skipIf(skip !== null)('a class in the browser', () => {
  beforeAll(async () => {
    outDir = await buildClient();
    // Rounds are recorded, so the results link to replays and list the class's rounds.
    dataDir = mkdtempSync(join(tmpdir(), 'splitbrain-data-'));
    store = await openStore({ databaseUrl: null, dataDir });
    t = await startTestServer({ clientDir: outDir, store });
  });

  afterAll(async () => {
    await t?.server.shutdown();
    await store?.close();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('host, projector and two students: code, teams, round, partition, poll, card, pause, results, CSV', { timeout: 300_000 }, async () => {
    const started = Date.now();
    const teacher = await openBrowser({ width: 1280, height: 800 });
    const ada = await openBrowser({ width: 1280, height: 800 });
    const grace = await openBrowser({ width: 390, height: 844, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    let projector: Page | null = null;
    try {
      const host = teacher.page;
      // The teacher opens a class from home.
      await host.goto(`${t.http}/`);
      await host.click('[data-play="host-class"]');
      await host.waitForURL(/\/class\/host$/);
      await host.waitForSelector('[data-join-code]');
      const code = (await host.getAttribute('[data-join-code]', 'data-join-code'))!;
      expect(code).toMatch(/^[ACDEFGHJKMNPQRTWXY34679]{6}$/);
      expect(await host.getAttribute('[data-join-link]', 'data-join-link')).toBe(`${t.http}/join/${code}`);
      expect(await host.locator('.join-card svg.qr path').count()).toBe(1);

      // Two teams, a round with no chaos of its own: only the teacher's partition strikes. Two
      // minutes, so a busy machine cannot run out the clock before the pause; the teacher
      // ends it early once everything has been seen.
      await host.selectOption('#set-split', 'count:2');
      await host.selectOption('#set-length', '120');
      await host.selectOption('#set-briefing', '2');
      await host.selectOption('#set-setup', '2');
      await host.selectOption('#set-chaos', 'none');
      // A first class: easy, and the panel says what that changes.
      await host.selectOption('#set-difficulty', 'easy');
      await classState(host, "v.settings.roundSeconds === 120 && v.settings.briefingSeconds === 2 && v.settings.setupSeconds === 2 && v.settings.chaos === 'none' && v.settings.teamCount === 2 && v.settings.difficulty === 'easy'");
      expect(await host.textContent('[data-settings-note]')).toContain('Easy: faults strike');

      // A reload keeps the teacher the host of the same class (the host key in the browser).
      await host.reload();
      await host.waitForSelector(`[data-join-code="${code}"]`);
      // The projector: a window of the same browser, so the same host key.
      const opened = teacher.context.waitForEvent('page');
      await host.click('[data-class="projector"]');
      projector = await opened;
      await projector.setViewportSize({ width: 1920, height: 1080 });
      await projector.waitForSelector('.projector [data-join-code]');
      expect(await projector.getAttribute('.projector [data-join-code]', 'data-join-code')).toBe(code);

      // Ada types the code on home (lower case, with a dash), with her name already there.
      await ada.page.goto(`${t.http}/`);
      await ada.page.fill('#nickname', 'Ada');
      await ada.page.fill('#home-class-code', `${code.slice(0, 3).toLowerCase()}-${code.slice(3).toLowerCase()}`);
      await ada.page.click('[data-play="join-class"]');
      await ada.page.waitForURL(new RegExp(`/join/${code}$`));
      await ada.page.waitForSelector('[data-class-team]');

      // Grace follows the link on her phone; she first types a wrong code and is told so.
      await grace.page.goto(`${t.http}/join/${code}`);
      await grace.page.waitForSelector('#class-nickname');
      expect(await grace.page.inputValue('#class-code')).toBe(code);
      await grace.page.fill('#class-code', 'CCCCCC');
      await grace.page.fill('#class-nickname', 'Grace');
      await grace.page.tap('[data-class="join"]');
      await grace.page.waitForSelector('[data-class-error]');
      expect(await grace.page.textContent('[data-class-error]')).toContain('No class is open with the code CCCCCC');
      await grace.page.fill('#class-code', code);
      await grace.page.tap('[data-class="join"]');
      await grace.page.waitForSelector('[data-class-team]');

      // The doors: a locked class turns a newcomer away in words; a removed student too, until let back in.
      const eve = await openBrowser({ width: 1280, height: 800 });
      try {
        await host.check('#door-locked');
        await classState(host, 'v.locked');
        await eve.page.goto(`${t.http}/join/${code}`);
        await eve.page.fill('#class-nickname', 'Eve');
        await eve.page.click('[data-class="join"]');
        await eve.page.waitForSelector('[data-class-error]');
        expect(await eve.page.textContent('[data-class-error]')).toContain('The class is locked');
        await host.uncheck('#door-locked');
        await classState(host, '!v.locked');
        await eve.page.click('[data-class="join"]');
        await eve.page.waitForSelector('[data-class-team]');
        await classState(host, "v.students.some((s) => s.nickname === 'Eve')");
        await host.click(`[data-kick-ask="${await studentId(host, 'Eve')}"]`);
        await host.click('[data-kick]');
        await eve.page.waitForSelector('[data-class-removed]');
        await host.waitForSelector('.banned [data-allow]');
        await eve.page.goto(`${t.http}/join/${code}`);
        await eve.page.click('[data-class="join"]');
        await eve.page.waitForSelector('[data-class-error]');
        expect(await eve.page.textContent('[data-class-error]')).toContain('Your teacher removed you');
        await host.click('.banned [data-allow]');
        await classState(host, 'v.banned.length === 0 && v.students.length === 2');
        expect(realErrors(eve)).toEqual([]);
      } finally {
        await eve.close();
      }

      // Two students, one per team, on the dashboard and the projector.
      await host.waitForSelector('[data-student="Ada"]');
      await host.waitForSelector('[data-student="Grace"]');
      await classState(host, 'v.students.length === 2 && new Set(v.students.map((s) => s.team)).size === 2');
      await projector.waitForSelector('.proj-team-names li:has-text("Grace")');
      const teamOf = async (p: Page) => Number(await p.getAttribute('[data-class-team]', 'data-class-team'));
      expect(new Set([await teamOf(ada.page), await teamOf(grace.page)])).toEqual(new Set([0, 1]));
      expect(await grace.page.textContent('.your-team')).toContain('Waiting for your teacher');
      await grace.page.waitForSelector('[data-class-difficulty="easy"]');
      // The promise the student reads is the one the easy round will keep score by.
      const scenarioId = await host.evaluate(() => (window as unknown as W).splitBrainClass!.view()!.settings.scenario);
      expect(await grace.page.textContent('[data-class-promise]')).toBe(promiseText(atDifficulty(getScenario(scenarioId)!, 'easy')));
      expect(await overflow(grace.page)).toBeLessThanOrEqual(1);
      await host.screenshot({ path: screenshotPath('class-1-host-lobby'), fullPage: true });
      await projector.screenshot({ path: screenshotPath('class-2-projector-lobby') });
      await grace.page.screenshot({ path: screenshotPath('class-3-phone-lobby') });

      // Start: each student lands in their own team's round.
      await host.click('[data-host="start"]');
      for (const s of [ada, grace]) await roundState(s.page, "v.phase === 'live' && v.difficulty === 'easy'", 30_000);
      const teamRooms = await host.evaluate(() => (window as unknown as W).splitBrainClass!.view()!.teams.map((x) => x.roomId));
      expect(teamRooms.every((r) => r !== '')).toBe(true);
      expect(await ada.page.evaluate(() => (window as unknown as W).splitBrain!.view()!.players.some((p) => p.nickname === 'Ada' && p.node >= 0))).toBe(true);
      // The teacher keeps the time: no "ready" button anywhere in a class round.
      expect(await ada.page.locator('[data-ready]:visible').count()).toBe(0);

      // A partition in every team at once, seen by both students and on the projector.
      await host.waitForSelector('[data-host="chaos"]:not([disabled])', { timeout: 15_000 });
      await host.selectOption('#chaos-kind', 'partition-region');
      await host.selectOption('#chaos-duration', '20');
      await host.click('[data-host="chaos"]');
      for (const s of [ada, grace]) {
        await roundState(s.page, 'v.network.partitioned', 15_000);
        await s.page.waitForSelector('.alert.partition');
      }
      await projector.waitForSelector('.team-panel.split >> nth=1', { timeout: 10_000 });
      expect(await projector.locator('.scoreboard li').count()).toBe(2);
      await projector.screenshot({ path: screenshotPath('class-4-projector-partition') });
      // A smaller projector: the same view must still read at 1280×720.
      await projector.setViewportSize({ width: 1280, height: 720 });
      await settled(projector);
      await projector.screenshot({ path: screenshotPath('class-4b-projector-720p') });
      await projector.setViewportSize({ width: 1920, height: 1080 });
      await settled(grace.page);
      await grace.page.screenshot({ path: screenshotPath('class-5-phone-partition') });

      // A predict poll: both answer, the teacher reveals with the true answer marked.
      await host.click('[data-poll="example"]');
      await host.click('[data-host="poll"]');
      await ada.page.click('[data-poll-choice="1"]');
      await grace.page.tap('[data-poll-choice="2"]');
      await host.waitForSelector('[data-poll-answered="2"]');
      await projector.waitForSelector('.proj-poll .answered:has-text("2 of 2 answered")');
      await grace.page.screenshot({ path: screenshotPath('class-6-phone-poll') });
      await host.selectOption('#poll-truth', '1');
      await host.click('[data-host="reveal"]');
      for (const p of [ada.page, grace.page, projector]) await p.waitForSelector('.poll-bars li.true[data-poll-option="1"]');
      expect(await ada.page.textContent('.class-poll')).toContain('You predicted it');
      await projector.screenshot({ path: screenshotPath('class-7-projector-poll') });

      // A concept card on every screen; a pause the students see; resume.
      await host.selectOption('#card-pick', 'cap');
      await host.click('[data-host="card"]');
      await ada.page.waitForSelector('.class-card[data-card="cap"]');
      await projector.waitForSelector('.proj-card[data-card="cap"]');
      await ada.page.click('[data-card-close="cap"]');
      await host.click('[data-host="pause"]');
      await grace.page.waitForSelector('.class-paused:visible');
      await roundState(grace.page, 'true');
      await grace.page.waitForFunction(() => document.querySelector('.class-paused')?.textContent?.includes('paused by your teacher') === true);
      await grace.page.screenshot({ path: screenshotPath('class-6b-phone-paused') });
      await host.click('[data-host="resume"]');
      await grace.page.waitForSelector('.class-paused', { state: 'hidden' });

      // The teacher ends the round; every team reports; the class has results.
      await host.click('[data-host="end"]');
      await classState(host, "v.phase === 'results'", 60_000);
      await host.waitForSelector('.host-results [data-result-team] >> nth=1');
      expect(await host.locator('.host-results [data-result-student]').count()).toBe(2);
      await projector.waitForSelector('.proj-winner');
      await grace.page.waitForSelector('[data-class="see-results"]:visible');
      await grace.page.screenshot({ path: screenshotPath('class-10-phone-debrief') });
      await grace.page.tap('[data-class="see-results"]');
      await grace.page.waitForSelector('.class-results [data-result-team]');
      expect(await overflow(grace.page)).toBeLessThanOrEqual(1);
      const [download] = await Promise.all([host.waitForEvent('download'), host.click('[data-class="csv"]')]);
      expect(download.suggestedFilename()).toBe(`split-brain-class-${code}.csv`);
      const csv = readFileSync((await download.path())!, 'utf8').trim().split(/\r\n/);
      expect(csv[0]).toBe(CSV_COLUMNS.join(','));
      expect(csv).toHaveLength(3);
      expect(csv.slice(1).map((l) => l.split(',')[4]).sort()).toEqual(['Ada', 'Grace']);
      // Every team's replay: linked from the table and the CSV, and listed among the class's rounds.
      const replays = await host.$$eval('.host-results [data-replay]', (as) => as.map((a) => (a as HTMLAnchorElement).href));
      expect(replays).toHaveLength(2);
      for (const line of csv.slice(1)) expect(replays).toContain(line.split(',').at(-1));
      await host.waitForSelector('.round-links li >> nth=1');
      await host.screenshot({ path: screenshotPath('class-8-host-results'), fullPage: true });
      await projector.screenshot({ path: screenshotPath('class-9-projector-results') });
      await grace.page.screenshot({ path: screenshotPath('class-11-phone-results'), fullPage: true });

      // Next round: back to the class lobby for everyone.
      await host.click('[data-host="next"]');
      await grace.page.waitForSelector('.class-student-lobby [data-class-team]', { timeout: 15_000 });
      await ada.page.waitForSelector('.class-student-lobby [data-class-team]');

      for (const s of [teacher, ada, grace]) expect(realErrors(s)).toEqual([]);
      console.log(`e2e-class: the class took ${Math.round((Date.now() - started) / 1000)} s`);
    } catch (err) {
      // What each screen showed when it went wrong, for the person reading the failure.
      for (const [name, page] of [['teacher', teacher.page], ['projector', projector], ['ada', ada.page], ['grace', grace.page]] as const) {
        if (page === null) continue;
        await page.screenshot({ path: screenshotPath(`class-failed-${name}`) }).catch(() => undefined);
        console.error(`${name} at ${page.url()}: ${((await page.textContent('body').catch(() => '')) ?? '').slice(0, 400)}`);
      }
      for (const s of [teacher, ada, grace]) console.error(s.errors.join('\n'));
      throw err;
    } finally {
      await projector?.close().catch(() => undefined);
      await Promise.all([teacher.close(), ada.close(), grace.close()]);
    }
  });
});
