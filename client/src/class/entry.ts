// The home screen's door to classes: "Host a class" for a teacher, and a join-code box for a
// student (the join page then asks for their name, or uses the one typed on home).

import { h } from '../dom.js';
import { normalizeJoinCode } from '../../../shared/session/codes.js';
import { NICKNAME_KEY, rememberJoined } from './keys.js';
import { openClassPage } from './paths.js';

export function classEntry(): HTMLElement {
  const code = h('input', { id: 'home-class-code', maxlength: 8, autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', placeholder: 'K7MQ3X', 'aria-describedby': 'home-class-help' });
  const problem = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const join = (e: Event) => {
    e.preventDefault();
    const c = normalizeJoinCode(code.value);
    if (c === null) {
      problem.textContent = 'A join code is 6 letters and digits, like the one on your teacher\'s screen.';
      problem.hidden = false;
      return;
    }
    // The name typed on home, when there is one, so the join page can go straight in.
    const nick = (document.getElementById('nickname') as HTMLInputElement | null)?.value.trim() ?? '';
    if (nick !== '') {
      try {
        localStorage.setItem(NICKNAME_KEY, nick);
      } catch {
        // Asked again on the join page.
      }
      rememberJoined(c);
    }
    openClassPage({ kind: 'join', code: c });
  };
  return h(
    'section',
    { class: 'card class-entry' },
    h('h2', null, 'Classroom'),
    h(
      'form',
      { class: 'row', onsubmit: join },
      h('label', { for: 'home-class-code' }, 'Join a class'),
      code,
      h('button', { class: 'primary', type: 'submit', 'data-play': 'join-class' }, 'Join'),
    ),
    h('small', { id: 'home-class-help' }, 'Type the code on your teacher\'s screen, or open the link they give you.'),
    problem,
    h('p', { class: 'host-line' }, 'Teaching? ', h('button', { 'data-play': 'host-class', onclick: () => openClassPage({ kind: 'host' }) }, 'Host a class'),
      h('small', null, ' Students join with a code; you run the rounds, strike faults and see every team on the projector.')),
  );
}
