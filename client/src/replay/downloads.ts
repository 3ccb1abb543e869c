// The replay's links: the recording as a file, the operation history (with its progress in
// words while this browser works it out), a link to the replay to share, and the way back
// to all replays.

import { h, text } from '../dom.js';
import { copyText } from '../clipboard.js';
import { replayUrl } from '../routes.js';
import type { Recording } from '../../../shared/replay/recording.js';
import { download, downloadRecording, historyFileName, historyOf } from './exports.js';

export interface DownloadsHost {
  lists(): void;
  toast(text: string, error?: boolean): void;
}

export class Downloads {
  readonly el = h('div', { class: 'replay-links' });
  /** The history's progress, shown among the playback controls. */
  readonly progress = h('span', { class: 'replay-progress', 'aria-live': 'polite' });
  private historyBtn = h(
    'button',
    { 'data-replay': 'history', title: 'Every read and write of the round, for a consistency checker (the splitbrain-history format)' },
    '⬇ Operation history',
  );

  constructor(
    private readonly rec: Recording,
    /** The round's id on the server, for a stored replay (null for a file). */
    private readonly storedId: string | null,
    private readonly host: DownloadsHost,
  ) {
    this.historyBtn.onclick = () => void this.downloadHistory();
    this.el.append(h('button', { 'data-replay': 'download', onclick: () => downloadRecording(rec), title: 'Save the recording as a file: it opens again here, even with no server' }, '⬇ Recording'), this.historyBtn);
    if (storedId !== null) this.el.append(h('button', { 'data-replay': 'copy-link', onclick: () => void this.copyLink(storedId) }, 'Copy link'));
    this.el.append(h('button', { onclick: () => host.lists() }, 'All replays'));
  }

  private async downloadHistory(): Promise<void> {
    this.historyBtn.disabled = true;
    try {
      const json = await historyOf(this.rec, this.storedId, (t) => text(this.progress, t));
      download(json, historyFileName(this.rec));
      text(this.progress, '');
    } catch (err) {
      text(this.progress, '');
      this.host.toast(`The history could not be made: ${err instanceof Error ? err.message : String(err)}`, true);
    } finally {
      this.historyBtn.disabled = false;
    }
  }

  private async copyLink(id: string): Promise<void> {
    const url = replayUrl(id);
    if (await copyText(url)) {
      this.host.toast('Link copied: anyone with it can watch this replay.');
      return;
    }
    // No clipboard here (an insecure page, a refusal): show the link to copy by hand.
    const field = h('input', { value: url, readonly: true, 'aria-label': 'Replay link', style: 'width:100%' });
    const close = () => back.remove();
    const back = h('div', { class: 'modal-back', onclick: (e: Event) => e.target === back && close() }, h('div', { class: 'modal card', role: 'dialog', 'aria-label': 'Replay link' }, h('h2', null, 'Copy this link'), h('p', null, 'Anyone with it can watch this replay.'), field, h('div', { class: 'row', style: 'margin-top:0.8rem' }, h('button', { class: 'primary', onclick: close }, 'Done'))));
    document.body.appendChild(back);
    field.focus();
    field.select();
  }
}
