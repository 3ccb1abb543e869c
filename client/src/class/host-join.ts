// The join code, link and QR code: large in the lobby, small once a round is on.

import { h, replace } from '../dom.js';
import { joinCard } from './join-card.js';
import { DrawnFrom, type HostContext, type HostPanel } from './host-panel.js';
import type { ClassView } from './view.js';

export class JoinPanel implements HostPanel {
  readonly el = h('div', { class: 'host-join' });
  private readonly drawn = new DrawnFrom();

  constructor(private readonly ctx: HostContext) {}

  sync(v: ClassView): void {
    if (!this.drawn.changed([v.code, v.phase === 'lobby'])) return;
    replace(this.el, v.code !== '' ? joinCard(v.code, { copy: (link) => void this.copy(link) }) : null);
    this.el.classList.toggle('small', v.phase !== 'lobby');
  }

  private async copy(link: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(link);
      this.ctx.toast('Link copied.');
    } catch {
      this.ctx.toast(`Copy it by hand: ${link}`);
    }
  }
}
