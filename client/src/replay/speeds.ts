// The speed picker: one button per speed from 0.25× to 16×, the one in use pressed. The
// replay's dock and a branch's share it; the keys + and − step through the same list.

import { h } from '../dom.js';
import { SPEEDS } from './clock.js';

export class SpeedPicker {
  /** Its label and its group of buttons, in the dock's order. */
  readonly els: HTMLElement[];
  private buttons = new Map<number, HTMLButtonElement>();

  constructor(speed: number, pick: (speed: number) => void) {
    const group = h('div', { class: 'speeds', role: 'group', 'aria-label': 'Speed' });
    for (const s of SPEEDS) {
      const b = h('button', { 'data-speed': String(s), 'aria-pressed': String(s === speed), onclick: () => pick(s) }, speedText(s));
      this.buttons.set(s, b);
      group.appendChild(b);
    }
    this.els = [h('span', { class: 'speed-label' }, 'Speed'), group];
  }

  /** Show `speed` as the one in use. */
  show(speed: number): void {
    for (const [s, b] of this.buttons) b.setAttribute('aria-pressed', String(s === speed));
  }
}

export function speedText(speed: number): string {
  return `${speed}×`;
}

/** The next speed up (1) or down (-1) the list, stopping at either end; an unknown speed counts as 1×. */
export function shiftedSpeed(speed: number, dir: 1 | -1): number {
  const i = SPEEDS.indexOf(speed as (typeof SPEEDS)[number]);
  return SPEEDS[Math.max(0, Math.min(SPEEDS.length - 1, (i < 0 ? 2 : i) + dir))]!;
}
