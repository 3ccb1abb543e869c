// The round: start, pause, resume, end, and the next round after the results.

import { h, replace } from '../dom.js';
import type { HostAction } from '../../../shared/protocol/session.js';
import { teamPhaseName } from '../../../shared/words/phases.js';
import { DrawnFrom, type HostContext, type HostPanel } from './host-panel.js';
import type { ClassView } from './view.js';

export class RoundPanel implements HostPanel {
  readonly el = h('section', { class: 'card host-round', 'aria-label': 'The round' });
  private readonly drawn = new DrawnFrom();

  constructor(private readonly ctx: HostContext) {}

  sync(v: ClassView): void {
    const phases = v.teams.map((t) => t.phase);
    if (!this.drawn.changed([v.phase, v.paused, v.round, phases, v.students.length, v.teamCount])) return;
    const b = (action: HostAction['action'], label: string, cls = '') => h('button', { class: cls, 'data-host': action, onclick: () => this.ctx.send({ action } as HostAction) }, label);
    const parts: (HTMLElement | string)[] = [h('h2', null, 'The round')];
    if (v.phase === 'lobby') {
      parts.push(
        h('p', null, v.students.length === 0 ? 'Nobody has joined yet. Show the code: students open the link or scan the QR code.' : `${v.students.length} student${v.students.length === 1 ? '' : 's'} in ${v.teamCount} team${v.teamCount === 1 ? '' : 's'}. Every team plays the same scenario under the same trouble.`),
        h('div', { class: 'row' }, b('start', v.round === 0 ? 'Start the round' : 'Start the next round', 'primary big')),
      );
    } else if (v.phase === 'running') {
      const words = v.teams.map((t) => `${t.name}: ${teamPhaseName(t.phase)}`).join(' · ');
      parts.push(
        h('p', null, v.paused ? 'Paused: every team\'s cluster stands still, clocks too.' : words),
        h('div', { class: 'row' }, v.paused ? b('resume', 'Resume', 'primary big') : b('pause', 'Pause every team', 'big'), b('end', 'End the round now', 'danger')),
      );
    } else {
      parts.push(
        h('p', null, 'Every team has finished. Talk the results through, then go back to the lobby to change teams or settings and play again.'),
        h('div', { class: 'row' }, b('next', 'Next round', 'primary big')),
      );
    }
    replace(this.el, ...parts);
  }
}
