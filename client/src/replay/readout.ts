// Where the playback is: the clock ("0:12 / 0:30") and, when this computer cannot keep up
// with the speed asked for, the speed it really manages. Shared by the replay's dock and a
// branch's.

import { h, text } from '../dom.js';
import { clockTime } from '../format.js';
import { speedText } from './speeds.js';

export interface ReadoutState {
  tick: number;
  endTick: number;
  tickMs: number;
  /** The speed really achieved when clearly below the one asked for (PlaybackClock.behind). */
  behind: number | null;
  /** The speed asked for, named in the note; null leaves it out. */
  asked: number | null;
}

export class PlaybackReadout {
  readonly clock: HTMLSpanElement;
  readonly note = h('span', { class: 'replay-behind', 'aria-live': 'polite' });

  /** `dataAttr` names the clock for the tests ('data-replay' or 'data-branch'). */
  constructor(dataAttr: 'data-replay' | 'data-branch') {
    this.clock = h('span', { class: 'replay-clock', [dataAttr]: 'clock' });
  }

  update(s: ReadoutState): void {
    text(this.clock, clockLine(s.tick, s.endTick, s.tickMs));
    text(this.note, behindWords(s.behind, s.asked));
  }
}

export function clockLine(tick: number, endTick: number, tickMs: number): string {
  return `${clockTime(tick * tickMs)} / ${clockTime(endTick * tickMs)}`;
}

export function behindWords(behind: number | null, asked: number | null): string {
  if (behind === null) return '';
  const real = behind < 1 ? behind.toFixed(2) : behind.toFixed(1);
  return `running at ${real}×: this computer cannot keep up${asked === null ? '' : ` with ${speedText(asked)}`}`;
}
