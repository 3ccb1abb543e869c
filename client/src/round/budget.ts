// The error budget as the HUD and the debrief show it: what is left of the failures the
// promise allows, how fast it burns, and why. The words come from shared/words/budget.ts;
// this file only arranges them (pure, so a test reads them without a browser), and a bar
// whose meaning is also written out, never carried by colour alone.

import { attr, h, styleProp } from '../dom.js';
import { int, percent } from '../format.js';
import { budgetLeftText, burnText, CAUSE_WORDS, runsOutText, type FailCauseName } from '../../../shared/words/budget.js';
import type { BudgetStory } from '../../../shared/sim/error-budget.js';
import type { ErrorBudgetV } from '../../../shared/view/round.js';

/** The HUD cell's contents. */
export interface BudgetCell {
  /** "312 of 450", "20 over", or "—" before any traffic. */
  value: string;
  /** The value in two parts, "312" and "of 450" ('' when it has none): a narrow cell puts the second on a line of its own. */
  lead: string;
  of: string;
  /** "failures left · burning 4× too fast". */
  sub: string;
  /** The whole story in one sentence, for the tooltip and screen readers. */
  sentence: string;
  /** Share of the budget left, 0–1, for the bar. */
  fill: number;
  /** 'bad' once the budget is gone or burns at twice the even pace; 'good' while it burns no faster than even. */
  state: 'good' | 'warn' | 'bad' | '';
}

/** `phase`: the round's phase; the budget burns only while it is live. */
export function budgetCell(b: ErrorBudgetV, phase: string): BudgetCell {
  const live = phase === 'live';
  if (b.allowed === 0 && b.spent === 0) {
    return { value: '—', lead: '—', of: '', sub: 'no requests yet', sentence: 'No requests yet.', fill: 1, state: '' };
  }
  const over = b.left < 0;
  const lead = over ? `${int(-b.left)} over` : int(b.left);
  const of = over ? '' : `of ${int(b.allowed)}`;
  const value = of === '' ? lead : `${lead} ${of}`;
  const cause = isCause(b.recentCause) ? CAUSE_WORDS[b.recentCause].label : '';
  const burn = live ? burnText(b.burnRate) + (cause !== '' && b.burnRate > 0 ? `: ${cause}` : '') : phase === 'debrief' ? 'round over' : 'for the whole round';
  const sub = `${over ? `failures past ${int(b.allowed)}` : 'failures left'} · ${burn}`;
  const pace = live && !over && b.burnRate > 0 ? `; ${runsOutText(b.runsOutInS)}` : '';
  const sentence = `Error budget: ${budgetLeftText(b.left, b.allowed)}${live ? `, ${burnText(b.burnRate)}` : ''}${cause !== '' && live && b.burnRate > 0 ? ` (mostly ${cause})` : ''}${pace}.`;
  const fill = b.allowed > 0 ? Math.max(0, Math.min(1, b.left / b.allowed)) : over ? 0 : 1;
  const state = over || (live && b.burnRate >= 2) ? 'bad' : live && b.burnRate > 1 ? 'warn' : 'good';
  return { value, lead, of, sub, sentence, fill, state };
}

/** The budget bar: the share left, with its meaning as text for screen readers. */
export function budgetBar(c: BudgetCell): HTMLElement {
  const bar = h('div', { class: 'budget-bar', role: 'meter', 'aria-valuemin': '0', 'aria-valuemax': '100' }, h('div', { class: 'fill' }));
  setBudgetBar(bar, c);
  return bar;
}

/** Bring a bar budgetBar made to `c`, writing only what changed (the HUD's, at every update). */
export function setBudgetBar(bar: HTMLElement, c: BudgetCell): void {
  attr(bar, 'aria-valuenow', String(Math.round(c.fill * 100)));
  attr(bar, 'aria-label', c.sentence);
  attr(bar, 'title', c.sentence);
  styleProp(bar.firstElementChild as HTMLElement, 'width', `${Math.round(c.fill * 10_000) / 100}%`);
}

/** The debrief's rows of failures by cause, the most first (causes that never struck left out). */
export function causeRows(story: BudgetStory): { cause: FailCauseName; label: string; count: number; share: number; explain: string }[] {
  const total = Math.max(1, story.spent);
  return (Object.entries(story.byCause) as [FailCauseName, number][])
    .filter(([c, n]) => n > 0 && isCause(c))
    .sort((a, b) => b[1] - a[1])
    .map(([cause, count]) => ({ cause, label: CAUSE_WORDS[cause].label, count, share: count / total, explain: CAUSE_WORDS[cause].explain }));
}

/** The debrief's section: the headline, the bar, the stretches that spent most, the causes. */
export function budgetSection(story: BudgetStory): HTMLElement {
  const cell = budgetCell({ target: story.target, allowed: story.allowed, spent: story.spent, left: story.left, burnRate: 0, recentCause: '', runsOutInS: -1 }, 'debrief');
  const rows = causeRows(story);
  return h(
    'section',
    { class: 'card budget', 'data-budget': story.left >= 0 ? 'kept' : 'spent' },
    h('h2', null, 'The error budget'),
    h('p', null, `The promise of ${percent(story.target)} of ${int(story.requests)} requests allows ${int(story.allowed)} to fail. ${story.headline}`),
    budgetBar(cell),
    story.stretches.length > 0
      ? [h('h3', null, 'When it was spent'), h('ol', { class: 'stretches' }, story.stretches.map((s) => h('li', { 'data-cause': s.cause }, s.text)))]
      : story.spent > 0
        ? h('p', { class: 'muted' }, 'No stretch stood out: the failures came at an even trickle.')
        : null,
    rows.length > 0
      ? [
          h('h3', null, 'Why requests failed'),
          h(
            'table',
            { class: 'scorecard' },
            h('thead', null, h('tr', null, h('th', null, 'Cause'), h('th', null, 'Failures'), h('th', null, 'Share'), h('th', null, 'What it means'))),
            h('tbody', null, rows.map((r) => h('tr', { 'data-cause': r.cause }, h('td', null, r.label), h('td', { class: 'num' }, int(r.count)), h('td', { class: 'num' }, `${Math.round(r.share * 100)}%`), h('td', null, r.explain)))),
          ),
        ]
      : null,
  );
}

function isCause(c: string): c is FailCauseName {
  return Object.prototype.hasOwnProperty.call(CAUSE_WORDS, c);
}
