// End to end: every screen, in every phase, at a phone's 390×844, a Chromebook's 1366×768 and
// a projector's 1920×1080. A quick-play round walks home, lobby, briefing, setup, live with a
// node selected (and a partition when one strikes), debrief, the replay and the replay list;
// a class walks the host's dashboard, the projector and two students' screens from the lobby
// through a live round, a poll, the teacher's end and the results. At each screen and size
// the test fails on anything that sticks out sideways, on projector text under the floor,
// on a floating note over a control, and on any page error. Screenshots of each go to
// test-results/screens-<screen>-<size>.png for a person to look at.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserSkipReason, servedClient, checkEverySize, openBrowser, screenshotPath, settled, nodeActionsCut, type Session } from './support/browser.js';
import type { ClassView } from '../client/src/class/view.js';
import type { RoundView } from '../client/src/view.js';
import type { ReplayProbe } from '../client/src/screens/replay.js';
import { getScenario } from '../shared/scenarios/index.js';

const skip = browserSkipReason();
if (skip !== null) console.warn(`e2e-screens: skipped: ${skip}`);

type W = { splitBrain?: { view(): RoundView | null; replay(): ReplayProbe | null }; splitBrainClass?: { view(): ClassView | null } };


function roundState(page: Page, check: string, timeout = 30_000): Promise<unknown> {
  return page.waitForFunction(`(() => { const v = window.splitBrain?.view(); return v != null && (${check}); })()`, null, { timeout });
}

function classState(page: Page, check: string, timeout = 20_000): Promise<unknown> {
  return page.waitForFunction(`(() => { const v = window.splitBrainClass?.view(); return v != null && (${check}); })()`, null, { timeout });
}

/** Page errors, less the 404s of assets Chromium's preload scanner asks for relative to a class address. */
function realErrors(s: Session): string[] {
  return s.errors.filter((e) => !/Failed to load resource: the server responded with a status of 404|Refused to apply style from '[^']*\/(class|join)\/assets\/|WebSocket is already in CLOSING or CLOSED state/.test(e));
}

describe.skipIf(skip !== null)('every screen at every size', () => {
  const served = servedClient({ keepsRounds: true });

  it('a quick-play round: home, lobby, briefing, setup, live, debrief, replay, replay list', { timeout: 400_000 }, async () => {
    const s = await openBrowser({ width: 1366, height: 768 });
    const problems: string[] = [];
    try {
      const { page } = s;
      // Long waiting phases (the player moves on with the ready buttons), a live phase long
      // enough for every size of every live screen on a busy machine.
      await page.goto(`${served.base}/?lobbySeconds=200&briefingSeconds=120&setupSeconds=300&roundSeconds=90&chaos=heavy&seed=7&debriefSeconds=600`);
      await page.waitForSelector('[data-play="quick"]');
      await page.fill('#nickname', 'Ada');
      await page.click('[data-scenario="bank"]');
      problems.push(...(await checkEverySize(page, 'home', { fullPage: true })));

      await page.click('[data-play="quick"]');
      await roundState(page, "v.phase === 'lobby'");
      await page.waitForSelector('[data-ready="lobby"]');
      problems.push(...(await checkEverySize(page, 'lobby', { fullPage: true })));
      await page.click('[data-ready="lobby"]');
      await roundState(page, "v.phase === 'briefing'");
      await page.waitForSelector('[data-ready="briefing"]');
      problems.push(...(await checkEverySize(page, 'briefing', { fullPage: true })));
      // A word of the promise the glossary knows opens its definition on a tap, inside a phone's
      // screen, and stays open while the lobby's clock ticks on.
      await page.setViewportSize({ width: 390, height: 844 });
      const word = (await page.getAttribute('.promise-line .gloss >> nth=0', 'data-gloss'))!;
      await page.click('.promise-line .gloss >> nth=0');
      const pop = await page.waitForSelector(`.gloss-pop[data-gloss-pop="${word}"]`);
      await page.waitForFunction((n) => document.querySelector('.countdown')?.textContent !== n, await page.textContent('.countdown'));
      const box = (await pop.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
      expect(await page.isVisible('.gloss-pop')).toBe(true);
      await page.screenshot({ path: screenshotPath('screens-briefing-glossary-390x844') });
      await page.keyboard.press('Escape');
      await page.waitForSelector('.gloss-pop', { state: 'detached' });
      await page.setViewportSize({ width: 1366, height: 768 });
      await page.click('[data-ready="briefing"]');

      await roundState(page, "v.phase === 'setup'");
      await page.click('[data-tab="settings"]');
      problems.push(...(await checkEverySize(page, 'setup-settings', { fullPage: true })));
      await page.click('[data-tab="node"]');
      problems.push(...(await checkEverySize(page, 'setup-node', { fullPage: true })));
      await page.click('[data-ready="setup"]');

      await roundState(page, "v.phase === 'live' && v.measures.requests > 200");
      const me = await page.evaluate(() => (window as unknown as W).splitBrain!.view()!.myNode);
      await page.click(`.strip [data-node="${me}"]`);
      problems.push(...(await checkEverySize(page, 'live-my-node', { fullPage: true })));
      // Someone else's node: the panel says why its buttons are off.
      await page.click(`.strip [data-node="${me === 0 ? 1 : 0}"]`);
      problems.push(...(await checkEverySize(page, 'live-other-node')));
      await page.click(`.strip [data-node="${me}"]`);
      // Heavy chaos at seed 7 splits the cluster early: the map with a partition.
      const split = await roundState(page, 'v.network.partitioned', 25_000).then(() => true, () => false);
      if (split) {
        problems.push(...(await checkEverySize(page, 'live-partition')));
        // On a laptop and a 1080p screen the node panel also says what the node did during the
        // split, above the actions: every action still shows whole, none past the panel's edge.
        for (const size of [{ width: 1366, height: 768 }, { width: 1920, height: 1080 }]) {
          await page.setViewportSize(size);
          await settled(page);
          const cut = await nodeActionsCut(page);
          expect(cut.record, `${size.width}×${size.height}`).toMatch(/During (this|the last) split/);
          expect(cut.hidden, `${size.width}×${size.height}`).toEqual([]);
        }
      }

      await roundState(page, "v.phase === 'debrief' && v.debrief !== null", 150_000);
      await page.waitForSelector('[data-card]');
      problems.push(...(await checkEverySize(page, 'debrief', { fullPage: true })));

      const replayId = await page.evaluate(() => (window as unknown as W).splitBrain!.view()!.replayId);
      expect(replayId).not.toBe('');
      await page.goto(`${served.base}/replay/${replayId}`);
      await page.waitForFunction(() => (window as unknown as W).splitBrain?.replay()?.mode === 'viewer', null, { timeout: 60_000 });
      await page.waitForSelector('.replay-dock');
      problems.push(...(await checkEverySize(page, 'replay', { fullPage: true })));
      await page.goto(`${served.base}/replays`);
      await page.waitForSelector('[data-list="mine"] a');
      problems.push(...(await checkEverySize(page, 'replays', { fullPage: true })));

      expect(problems).toEqual([]);
      expect(s.errors).toEqual([]);
    } finally {
      if (problems.length > 0) console.error(problems.join('\n'));
      await s.close();
    }
  });

  it('a class: the host, the projector and two students, from the lobby to the results', { timeout: 400_000 }, async () => {
    const teacher = await openBrowser({ width: 1366, height: 768 });
    const ada = await openBrowser({ width: 1366, height: 768 });
    const grace = await openBrowser({ width: 390, height: 844, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    const problems: string[] = [];
    let projector: Page | null = null;
    /** Nothing of the class layer floats over the score, a control or "Leave the class". */
    const uncovered: [string, string] = ['.class-layer > *, .class-bar > *', '[data-score], .score-big, .leave-class button, main button, main a'];
    try {
      const host = teacher.page;
      await host.goto(`${served.base}/class/host`);
      await host.waitForSelector('[data-join-code]');
      const code = (await host.getAttribute('[data-join-code]', 'data-join-code'))!;
      await host.selectOption('#set-split', 'count:2');
      // Five minutes: the walk through every screen at every size takes a while; the teacher ends it.
      await host.selectOption('#set-length', '300');
      await host.selectOption('#set-briefing', '2');
      await host.selectOption('#set-setup', '2');
      await host.selectOption('#set-chaos', 'none');
      await classState(host, "v.settings.teamCount === 2 && v.settings.chaos === 'none' && v.settings.roundSeconds === 300");
      const opened = teacher.context.waitForEvent('page');
      await host.click('[data-class="projector"]');
      projector = await opened;
      await projector.setViewportSize({ width: 1920, height: 1080 });
      await projector.waitForSelector('.projector [data-join-code]');

      for (const [s, name] of [[ada, 'Ada'], [grace, 'Grace']] as const) {
        await s.page.goto(`${served.base}/join/${code}`);
        await s.page.fill('#class-nickname', name);
        await s.page.click('[data-class="join"]');
        await s.page.waitForSelector('[data-class-team]');
      }
      await classState(host, 'v.students.length === 2 && new Set(v.students.map((s) => s.team)).size === 2');
      await projector.waitForSelector('.proj-team-names li:has-text("Grace")');
      problems.push(...(await checkEverySize(host, 'class-host-lobby', { fullPage: true })));
      problems.push(...(await checkEverySize(projector, 'class-projector-lobby', { projectorFloor: '.projector' })));
      problems.push(...(await checkEverySize(grace.page, 'class-student-lobby', { fullPage: true, uncovered })));

      await host.click('[data-host="start"]');
      for (const s of [ada, grace]) await roundState(s.page, "v.phase === 'live' && v.measures.requests > 100", 40_000);
      await host.waitForSelector('[data-host="chaos"]:not([disabled])', { timeout: 15_000 });
      // The strike menu lists this cluster's nodes and its regions by name, not N0…N9 whatever the cluster.
      const scenario = getScenario(await host.evaluate(() => (window as unknown as W).splitBrainClass!.view()!.settings.scenario))!;
      const nodes = await ada.page.evaluate(() => (window as unknown as W).splitBrain!.view()!.nodes.length);
      await host.selectOption('#chaos-kind', 'crash');
      const nodeChoices = await host.$$eval('#chaos-target option', (os) => os.map((o) => o.textContent ?? ''));
      expect(nodeChoices).toHaveLength(nodes);
      expect(nodeChoices[0]).toContain('N0');
      await host.selectOption('#chaos-kind', 'partition-region');
      const regionChoices = await host.$$eval('#chaos-target option', (os) => os.map((o) => o.textContent ?? ''));
      expect(regionChoices).toEqual(scenario.topology.regions.map((r) => r.name));
      await host.selectOption('#chaos-duration', '30');
      await host.click('[data-host="chaos"]');
      for (const s of [ada, grace]) await roundState(s.page, 'v.network.partitioned', 20_000);
      await projector.waitForSelector('.team-panel.split >> nth=1', { timeout: 15_000 });
      await grace.page.click(`.strip [data-node="${await grace.page.evaluate(() => (window as unknown as W).splitBrain!.view()!.myNode)}"]`);
      problems.push(...(await checkEverySize(host, 'class-host-live', { fullPage: true })));
      problems.push(...(await checkEverySize(projector, 'class-projector-live', { projectorFloor: '.projector' })));
      problems.push(...(await checkEverySize(grace.page, 'class-student-live', { fullPage: true })));

      // A poll, answered and revealed: every screen shows it.
      await host.click('[data-poll="example"]');
      await host.click('[data-host="poll"]');
      await grace.page.waitForSelector('[data-poll-choice="1"]');
      problems.push(...(await checkEverySize(grace.page, 'class-student-poll')));
      await grace.page.click('[data-poll-choice="1"]');
      await ada.page.click('[data-poll-choice="2"]');
      await host.waitForSelector('[data-poll-answered="2"]');
      await host.selectOption('#poll-truth', '1');
      await host.click('[data-host="reveal"]');
      await projector.waitForSelector('.poll-bars li.true');
      problems.push(...(await checkEverySize(projector, 'class-projector-poll', { projectorFloor: '.projector, .proj-side' })));
      await grace.page.waitForSelector('.poll-bars li.true');
      await grace.page.click('[data-poll="hide"]');
      // A concept card on every screen: it fits a phone, and its button is within reach.
      await host.selectOption('#card-pick', 'cap');
      await host.click('[data-host="card"]');
      await grace.page.waitForSelector('.class-card[data-card="cap"]');
      problems.push(...(await checkEverySize(grace.page, 'class-student-card')));
      await grace.page.click('[data-card-close="cap"]');

      // The teacher ends the round: the students read that the teacher ended it.
      await host.click('[data-host="end"]');
      await classState(host, "v.phase === 'results'", 60_000);
      for (const s of [ada, grace]) {
        await roundState(s.page, "v.phase === 'debrief' && v.debrief !== null");
        await s.page.waitForSelector('[data-score]');
        const top = await s.page.textContent('main');
        expect(top).toContain('your teacher ended');
        expect(top).not.toContain('server restarted');
      }
      await grace.page.waitForSelector('[data-class="see-results"]:visible');
      problems.push(...(await checkEverySize(grace.page, 'class-student-debrief', { fullPage: true, uncovered })));
      problems.push(...(await checkEverySize(host, 'class-host-results', { fullPage: true })));
      await projector.waitForSelector('.proj-winner');
      problems.push(...(await checkEverySize(projector, 'class-projector-results', { projectorFloor: '.projector' })));
      await grace.page.click('[data-class="see-results"]');
      await grace.page.waitForSelector('.class-results [data-result-team]');
      problems.push(...(await checkEverySize(grace.page, 'class-student-results', { fullPage: true, uncovered })));

      expect(problems).toEqual([]);
      for (const s of [teacher, ada, grace]) expect(realErrors(s)).toEqual([]);
    } finally {
      if (problems.length > 0) console.error(problems.join('\n'));
      await projector?.close().catch(() => undefined);
      await Promise.all([teacher.close(), ada.close(), grace.close()]);
    }
  });
});
