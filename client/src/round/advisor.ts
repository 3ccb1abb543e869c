// The advisor's card in the live round: the one hint shared/lessons/advisor.ts gives for what
// the player sees, shown next to the action panel, with a "Show me" that selects the node and
// a highlight on the button to press (on easy rounds and in the tutorial). A "Hide hints"
// toggle is remembered in this browser; unset, hints are on except in hard rounds.

import { h, replace } from '../dom.js';
import { glossed } from '../glossary.js';
import type { RoundView } from '../view.js';
import { advise, NO_ADVICE, type Advice, type Hint } from '../../../shared/lessons/advisor.js';
import { DIFFICULTY_RULES, isDifficulty, type Difficulty } from '../../../shared/scenarios/difficulty.js';

/** localStorage key of the player's own choice: 'on' or 'off' (absent: the round decides). */
export const HINTS_KEY = 'splitbrain.hints';

/** The round's difficulty, when its view carries one (older rooms do not: normal). */
export function roundDifficulty(v: RoundView): Difficulty {
  const d = (v as RoundView & { difficulty?: unknown }).difficulty;
  return isDifficulty(d) ? d : 'normal';
}

/** Whether hints are on before the player says: always in the tutorial, else by difficulty. */
export function hintsOnByDefault(v: RoundView): boolean {
  return v.scenarioId === 'tutorial' || DIFFICULTY_RULES[roundDifficulty(v)].advisor;
}

/** Whether the button to press is highlighted too: for newcomers (easy rounds, the tutorial). */
export function highlightsButton(v: RoundView): boolean {
  return v.scenarioId === 'tutorial' || roundDifficulty(v) === 'easy';
}

/** The player's stored choice (null: none, or storage unavailable). */
export function storedHintsChoice(storage: Pick<Storage, 'getItem'> | null): boolean | null {
  try {
    const v = storage?.getItem(HINTS_KEY) ?? null;
    return v === 'on' ? true : v === 'off' ? false : null;
  } catch {
    return null;
  }
}

export function storeHintsChoice(storage: Pick<Storage, 'setItem'> | null, on: boolean): void {
  try {
    storage?.setItem(HINTS_KEY, on ? 'on' : 'off');
  } catch {
    // Private mode or a full store: the choice lasts for this page only.
  }
}

/** Where the hint's action is on the screen: a CSS selector within the round screen. */
export function hintTarget(hint: Hint): { selector: string; tab: 'node' | 'settings' } {
  const c = hint.command;
  switch (c.type) {
    case 'configure':
      return { selector: '[data-tab="settings"]', tab: 'settings' };
    case 'stance':
      return { selector: `.node-panel [data-stance="${c.stance}"]`, tab: 'node' };
    case 'undrain':
      return { selector: '.node-panel [data-action="drain"]', tab: 'node' };
    default:
      return { selector: `.node-panel [data-action="${c.type}"]`, tab: 'node' };
  }
}

export interface AdvisorCardHost {
  /** Select this node in the panel and show this tab ("Show me"). */
  show(node: number, tab: 'node' | 'settings'): void;
  /** The player turned hints on or off: draw again. */
  changed(): void;
}

export class AdvisorCard {
  readonly el = h('section', { class: 'advisor', 'aria-label': 'Hint', 'aria-live': 'polite' });
  private advice: Advice = NO_ADVICE;
  private choice: boolean | null;
  private key = '';
  private last: RoundView | null = null;
  /** The hint's words on screen, and the text they were made from. */
  private words: HTMLElement | null = null;
  private wordsOf = '';

  constructor(
    private readonly host: AdvisorCardHost,
    private readonly storage: Storage | null = safeLocalStorage(),
  ) {
    this.choice = storedHintsChoice(storage);
  }

  /** The hint on screen now (null when none or hidden). */
  get hint(): Hint | null {
    return this.el.dataset.on === 'true' ? this.advice.hint : null;
  }

  /** Look at the round again; returns the selector of the button to highlight, or null. */
  update(v: RoundView): string | null {
    this.last = v;
    // The advisor keeps looking while hidden, so a hint shown later has its history.
    this.advice = advise(v, this.advice);
    const live = v.phase === 'live' && v.myNode >= 0;
    const on = this.choice ?? hintsOnByDefault(v);
    const hint = this.advice.hint;
    // The card is rebuilt only when the hint itself changes; one reworded with a new number
    // ("N2 is at 100 % of its capacity") has its words replaced in place, so its "Show me"
    // button is never replaced under a pointer that is pressing it.
    const node = hint === null ? -1 : hint.command.type === 'configure' || hint.command.type === 'scale-out' ? v.myNode : hint.node;
    const key = `${live}|${on}|${hint?.id ?? ''}|${hint?.action ?? ''}|${node}`;
    if (key !== this.key) {
      this.key = key;
      this.render(live, on, hint, v.myNode);
    } else if (hint !== null && this.words !== null && this.wordsOf !== hint.text) {
      this.wordsOf = hint.text;
      replace(this.words, ...glossed(hint.text));
    }
    return live && on && hint !== null && highlightsButton(v) ? hintTarget(hint).selector : null;
  }

  private render(live: boolean, on: boolean, hint: Hint | null, myNode: number): void {
    this.words = null;
    this.el.hidden = !live;
    this.el.dataset.on = String(on);
    this.el.dataset.quiet = String(hint === null);
    if (!live) return;
    const toggle = h('button', { class: 'advisor-toggle', 'aria-pressed': String(!on), onclick: () => this.toggle(!on) }, on ? 'Hide hints' : 'Show hints');
    if (!on) {
      replace(this.el, toggle);
      return;
    }
    if (hint === null) {
      replace(this.el, h('div', { class: 'advisor-row' }, h('span', { class: 'muted' }, 'No hint: nothing needs you right now.'), toggle));
      return;
    }
    const target = hintTarget(hint);
    const node = hint.command.type === 'configure' || hint.command.type === 'scale-out' ? myNode : hint.node;
    this.words = h('p', { class: 'advisor-text', 'data-hint': hint.id, 'data-hint-action': hint.action }, ...glossed(hint.text));
    this.wordsOf = hint.text;
    // The words first ("Hint:" leads them, style.css), then one row of buttons: no title row,
    // so the card takes as little height as it can and the node's actions stay in view.
    replace(
      this.el,
      this.words,
      h('div', { class: 'advisor-row' }, h('button', { class: 'primary advisor-show', onclick: () => this.host.show(node, target.tab) }, target.tab === 'settings' ? 'Show me (settings)' : 'Show me'), toggle),
    );
  }

  private toggle(on: boolean): void {
    this.choice = on;
    storeHintsChoice(this.storage, on);
    this.key = '';
    if (this.last !== null) this.host.changed();
  }
}

function safeLocalStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}
