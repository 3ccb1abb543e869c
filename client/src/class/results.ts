// A class's results: per team (its cluster against the SLA), per student (what they did),
// the CSV a teacher downloads, and links to every team's replay.

import { chaosLevelText } from '../../../shared/words/chaos.js';
import { h } from '../dom.js';
import { int, ms, percent } from '../format.js';
import { resultsCsv, type RoundResults, type TeamResult } from '../../../shared/session/results.js';
import { getScenario } from '../../../shared/scenarios/index.js';
import { isDifficulty } from '../../../shared/scenarios/difficulty.js';
import { DIFFICULTY_NAMES } from '../../../shared/words/difficulty.js';
import { replayBase, replayLink } from './paths.js';
import { places } from './view.js';

/** Teams of one round, best first. */
export function rankedResults(r: RoundResults): TeamResult[] {
  return [...r.teams].sort((a, b) => b.score - a.score || b.availability - a.availability || a.team - b.team);
}

/** The team table of one round: rank, measures, the replay. */
export function teamTable(r: RoundResults, big = false): HTMLElement {
  const order = rankedResults(r);
  const place = places(order.map((t) => t.score));
  const rows = order.map((t, i) =>
    h(
      'tr',
      { 'data-result-team': t.team },
      h('td', { class: 'num' }, `${place[i]}`),
      h('th', { scope: 'row' }, t.name, t.interrupted ? h('small', null, ' (ended early)') : null),
      h('td', { class: 'num strong' }, int(t.score)),
      h('td', { class: 'num' }, percent(t.availability)),
      h('td', { class: 'num wide' }, ms(t.p99)),
      h('td', { class: `num${t.staleReads > 0 ? ' bad' : ''}` }, int(t.staleReads)),
      h('td', { class: `num${t.lostWrites > 0 ? ' bad' : ''}` }, int(t.lostWrites)),
      big ? null : h('td', { class: 'num wide' }, int(t.cost)),
      big ? null : h('td', null, t.replayId !== '' ? h('a', { href: replayLink(t.replayId), target: '_blank', rel: 'noopener', 'data-replay': t.replayId }, 'Replay') : h('span', { class: 'muted' }, 'not recorded')),
    ),
  );
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { class: `results-table${big ? ' big' : ''}` },
      big ? null : h('caption', null, roundTitle(r)),
      h(
        'thead',
        null,
        h('tr', null, h('th', { scope: 'col' }, '#'), h('th', { scope: 'col' }, 'Team'), h('th', { scope: 'col' }, 'Score'), h('th', { scope: 'col' }, 'Requests OK'), h('th', { scope: 'col', class: 'wide' }, 'Slowest 1%'),
          h('th', { scope: 'col' }, 'Stale reads'), h('th', { scope: 'col' }, 'Lost writes'), big ? null : h('th', { scope: 'col', class: 'wide' }, 'Cost'), big ? null : h('th', { scope: 'col' }, 'Replay')),
      ),
      h('tbody', null, rows),
    ),
  );
}

/** Every student of one round: their node, their share of the score, what they did. */
export function studentTable(r: RoundResults): HTMLElement {
  const rows = r.teams.flatMap((t) => t.students.map((s) => ({ t, s })));
  rows.sort((a, b) => b.s.score - a.s.score || a.s.nickname.localeCompare(b.s.nickname));
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { class: 'results-table students' },
      h('caption', null, `Students, round ${r.round}`),
      h('thead', null, h('tr', null, ['Student', 'Team', 'Node', 'Points earned', 'Actions', 'Requests served', 'Stale reads served', 'There at the end'].map((c, i) => h('th', { scope: 'col', class: i === 5 || i === 7 ? 'wide' : '' }, c)))),
      h(
        'tbody',
        null,
        rows.map(({ t, s }) =>
          h(
            'tr',
            { 'data-result-student': s.nickname },
            h('th', { scope: 'row' }, s.nickname),
            h('td', null, t.name),
            h('td', null, s.node >= 0 ? `N${s.node}` : 'watched'),
            h('td', { class: 'num strong' }, int(s.score)),
            h('td', { class: 'num' }, int(s.actions)),
            h('td', { class: 'num wide' }, int(s.served)),
            h('td', { class: `num${s.anomalies > 0 ? ' bad' : ''}` }, int(s.anomalies)),
            h('td', { class: 'wide' }, s.connected ? 'yes' : 'no'),
          ),
        ),
      ),
    ),
  );
}

export function roundTitle(r: RoundResults): string {
  const sc = getScenario(r.scenario);
  const chaos = chaosLevelText(r.chaos);
  // Results kept before difficulties existed name none: those rounds were normal.
  const level = isDifficulty(r.difficulty) && r.difficulty !== 'normal' ? `, ${DIFFICULTY_NAMES[r.difficulty].toLowerCase()}` : '';
  return `Round ${r.round}: ${sc?.title ?? r.scenario}, ${chaos}${level}`;
}

/** A "Download CSV" button: every round so far, a row per student. */
export function csvButton(rounds: readonly RoundResults[], code: string): HTMLButtonElement {
  return h(
    'button',
    {
      class: 'primary',
      'data-class': 'csv',
      disabled: rounds.length === 0,
      onclick: () => {
        const blob = new Blob([resultsCsv(rounds, replayBase())], { type: 'text/csv;charset=utf-8' });
        const url = URL.createObjectURL(blob);
        const a = h('a', { href: url, download: `split-brain-class-${code || 'results'}.csv` });
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
      },
    },
    'Download results (CSV)',
  );
}
