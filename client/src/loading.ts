// The box a screen (or the map inside it) shows while its code loads, and the message with a
// "Try again" button if the code could not be fetched: never a blank area.

import { h, replace } from './dom.js';
import { GO_HOME_TEXT, TRY_AGAIN_TEXT } from '../../shared/words/loading.js';

export class LoadingNote {
  readonly el = h('div', { class: 'loading-note', role: 'status', 'data-loading': 'waiting' });

  constructor(private readonly waitingText: string) {
    this.waiting();
  }

  waiting(): void {
    this.el.dataset.loading = 'waiting';
    this.el.classList.remove('error');
    replace(this.el, h('p', null, this.waitingText));
  }

  /** The code did not arrive: say so, and offer to fetch it again (and, for a whole screen, a way home). */
  failed(text: string, retry: () => void, home?: () => void): void {
    this.el.dataset.loading = 'failed';
    this.el.classList.add('error');
    const again = h('button', { class: 'primary', 'data-retry': 'load', onclick: retry }, TRY_AGAIN_TEXT);
    replace(this.el, h('p', null, text), home === undefined ? again : h('div', { class: 'row' }, again, h('button', { 'data-retry': 'home', onclick: home }, GO_HOME_TEXT)));
  }
}
