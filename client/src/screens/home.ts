// The home screen: a nickname, then Quick play (a public round with whoever is around),
// Solo (a private round, bots on the other nodes), or the Tutorial; and the open rounds.
// Quick play and Solo take the difficulty picked here (remembered; normal at first); the
// tutorial always starts easy.

import { h, replace } from '../dom.js';
import type { ListedRoom } from '../net.js';
import { SCENARIO_IDS, SCENARIOS } from '../../../shared/scenarios/index.js';
import { CHAOS_LEVELS } from '../../../shared/scenarios/chaos-types.js';
import { CHAOS_LEVEL_NAMES } from '../../../shared/words/chaos.js';
import { DIFFICULTIES, isDifficulty, type Difficulty } from '../../../shared/scenarios/difficulty.js';
import { DIFFICULTY_MENU, DIFFICULTY_NAMES, difficultyText } from '../../../shared/words/difficulty.js';
import { percent } from '../format.js';
import { classEntry } from '../class/entry.js';

export interface HomeHost {
  quickPlay(nickname: string, scenario: string, difficulty: Difficulty): void;
  solo(nickname: string, scenario: string, chaos: string, difficulty: Difficulty): void;
  tutorial(nickname: string): void;
  join(roomId: string, nickname: string): void;
  /** The replay lists (and recording files). */
  replays(): void;
}

export const NICK_KEY = 'splitbrain.nickname';
/** The difficulty picked last, for the next visit. */
export const DIFFICULTY_KEY = 'splitbrain.difficulty';
/** The tutorial is a first round: gentle whatever else is picked. */
export const TUTORIAL_DIFFICULTY: Difficulty = 'easy';
/** The tutorial strikes only its coach's scripted faults, one lesson at a time: no random chaos. */
export const TUTORIAL_CHAOS = 'none';

export class HomeScreen {
  readonly el = h('main', { class: 'home' });
  private nickname = h('input', { id: 'nickname', maxlength: 20, autocomplete: 'nickname', placeholder: 'e.g. Ada', 'aria-describedby': 'nick-help' });
  private scenario = 'bank';
  private chaos = h('select', { id: 'chaos', 'aria-label': 'How much trouble' });
  private difficulty = h('select', { id: 'difficulty', 'aria-describedby': 'difficulty-help' });
  private difficultyHelp = h('small', { id: 'difficulty-help' });
  private rooms = h('ul', { class: 'room-list', 'aria-live': 'polite' });
  private picker = h('div', { class: 'scenario-pick', role: 'group', 'aria-label': 'Scenario' });
  private busy = false;

  constructor(private readonly host: HomeHost) {
    this.nickname.value = localStorage.getItem(NICK_KEY) ?? '';
    for (const level of CHAOS_LEVELS) this.chaos.appendChild(h('option', { value: level }, CHAOS_LEVEL_NAMES[level]));
    this.chaos.value = 'normal';
    for (const d of DIFFICULTIES) this.difficulty.appendChild(h('option', { value: d }, DIFFICULTY_MENU[d]));
    this.difficulty.value = storedDifficulty();
    this.difficulty.addEventListener('change', () => {
      this.explainDifficulty();
      try {
        localStorage.setItem(DIFFICULTY_KEY, this.difficulty.value);
      } catch {
        // Storage refused (private mode): the choice lasts as long as the page.
      }
    });
    this.explainDifficulty();
    this.renderPicker();
    this.setRooms(null);
    const nick = () => {
      const n = this.nickname.value.trim();
      localStorage.setItem(NICK_KEY, n);
      return n;
    };
    const guard = (f: () => void) => () => {
      if (this.busy) return;
      this.busy = true;
      this.el.setAttribute('aria-busy', 'true');
      f();
    };
    this.el.append(
      h(
        'header',
        null,
        h('h1', null, 'Split Brain'),
        h('p', { class: 'tagline' }, 'Run a replicated database with your team while the network fails under you. Every choice you make, between answering fast and answering right, shows up in the numbers.'),
      ),
      h(
        'section',
        { class: 'play card' },
        h('div', null, h('label', { for: 'nickname' }, 'Your name'), h('br'), this.nickname, h('div', { id: 'nick-help' }, h('small', null, 'Shown on your node. Letters and digits, up to 20.'))),
        h('div', { class: 'row' },
          h('button', { class: 'primary big', 'data-play': 'tutorial', onclick: guard(() => host.tutorial(nick())) }, 'Tutorial', h('small', null, ' (start here)')),
          h('button', { class: 'big', 'data-play': 'quick', onclick: guard(() => host.quickPlay(nick(), this.scenario, this.picked())) }, 'Quick play'),
          h('button', { class: 'big', 'data-play': 'solo', onclick: guard(() => host.solo(nick(), this.scenario, this.chaos.value, this.picked())) }, 'Solo'),
        ),
        h('small', null, 'Quick play joins a public round of the chosen scenario and difficulty. Solo is yours alone: bots run the other nodes. The tutorial is always easy.'),
        h('h2', null, 'Scenario'),
        this.picker,
        h('div', null, h('label', { for: 'difficulty' }, 'Difficulty'), ' ', this.difficulty, h('br'), this.difficultyHelp),
        h('div', null, h('label', { for: 'chaos' }, 'Trouble (solo)'), ' ', this.chaos),
      ),
      classEntry(),
      h('section', { class: 'card' }, h('h2', null, 'Open rounds'), this.rooms,
        h('div', { class: 'replays-entry' }, h('h2', null, 'Replays'), h('p', null, 'Watch a past round again, find the moment it went wrong, and branch from there to try something else.'), h('button', { 'data-play': 'replays', onclick: () => host.replays() }, 'Replays and recording files')),
        h('h2', { style: 'margin-top:1rem' }, 'How a round goes'), h('ol', null,
        h('li', null, h('b', null, 'Briefing: '), 'a customer says what they need: how many requests must succeed, how fast, how fresh.'),
        h('li', null, h('b', null, 'Setup: '), 'your team votes on the architecture: copies, quorums, leaders.'),
        h('li', null, h('b', null, 'Live: '), 'traffic grows, chaos strikes; each player runs one node.'),
        h('li', null, h('b', null, 'Debrief: '), 'your numbers against the promise, and what they teach.'),
      )),
    );
  }

  private picked(): Difficulty {
    return isDifficulty(this.difficulty.value) ? this.difficulty.value : 'normal';
  }

  private explainDifficulty(): void {
    this.difficultyHelp.textContent = difficultyText(this.picked());
  }

  /** Back to clickable after a failed start. */
  enable(): void {
    this.busy = false;
    this.el.removeAttribute('aria-busy');
  }

  private renderPicker(): void {
    replace(
      this.picker,
      SCENARIO_IDS.filter((id) => id !== 'tutorial').map((id) => {
        const sc = SCENARIOS[id];
        return h(
          'button',
          {
            'aria-pressed': String(id === this.scenario),
            'data-scenario': id,
            onclick: () => {
              this.scenario = id;
              this.renderPicker();
            },
          },
          h('b', null, sc.title),
          h('small', null, `needs ${percent(sc.sla.availability)} · teaches ${sc.teaches.slice(0, 2).join(', ')}`),
        );
      }),
    );
  }

  /** The lobby's list of open public rounds; null when the server has no lobby. */
  setRooms(list: ListedRoom[] | null): void {
    if (list === null || list.length === 0) {
      replace(this.rooms, h('li', null, h('span', { class: 'muted' }, list === null ? 'Looking for open rounds…' : 'No open rounds right now. Quick play starts one that others can join.')));
      return;
    }
    replace(
      this.rooms,
      list.map((r) => {
        const m = r.metadata;
        const open = m !== undefined && m.phase === 'lobby' && r.clients < r.maxClients;
        return h(
          'li',
          null,
          h('span', null, h('b', null, m?.title ?? 'Round'), h('br'), h('small', null, [
            `${m?.humans ?? r.clients} of ${m?.seats ?? r.maxClients} players`,
            isDifficulty(m?.difficulty) ? DIFFICULTY_NAMES[m.difficulty].toLowerCase() : '',
            m?.phase ?? '',
          ].filter((x) => x !== '').join(' · '))),
          h('button', { disabled: !open, onclick: () => this.host.join(r.roomId, this.nickname.value.trim()) }, open ? 'Join' : 'Started'),
        );
      }),
    );
  }
}

/** The difficulty this browser picked last, or normal. */
function storedDifficulty(): Difficulty {
  let v: string | null = null;
  try {
    v = localStorage.getItem(DIFFICULTY_KEY);
  } catch {
    v = null;
  }
  return isDifficulty(v) ? v : 'normal';
}
