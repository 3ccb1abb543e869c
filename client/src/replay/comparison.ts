// The page a branch ends on: the original round and the branch side by side, each measure
// with what the scenario promised, the difference in words, and the ways on (branch again
// from the same moment, or back to the replay).

import { h } from '../dom.js';
import { clockTime } from '../format.js';
import type { Recording } from '../../../shared/replay/recording.js';
import type { Scenario } from '../../../shared/scenarios/types.js';
import type { Summary } from '../../../shared/sim/summary.js';
import { compareSummaries, inWords, markOf, promised, verdict } from './compare.js';

export interface ComparisonOptions {
  original: Summary;
  branch: Summary;
  rec: Recording;
  fromTick: number;
  node: number;
  scenario: Scenario | undefined;
  /** Whether the original ran its whole length, was cut short, or was still being played when fetched. */
  originalStatus: 'finished' | 'interrupted' | 'live';
  again(): void;
  back(): void;
}

export function comparisonPage(o: ComparisonOptions): HTMLElement {
  const rec = o.rec;
  const at = clockTime(o.fromTick * rec.tickMs);
  const rows = compareSummaries(o.original, o.branch);
  const promise = promised(o.scenario);
  return h(
    'main',
    { class: 'compare debrief', 'data-branch': 'compare' },
    h('h1', null, 'Your branch against the original round'),
    h('p', { class: 'compare-verdict' }, verdict(rows)),
    h(
      'p',
      { class: 'muted' },
      `Both ran ${o.scenario?.title ?? rec.scenario} with seed ${rec.seed}: the same clients and the same chaos at the same moments. Up to ${at} they are the same round; from ${at} on, you ran node N${o.node} and bots ran the other nodes.`,
      originalNote(o.originalStatus, rec.lastTick * rec.tickMs),
    ),
    h(
      'section',
      { class: 'card' },
      h(
        'div',
        { class: 'table-scroll' },
        h(
          'table',
          { class: 'scorecard compare-table' },
          h('thead', null, h('tr', null, h('th', null, 'Measure'), h('th', null, 'Promised'), h('th', null, 'Original round'), h('th', null, 'Your branch'), h('th', null, 'Your branch, compared'))),
          h(
            'tbody',
            null,
            rows.map((r) =>
              h(
                'tr',
                { 'data-measure': r.key },
                h('td', null, r.label),
                h('td', { class: 'num' }, promise[r.key] ?? ''),
                h('td', { class: 'num' }, r.original),
                h('td', { class: 'num' }, r.branch),
                h('td', { title: inWords(r) }, h('span', { class: `verdict ${r.better === null ? '' : r.better ? 'met' : 'missed'}` }, markOf(r.better)), r.better === null ? '' : ` ${r.diff}`),
              ),
            ),
          ),
        ),
      ),
    ),
    h(
      'div',
      { class: 'row' },
      h('button', { class: 'primary big', 'data-branch': 'again', onclick: () => o.again() }, `Branch again from ${at}`),
      h('button', { class: 'big', 'data-branch': 'back', onclick: () => o.back() }, 'Back to the replay'),
    ),
  );
}

/** Why the original's numbers may cover less time than the branch's ('' when they do not). */
export function originalNote(status: ComparisonOptions['originalStatus'], recordedMs: number): string {
  if (status === 'interrupted') return ` The original round was cut short at ${clockTime(recordedMs)} when the server stopped, so its numbers cover less time than your branch's.`;
  if (status === 'live') return ` The original round was still being played when you opened it: its numbers cover only its first ${clockTime(recordedMs)}.`;
  return '';
}
