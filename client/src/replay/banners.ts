// The banners over the replay's dock: the replay diverged from the recorded round (an
// error, never passed over), the round is still being played, or the server stopped
// during it.

import { h, replace } from '../dom.js';
import { clockTime } from '../format.js';
import type { ReplayVerification } from '../../../shared/replay/player.js';
import { diverged } from './status.js';

export interface Banner {
  kind: 'error' | 'info' | 'warn';
  /** Its name for the tests (data-replay). */
  tag: 'diverged' | 'live' | 'interrupted';
  title: string;
  body: string;
}

export interface BannerFacts {
  verification: ReplayVerification;
  tickMs: number;
  /** Where the recording stops, in ticks. */
  endTick: number;
  durationMs: number;
  /** Still being played when fetched. */
  live: boolean;
  interrupted: boolean;
}

export class Banners {
  readonly el = h('div', { class: 'replay-banners', 'aria-live': 'polite' });

  show(banners: readonly Banner[]): void {
    // Redrawn only when the words change: a screen reader hears each banner once.
    const key = banners.map((b) => b.title + b.body).join('|');
    if (this.el.dataset.key === key) return;
    this.el.dataset.key = key;
    replace(
      this.el,
      banners.map((b) => h('div', { class: `replay-banner ${b.kind}`, role: b.kind === 'error' ? 'alert' : null, 'data-replay': b.tag }, h('b', null, b.title), b.body)),
    );
  }
}

export function bannersOf(f: BannerFacts): Banner[] {
  const out: Banner[] = [];
  const v = f.verification;
  if (diverged(v)) {
    const first = v.mismatches[0];
    const at = first !== undefined ? ` at ${clockTime(first.tick * f.tickMs)}` : '';
    const refused = v.refused > 0 ? ` ${v.refused} recorded action${v.refused === 1 ? ' was' : 's were'} refused when applied again.` : '';
    out.push({
      kind: 'error',
      tag: 'diverged',
      title: `✗ This replay diverged from the recorded round${at}.`,
      body: ` From that moment on, what you see is not what happened in the round: this browser's simulation no longer matches the fingerprints the server recorded.${refused} The recording was probably made by another version of the game, or the file was changed.`,
    });
  }
  const end = clockTime(f.endTick * f.tickMs);
  if (f.live) {
    out.push({ kind: 'info', tag: 'live', title: 'This round is still being played.', body: ` The replay covers its first ${end} of ${clockTime(f.durationMs)}; open it again later to see the rest.` });
  } else if (f.interrupted) {
    out.push({ kind: 'warn', tag: 'interrupted', title: '⚠ The server stopped during this round.', body: ` The recording ends at ${end} of ${clockTime(f.durationMs)}; nothing after that was played.` });
  }
  return out;
}
