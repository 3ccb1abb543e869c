// Before the round: the lobby (who is here, bots fill empty seats when the countdown ends)
// and the briefing (the customer's card: their story, their promise in words made from the
// SLA as played, and what that promise means in numbers).

import { parseActor } from '../../../shared/round/actor.js';
import { h, replace } from '../dom.js';
import { glossed } from '../glossary.js';
import { formatDuration, int, ms, percent, seconds } from '../format.js';
import { downtime, nines } from '../../../shared/sim/metrics.js';
import { PHASE_WORDS } from '../../../shared/words/phases.js';
import { difficultyText } from '../../../shared/words/difficulty.js';
import { promiseText } from '../../../shared/words/promise.js';
import type { RoundView } from '../view.js';

export interface LobbyHost {
  ready(): void;
  leave(): void;
}

/** Set an element's text only when it changes (a text node replaced is a layout to redo). */
function setText(el: HTMLElement, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

export class LobbyScreen {
  readonly el = h('main', { class: 'lobby' });
  private key = '';
  private briefKey = '';
  private brief: HTMLElement | null = null;
  // The lobby redraws every second (its countdown). What a player clicks stays the same
  // element: a button replaced between the press and the release would lose the click.
  private readonly title = h('h1');
  private readonly you = h('p');
  private youKey = '';
  private readonly clock = h('div', { class: 'countdown', 'aria-live': 'polite' });
  private readonly readyButton = h('button', { class: 'primary big', onclick: () => this.host.ready() });
  private readonly head = h(
    'header',
    { class: 'lobby-head' },
    h('div', null, this.title, this.you),
    h(
      'div',
      { class: 'lobby-go' },
      this.clock,
      this.readyButton,
      h('button', { onclick: () => this.host.leave() }, 'Leave'),
      h('small', { class: 'muted' }, 'The round moves on when the timer ends, or once everyone is ready.'),
    ),
  );
  private readonly seatNote = h('p', { class: 'muted' }, 'Waiting for players. Empty seats go to bots when the countdown ends.');
  private readonly seatList = h('ul', { class: 'seats' });
  private readonly seatCard = h('section', { class: 'card' }, h('h2', null, 'Seats'), this.seatNote, this.seatList);
  private layoutKey = '';
  private layoutBrief: HTMLElement | null = null;

  constructor(private readonly host: LobbyHost) {}

  update(v: RoundView): void {
    const key = JSON.stringify([v.phase, v.phaseSecondsLeft, v.players, v.nodes.map((n) => n.owner), v.scenarioId, v.difficulty]);
    if (key === this.key) return;
    this.key = key;
    const sc = v.scenario;
    const me = v.players.find((p) => p.id === v.me);
    const seats = v.nodes.map((n) => {
      const p = v.players.find((x) => x.node === n.id && parseActor(x.id).kind !== 'bot');
      return h('li', null, h('b', null, `Node N${n.id}`), h('br'), p ? `${p.nickname}${p.id === v.me ? ' (you)' : ''}${p.connected ? '' : ' (away)'}` : h('span', { class: 'muted' }, v.phase === 'lobby' ? 'empty: a bot if nobody comes' : 'a bot'));
    });
    const title = v.phase === 'lobby' ? sc?.title ?? PHASE_WORDS.lobby.starts : `Briefing: ${sc?.title ?? v.scenarioId}`;
    const clock = v.phase === 'lobby' ? `${seconds(v.phaseSecondsLeft)} to start` : `${seconds(v.phaseSecondsLeft)} to setup`;
    const brief = this.briefCard(v);
    setText(this.title, title);
    const youKey = me && me.node >= 0 ? String(me.node) : '';
    if (youKey !== this.youKey) {
      this.youKey = youKey;
      this.you.hidden = youKey === '';
      replace(this.you, ...(youKey === '' ? [] : ['You will run ', h('b', null, `node N${me!.node}`), '. Your team decides the settings together; each player acts on their own node.']));
    }
    setText(this.clock, clock);
    this.readyButton.dataset.ready = v.phase;
    setText(this.readyButton, v.phase === 'lobby' ? 'Ready: start now' : 'Got it: go to setup');
    this.seatNote.hidden = v.phase !== 'lobby';
    replace(this.seatList, ...seats);
    // The page's order: the seats first while players gather, the brief first at the briefing.
    const layoutKey = v.phase === 'lobby' ? 'lobby' : 'briefing';
    if (layoutKey !== this.layoutKey || brief !== this.layoutBrief) {
      this.layoutKey = layoutKey;
      this.layoutBrief = brief;
      replace(this.el, this.head, ...(v.phase === 'lobby' ? [this.seatCard, brief] : [brief, this.seatCard]));
    }
  }

  /**
   * The customer's brief, made anew only when the scenario or difficulty changes: the lobby
   * redraws every second, and a definition opened from one of its words must stay beside it.
   */
  private briefCard(v: RoundView): HTMLElement | null {
    const key = JSON.stringify([v.scenarioId, v.difficulty]);
    if (key !== this.briefKey) {
      this.briefKey = key;
      this.brief = this.makeBrief(v);
    }
    return this.brief;
  }

  private makeBrief(v: RoundView): HTMLElement | null {
    // Each glossary word is marked once in the card, where it first appears.
    const marked = new Set<string>();
    const sc = v.scenario;
    return sc
      ? h(
          'section',
          { class: 'card' },
          h('h2', null, 'The customer'),
          h('p', { class: 'brief-card' }, ...glossed(sc.briefing, marked)),
          // Made from the SLA as played (the view scales it to the round's difficulty), so it never goes stale.
          h('p', { class: 'promise-line' }, ...glossed(promiseText(sc), marked)),
          h(
            'div',
            { class: 'sla-grid' },
            h('div', null, 'Requests that must succeed', h('b', null, percent(sc.sla.availability)), h('small', null, `${nines(sc.sla.availability).toFixed(1)} nines: at most ${formatDuration(downtime(sc.sla.availability).perYearS)} down a year, ${formatDuration(downtime(sc.sla.availability).perDayS)} a day`)),
            h('div', null, 'Slowest 1 in 100 (p99)', h('b', null, `≤ ${ms(sc.sla.p99Ms)}`)),
            h('div', null, 'Out-of-date reads allowed', h('b', null, int(sc.sla.maxStaleReads))),
            h('div', null, 'Confirmed writes you may lose', h('b', null, int(sc.sla.maxLostWrites))),
            h('div', null, 'Budget', h('b', null, int(sc.budget.limit)), h('small', null, `node-seconds; up to ${sc.budget.maxNodes} nodes`)),
          ),
          // The numbers above are already the difficulty's (the view scales the scenario): say what changed.
          h('p', { class: 'difficulty-line', 'data-difficulty': v.difficulty, style: 'margin-top:0.6rem' }, h('b', null, 'Difficulty '), difficultyText(v.difficulty)),
          h('p', { style: 'margin-top:0.6rem' }, 'This round teaches: ', h('span', { class: 'concepts' }, sc.teaches.map((t) => h('span', { class: 'chip' }, t)))),
        )
      : null;
  }

}
