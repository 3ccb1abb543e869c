// The class layer: what a teacher sends to every student's screen, drawn over whatever the
// student has open (the class lobby, the round, its debrief): a "paused" banner, the
// predict poll with its answer buttons, and a pushed concept card.

import { h, replace } from '../dom.js';
import { CARDS, type ConceptId } from '../../../shared/lessons/cards.js';
import { shares, type ClassView, type PollV } from './view.js';

export interface LayerActions {
  answer(poll: number, choice: number): void;
}

export class ClassLayer {
  readonly el = h('div', { class: 'class-layer' });
  /**
   * The notes that stay while the student goes on (a poll put away, the results being in): a
   * strip at the top of the page, in its flow, so it never covers the score or a button.
   */
  readonly bar = h('div', { class: 'class-bar', role: 'status' });
  private banner = h('div', { class: 'class-paused', role: 'status', 'aria-live': 'polite' });
  private pollBox = h('section', { class: 'class-poll card', 'aria-label': 'Poll from your teacher' });
  private pill = h('button', { class: 'class-poll-pill', 'data-poll': 'show' }, 'Poll from your teacher: answer it');
  private cardBox = h('section', { class: 'class-card card', role: 'dialog', 'aria-label': 'Card from your teacher' });
  /** This browser's answer per poll id. */
  private mine = new Map<number, number>();
  /** The poll id (and whether revealed) the student put away. */
  private hidden = '';
  private key = '';
  private last: ClassView | null = null;
  /** The phase a poll was revealed in: when the class moves on, it is put away. */
  private revealedIn = new Map<number, string>();

  constructor(private readonly act: LayerActions) {
    this.banner.hidden = true;
    this.pollBox.hidden = true;
    this.pill.hidden = true;
    this.cardBox.hidden = true;
    this.pill.addEventListener('click', () => {
      this.hidden = '';
      this.render(true);
    });
    this.el.append(this.banner, this.pollBox, this.cardBox);
    this.bar.append(this.pill);
    this.bar.hidden = true;
  }

  /** Put a note in the bar (the student's flow adds its own). */
  addToBar(note: HTMLElement): void {
    this.bar.appendChild(note);
    this.fitBar();
  }

  /** The bar shows while one of its notes does; the round screen makes room for it. */
  fitBar(): void {
    const open = [...this.bar.children].some((c) => !(c as HTMLElement).hidden);
    if (this.bar.hidden === !open) return;
    this.bar.hidden = !open;
    document.body.classList.toggle('class-bar-open', open);
  }

  /** The student's team name ('' for none), for the pause banner. */
  team = '';

  update(v: ClassView): void {
    if (this.last !== null && this.last.phase !== v.phase) this.cardBox.hidden = true;
    this.last = v;
    this.render(false);
  }

  /** A concept card the teacher just pushed. */
  showCard(id: string): void {
    const card = CARDS[id as ConceptId];
    if (card === undefined) return;
    replace(
      this.cardBox,
      h('p', { class: 'tag' }, 'From your teacher'),
      h('h2', null, card.title),
      h('p', null, card.idea),
      h('p', { class: 'try' }, h('b', null, 'Try next: '), card.tryNext),
      h('button', { class: 'primary', 'data-card-close': id, onclick: () => (this.cardBox.hidden = true) }, 'Got it'),
    );
    this.cardBox.dataset.card = id;
    this.cardBox.hidden = false;
  }

  private render(force: boolean): void {
    const v = this.last;
    if (v === null) return;
    this.banner.hidden = !v.paused;
    if (v.paused && this.banner.dataset.team !== this.team) {
      this.banner.dataset.team = this.team;
      replace(this.banner, h('b', null, `❚❚ ${this.team !== '' ? `${this.team}: ` : ''}paused by your teacher`), h('span', null, 'Nothing moves until the round goes on. Look up: your teacher has something to say.'));
    }
    const p = v.poll;
    const show = p.id > 0 && (p.open || p.revealed || this.mine.has(p.id));
    const state = `${p.id}:${p.revealed}`;
    if (p.revealed && !this.revealedIn.has(p.id)) this.revealedIn.set(p.id, v.phase);
    if (p.revealed && this.revealedIn.get(p.id) !== v.phase && this.hidden !== state && !force) {
      this.revealedIn.set(p.id, v.phase);
      this.hidden = state;
    }
    const put = show && this.hidden === state;
    this.pollBox.hidden = !show || put;
    this.pill.hidden = !put;
    if (put) this.pill.textContent = p.revealed ? 'The poll\'s answers are in: show them' : p.open ? 'Poll from your teacher: answer it' : 'Show the poll';
    this.fitBar();
    if (!show) return;
    const key = JSON.stringify([p, this.mine.get(p.id)]);
    if (key === this.key && !force) return;
    this.key = key;
    replace(this.pollBox, ...pollContent(p, this.mine.get(p.id), {
      choose: (i) => {
        this.mine.set(p.id, i);
        this.act.answer(p.id, i);
        this.render(true);
      },
      hide: () => {
        this.hidden = state;
        this.render(true);
      },
    }));
  }
}

/** The poll as a student sees it: buttons while open, the answers once revealed. */
function pollContent(p: PollV, mine: number | undefined, on: { choose(i: number): void; hide(): void }): HTMLElement[] {
  const head = h('div', { class: 'poll-head' }, h('p', { class: 'tag' }, p.revealed ? 'Poll: the answers' : 'Predict'), h('button', { class: 'quiet', 'data-poll': 'hide', onclick: () => on.hide() }, p.revealed ? 'Close' : 'Hide'));
  const question = h('h2', null, p.question);
  if (p.revealed) {
    return [head, question, pollBars(p, mine), p.answer >= 0 ? h('p', null, mine === p.answer ? 'You predicted it.' : mine !== undefined ? 'Not this time: what surprised you?' : '') : h('p', { class: 'muted' }, 'Your teacher will talk through the answer.')];
  }
  if (!p.open) {
    return [head, question, h('p', null, mine !== undefined ? `Your answer: ${p.options[mine]}.` : 'You did not answer.', ' Answers are closed; your teacher will reveal them.')];
  }
  return [
    head,
    question,
    h('div', { class: 'poll-choices', role: 'group', 'aria-label': 'Answers' },
      p.options.map((o, i) => h('button', { 'data-poll-choice': i, 'aria-pressed': String(mine === i), class: mine === i ? 'chosen' : '', onclick: () => on.choose(i) }, h('span', { class: 'letter' }, String.fromCharCode(65 + i)), h('span', null, o, mine === i ? h('small', { class: 'you' }, '✓ your answer') : null)))),
    h('p', { class: 'muted' }, mine !== undefined ? 'Answer sent. You can change it until your teacher closes the poll.' : 'Pick the answer you believe. Nobody sees who chose what.'),
  ];
}

/** The answers as bars, the true one marked with a tick and a word (not only colour). */
export function pollBars(p: PollV, mine?: number): HTMLElement {
  const pct = shares(p.counts);
  return h(
    'ol',
    { class: 'poll-bars' },
    p.options.map((o, i) =>
      h(
        'li',
        { class: `${p.answer === i ? 'true' : ''}${mine === i ? ' mine' : ''}`, 'data-poll-option': i },
        h('div', { class: 'bar-label' },
          h('span', { class: 'letter' }, String.fromCharCode(65 + i)),
          h('span', { class: 'opt' }, o, p.answer === i ? h('b', { class: 'truth' }, '✓ what really happens') : null, mine === i ? h('small', { class: 'you' }, 'your answer') : null)),
        h('div', { class: 'bar' }, h('div', { class: 'fill', style: `width:${pct[i]}%` }), h('span', { class: 'count' }, `${p.counts[i] ?? 0} · ${pct[i]}%`)),
      ),
    ),
  );
}
