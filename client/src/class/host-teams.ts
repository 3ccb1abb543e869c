// Every team now: each team's cluster, small, while a round runs.

import { h, replace } from '../dom.js';
import { DrawnFrom, type HostPanel } from './host-panel.js';
import { teamPanel } from './team-panel.js';
import type { ClassView } from './view.js';

export class TeamsPanel implements HostPanel {
  readonly el = h('section', { class: 'host-teams', 'aria-label': 'Every team now' });
  private readonly drawn = new DrawnFrom();

  sync(v: ClassView): void {
    const show = v.phase === 'running' && v.teams.length > 0;
    this.el.hidden = !show;
    if (!show || !this.drawn.changed(v.teams)) return;
    replace(this.el, h('h2', null, 'Every team now'), h('div', { class: 'team-grid small' }, v.teams.map((t) => teamPanel(t))));
  }
}
