// Who may join: lock the class, let late joiners in.

import { h, replace } from '../dom.js';
import type { HostContext, HostPanel } from './host-panel.js';
import type { ClassView } from './view.js';

export class DoorsPanel implements HostPanel {
  readonly el = h('section', { class: 'card host-doors', 'aria-label': 'Who may join' });
  private readonly locked = h('input', { type: 'checkbox', id: 'door-locked', 'data-host': 'lock' });
  private readonly late = h('input', { type: 'checkbox', id: 'door-late', 'data-host': 'late-join' });

  constructor(ctx: HostContext) {
    this.locked.addEventListener('change', () => ctx.send({ action: 'lock', locked: this.locked.checked }));
    this.late.addEventListener('change', () => ctx.send({ action: 'late-join', allow: this.late.checked }));
    replace(
      this.el,
      h('h2', null, 'Who may join'),
      h('label', { class: 'switch' }, this.locked, h('span', null, 'Lock the class: nobody new gets in (students who left can come back)')),
      h('label', { class: 'switch' }, this.late, h('span', null, 'Let students join after the round has started (they go to the smallest team)')),
    );
  }

  sync(v: ClassView): void {
    this.locked.checked = v.locked;
    this.late.checked = v.allowLate;
  }
}
