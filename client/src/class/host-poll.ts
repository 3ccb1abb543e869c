// The predict poll: ask a question (or the example), watch the answers come in (only the
// host sees the counts), stop them, mark what really happens and reveal.

import { h, replace } from '../dom.js';
import { POLL_LIMITS } from '../../../shared/protocol/session.js';
import { pollBars } from './layer.js';
import { DrawnFrom, field, select, type HostContext, type HostPanel } from './host-panel.js';
import type { ClassView } from './view.js';

/** The example poll, ready to ask once a partition has struck. */
export const EXAMPLE_POLL = {
  question: 'When the partition heals, what happens?',
  options: ['Nothing: the copies never disagreed', 'The copies catch up and agree again', 'Writes made on the cut-off side are lost', 'The two sides keep different values for good'],
};

export class PollPanel implements HostPanel {
  readonly el = h('section', { class: 'card host-poll', 'aria-label': 'Predict poll' });
  private readonly live = h('div', { class: 'live-poll', 'aria-live': 'polite' });
  private readonly drawn = new DrawnFrom();

  constructor(private readonly ctx: HostContext) {
    const question = h('input', { id: 'poll-question', maxlength: POLL_LIMITS.question, placeholder: 'What do you expect to happen?' });
    const list = h('ol', { class: 'poll-options' });
    const addOption = (text = '') => {
      if (list.children.length >= POLL_LIMITS.maxOptions) return;
      const input = h('input', { maxlength: POLL_LIMITS.option, value: text, 'aria-label': `Answer ${String.fromCharCode(65 + list.children.length)}`, 'data-poll-option-input': '' });
      const li = h('li', null, input, h('button', { class: 'quiet', 'aria-label': 'Remove this answer', onclick: () => list.children.length > POLL_LIMITS.minOptions && li.remove() }, '✕'));
      list.appendChild(li);
    };
    addOption();
    addOption();
    const details = h('details', { class: 'poll-new', open: true });
    const ask = () => {
      const options = [...list.querySelectorAll('input')].map((i) => i.value.trim()).filter((o) => o !== '');
      if (question.value.trim() === '') return ctx.toast('Write the question first.', true);
      if (options.length < POLL_LIMITS.minOptions) return ctx.toast(`Give at least ${POLL_LIMITS.minOptions} answers.`, true);
      ctx.send({ action: 'poll', question: question.value.trim(), options });
      // The question is out: the form folds away until the teacher wants another.
      details.open = false;
    };
    details.append(
      h('summary', null, 'Ask a new question'),
      h(
        'div',
        { class: 'poll-form' },
        h('label', { for: 'poll-question' }, 'Question'),
        question,
        h('p', { class: 'label' }, 'Answers (2 to 5)'),
        list,
        h('div', { class: 'row' },
          h('button', { class: 'quiet', onclick: () => addOption() }, '+ Add an answer'),
          h('button', { class: 'quiet', 'data-poll': 'example', onclick: () => {
            question.value = EXAMPLE_POLL.question;
            list.replaceChildren();
            for (const o of EXAMPLE_POLL.options) addOption(o);
          } }, 'Use the example: when the partition heals')),
        h('div', { class: 'row' }, h('button', { class: 'primary', 'data-host': 'poll', onclick: ask }, 'Ask every student')),
      ),
    );
    replace(this.el, h('h2', null, 'Predict poll'), this.live, details);
  }

  sync(v: ClassView): void {
    const p = v.poll;
    if (!this.drawn.changed([p, v.students.length])) return;
    if (p.id === 0) {
      replace(this.live, h('p', { class: 'muted' }, 'Ask the class to predict what happens next, then show them what did.'));
      return;
    }
    const truth = select('poll-truth', [['-1', 'Do not mark one'], ...p.options.map((o, i) => [String(i), `${String.fromCharCode(65 + i)}: ${o}`] as [string, string])]);
    if (p.answer >= 0) truth.value = String(p.answer);
    replace(
      this.live,
      h('p', { class: 'poll-q' }, h('b', null, p.question)),
      h('p', { 'data-poll-answered': p.answered }, `${p.answered} of ${v.students.length} answered${p.open ? ' so far' : ''}${p.revealed ? ' · shown to everyone' : p.open ? ' · only you see the counts' : ' · answers closed'}`),
      pollBars(p),
      p.revealed
        ? null
        : h('div', { class: 'reveal' },
            field('poll-truth', 'What really happens', truth),
            h('div', { class: 'row' },
              p.open ? h('button', { 'data-host': 'close-poll', onclick: () => this.ctx.send({ action: 'close-poll' }) }, 'Stop the answers') : null,
              h('button', { class: 'primary', 'data-host': 'reveal', onclick: () => this.ctx.send(truth.value === '-1' ? { action: 'reveal' } : { action: 'reveal', answer: Number(truth.value) }) }, 'Reveal the answers'))),
    );
  }
}
