// What every panel of the host's dashboard shares: how it acts (a host action, a toast, a
// redraw) and the small form helpers. A panel owns its element, builds it once and syncs
// it with each new class view; the dashboard (host.ts) only composes them.

import { h } from '../dom.js';
import type { HostAction } from '../../../shared/protocol/session.js';
import { lengthWords, type ClassView } from './view.js';

export interface HostContext {
  send(action: HostAction): void;
  toast(text: string, error?: boolean): void;
  /** Redraw on the next frame (a panel's own state changed). */
  redraw(): void;
}

export interface HostPanel {
  readonly el: HTMLElement;
  sync(v: ClassView): void;
}

/** What a part of a panel was last drawn from: draw again only when it changed. */
export class DrawnFrom {
  private last: string | undefined;

  changed(key: unknown): boolean {
    const k = JSON.stringify(key);
    if (this.last === k) return false;
    this.last = k;
    return true;
  }

  forget(): void {
    this.last = undefined;
  }
}

export function select(id: string, options: readonly (readonly [string, string])[]): HTMLSelectElement {
  return h('select', { id }, options.map(([value, label]) => h('option', { value }, label)));
}

export function numberSelect(id: string, values: readonly number[], words: (n: number) => string): HTMLSelectElement {
  return select(id, values.map((n) => [String(n), words(n)]));
}

export function field(id: string, label: string, input: HTMLElement): HTMLElement {
  return h('div', { class: 'field' }, h('label', { for: id }, label), input);
}

export function secondsWords(s: number): string {
  return s === 0 ? 'none (skip it)' : lengthWords(s);
}

export const minutesWords = lengthWords;
