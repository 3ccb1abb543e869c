// The dashboard's head: where the class is (joining, a round on or paused, results), who is
// here, the doors at a glance, the projector window and closing the class for a new one.

import { h, replace } from '../dom.js';
import { DrawnFrom, type HostContext, type HostPanel } from './host-panel.js';
import { classUrl } from './paths.js';
import type { ClassView } from './view.js';

export class HeadPanel implements HostPanel {
  readonly el = h('header', { class: 'host-head' });
  private readonly drawn = new DrawnFrom();
  private confirmNew = false;

  constructor(private readonly ctx: HostContext, private readonly newClass: () => void) {}

  sync(v: ClassView): void {
    const here = v.students.filter((s) => s.connected).length;
    if (!this.drawn.changed([v.code, v.phase, v.round, here, v.students.length, v.locked, v.allowLate, v.paused])) return;
    const phase = v.phase === 'lobby' ? (v.round === 0 ? 'Students are joining' : `Between rounds (${v.round} played)`) : v.phase === 'running' ? (v.paused ? `Round ${v.round}: paused` : `Round ${v.round} is on`) : `Round ${v.round}: results`;
    replace(
      this.el,
      h('div', null, h('p', { class: 'brand' }, 'Split Brain · your class'), h('h1', null, phase)),
      h('p', { class: 'chips' },
        h('span', { class: 'chip' }, `${v.students.length} student${v.students.length === 1 ? '' : 's'}`, here < v.students.length ? ` (${v.students.length - here} away)` : ''),
        h('span', { class: `chip${v.locked ? ' on' : ''}` }, v.locked ? 'LOCKED: nobody new gets in' : 'open to join'),
        v.phase === 'running' ? h('span', { class: 'chip' }, v.allowLate ? 'late joiners welcome' : 'no late joiners') : null),
      h('div', { class: 'head-actions' },
        h('button', { 'data-class': 'projector', onclick: () => window.open(classUrl({ kind: 'projector' }), 'splitbrain-projector') }, 'Open the projector view'),
        this.confirmNew
          ? h('button', { class: 'danger', 'data-class': 'new-sure', onclick: () => this.newClass() }, 'Sure? Students will need the new code')
          : h('button', { class: 'quiet', 'data-class': 'new', onclick: () => this.askNew() }, 'Close this class, open a new one')),
    );
  }

  private askNew(): void {
    this.confirmNew = true;
    this.drawn.forget();
    this.ctx.redraw();
    setTimeout(() => {
      this.confirmNew = false;
      this.drawn.forget();
      this.ctx.redraw();
    }, 4000);
  }
}
