// Strike every team: the same fault at the same moment of every team's round, once every
// team is live.

import { h, replace } from '../dom.js';
import { CHAOS_KINDS, type ChaosKind } from '../../../shared/scenarios/chaos-types.js';
import { CHAOS_WORDS } from '../../../shared/words/chaos.js';
import type { HostAction } from '../../../shared/protocol/session.js';
import { TEAM_ROOM_LOST } from '../../../shared/words/phases.js';
import { field, numberSelect, secondsWords, select, type HostContext, type HostPanel } from './host-panel.js';
import type { ClassView } from './view.js';

export class ChaosPanel implements HostPanel {
  readonly el = h('section', { class: 'card host-chaos', 'aria-label': 'Strike every team' });
  private readonly strike: HTMLButtonElement;
  private readonly note = h('small', { class: 'note' });

  constructor(private readonly ctx: HostContext) {
    const kind = select('chaos-kind', CHAOS_KINDS.map((k) => [k, CHAOS_WORDS[k].menu]));
    const target = select('chaos-target', Array.from({ length: 10 }, (_, i) => [String(i), `N${i} / region ${i + 1}`]));
    const duration = numberSelect('chaos-duration', [10, 20, 30, 45, 60, 90], secondsWords);
    duration.value = '20';
    this.strike = h('button', { class: 'danger big', 'data-host': 'chaos', onclick: () => this.strikeNow(kind.value as ChaosKind, Number(target.value), Number(duration.value)) }, 'Strike every team now');
    replace(
      this.el,
      h('h2', null, 'Strike every team'),
      h('p', { class: 'muted' }, 'The same fault hits every team\'s cluster at the same moment of its round, so you can compare how each team copes.'),
      field('chaos-kind', 'What', kind),
      h('div', { class: 'form-grid' }, field('chaos-target', 'Which node or region', target), field('chaos-duration', 'For how long', duration)),
      h('div', { class: 'row' }, this.strike),
      this.note,
    );
  }

  sync(v: ClassView): void {
    // A team whose room was lost does not hold the others back.
    const playing = v.teams.filter((t) => t.phase !== TEAM_ROOM_LOST);
    const live = v.phase === 'running' && playing.length > 0 && playing.every((t) => t.phase === 'live') && !v.paused;
    this.strike.disabled = !live;
    const note = v.phase !== 'running' ? 'You can strike once a round is live.' : v.paused ? 'Resume the round first.' : live ? '' : 'Wait until every team is live (after briefing and setup).';
    if (this.note.textContent !== note) this.note.textContent = note;
  }

  private strikeNow(kind: ChaosKind, target: number, seconds: number): void {
    // No magnitude: the room gives each kind a strength that shows without flattening the cluster.
    this.ctx.send({ action: 'chaos', kind, target, durationMs: seconds * 1000 } as HostAction);
  }
}
