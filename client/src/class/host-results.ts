// The results: the last round's teams and students, earlier rounds folded away, the CSV,
// and every recorded round of the class with its replay.

import { h, replace } from '../dom.js';
import { listRounds } from '../api.js';
import { getScenario } from '../../../shared/scenarios/index.js';
import { DrawnFrom, type HostPanel } from './host-panel.js';
import { replayLink } from './paths.js';
import { csvButton, studentTable, teamTable } from './results.js';
import type { ClassView } from './view.js';

export class ResultsPanel implements HostPanel {
  readonly el = h('section', { class: 'card host-results', 'aria-label': 'Results' });
  private readonly drawn = new DrawnFrom();
  /** The session and round count the stored rounds were last asked for. */
  private roundsFor = '';

  sync(v: ClassView): void {
    this.el.hidden = v.results.length === 0;
    if (v.results.length === 0 || !this.drawn.changed([v.results.length, v.code])) return;
    const last = v.results[v.results.length - 1]!;
    const rounds = h('div', { class: 'stored-rounds', 'aria-live': 'polite' }, h('p', { class: 'muted' }, 'Looking for the recorded rounds…'));
    replace(
      this.el,
      h('div', { class: 'results-head' }, h('h2', null, 'Results'), csvButton(v.results, v.code)),
      teamTable(last),
      studentTable(last),
      v.results.length > 1
        ? h('details', null, h('summary', null, 'Earlier rounds'), v.results.slice(0, -1).reverse().map((r) => h('div', null, teamTable(r), studentTable(r))))
        : null,
      h('h3', null, 'Every recorded round of this class'),
      rounds,
    );
    // A server that keeps no recordings gives no replay ids: nothing to ask it for.
    const recorded = v.results.some((r) => r.teams.some((t) => t.replayId !== ''));
    if (!recorded) replace(rounds, h('p', { class: 'muted' }, 'This server keeps no recordings, so there are no replays to list.'));
    else if (this.roundsFor !== `${v.sessionId}|${v.results.length}`) {
      this.roundsFor = `${v.sessionId}|${v.results.length}`;
      void listStored(v.sessionId, rounds);
    }
  }
}

async function listStored(sessionId: string, into: HTMLElement): Promise<void> {
  const got = await listRounds({ session: sessionId });
  if (!got.ok) {
    replace(into, h('p', { class: 'muted' }, got.status === 503 ? 'This server keeps no recordings, so there are no replays to list.' : got.error));
    return;
  }
  if (got.value.length === 0) {
    replace(into, h('p', { class: 'muted' }, 'No recorded rounds yet.'));
    return;
  }
  replace(into, h('ul', { class: 'round-links' }, got.value.map((r) =>
    h('li', null, h('a', { href: replayLink(r.id), target: '_blank', rel: 'noopener' }, `${getScenario(r.scenario)?.title ?? r.scenario}: ${r.players.join(', ') || 'bots only'}`),
      h('small', null, ` · score ${r.score ?? '–'} · ${r.status === 'finished' ? 'finished' : r.status === 'live' ? 'still playing' : 'ended early'} · ${new Date(r.startedAt).toLocaleTimeString()}`)))));
}
