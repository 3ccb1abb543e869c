// A student's way through a class: the join form (code and name; the join link fills in the
// code), the class lobby ("You are in Team Curie"), their team's round through the game's
// own round screens, and the class's results. The class layer (pause, polls, cards) stays
// over all of it, and the session room stays connected the whole time.

import { h, onNextFrame } from '../dom.js';
import type { ClusterRoom } from '../net.js';
import { getScenario } from '../../../shared/scenarios/index.js';
import { atDifficulty, isDifficulty } from '../../../shared/scenarios/difficulty.js';
import { difficultyText } from '../../../shared/words/difficulty.js';
import { promiseText } from '../../../shared/words/promise.js';
import { classChaosText } from '../../../shared/words/chaos.js';
import { glossed } from '../glossary.js';
import { TEAM_ROOM_LOST } from '../../../shared/words/phases.js';
import { joinedCode, NICKNAME_KEY, rememberJoined } from './keys.js';
import { ClassLayer } from './layer.js';
import { classRoot, keepAddress } from './paths.js';
import { studentTable, teamTable } from './results.js';
import { backIntoClass, classClient, findClass, joinAsStudent, joinProblem, sendAnswer, type SessionEvents, type SessionRoom } from './session.js';
import type { ClassShell } from './shell.js';
import { exposeForTests, lengthWords, teamLabel, toClassView, type ClassView, type StudentV } from './view.js';

/** Wait this long before trying a team's room again after it refused. */
const RETRY_MS = 3000;

export class StudentFlow {
  private room: SessionRoom | null = null;
  private me = '';
  private v: ClassView | null = null;
  private readonly layer = new ClassLayer({ answer: (poll, choice) => this.room !== null && sendAnswer(this.room, poll, choice) });
  private readonly resultsPill = h('button', { class: 'class-results-pill primary', 'data-class': 'see-results', hidden: true }, 'The class results are in: see them');
  private round: ClusterRoom | null = null;
  private joiningRound = false;
  private refusedAt = 0;
  /** The session round the student chose to leave (they get a button to go back). */
  private sittingOut = 0;
  private removed = '';
  /** Why the class is gone from this tab ('' while it is here). */
  private ended = '';
  /** Redraw on the next frame, once however many patches arrive before it. */
  private readonly schedule = onNextFrame(() => this.render());
  private key = '';

  constructor(
    private readonly shell: ClassShell,
    private code: string,
  ) {}

  start(): void {
    exposeForTests(() => this.v);
    document.body.classList.add('class-student');
    this.layer.addToBar(this.resultsPill);
    this.resultsPill.addEventListener('click', () => void this.leaveRoundFor('results'));
    document.body.appendChild(this.layer.el);
    document.body.prepend(this.layer.bar);
    this.shell.onHome(() => {
      // The round's own Leave / Home buttons, or its room closed: the class takes over again.
      if (this.round !== null) this.round = null;
      const v = this.v;
      if (v !== null && v.phase === 'running' && !this.removed) this.sittingOut = v.round;
      this.key = '';
      this.render();
      return true;
    });
    const nick = localStorage.getItem(NICKNAME_KEY) ?? '';
    // A reload of a tab that was in this class goes straight back in.
    if (joinedCode() === this.code && this.code !== '' && nick !== '') void this.join(this.code, nick);
    else this.showForm('');
  }

  // ---------------------------------------------------------------------------------
  // Joining

  private showForm(error: string, busy = false): void {
    const code = h('input', { id: 'class-code', value: this.code, maxlength: 8, autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', inputmode: 'text', 'aria-describedby': 'class-code-help' });
    const nick = h('input', { id: 'class-nickname', value: localStorage.getItem(NICKNAME_KEY) ?? '', maxlength: 20, autocomplete: 'nickname', placeholder: 'e.g. Ada' });
    const go = h('button', { class: 'primary big', type: 'submit', 'data-class': 'join', disabled: busy }, busy ? 'Joining…' : 'Join the class');
    const form = h(
      'form',
      { class: 'card join-form' },
      h('h1', null, 'Join a class'),
      h('label', { for: 'class-code' }, 'Join code'),
      code,
      h('small', { id: 'class-code-help' }, 'The 6 letters and digits on your teacher\'s screen.'),
      h('label', { for: 'class-nickname' }, 'Your name'),
      nick,
      h('small', null, 'Your teacher and your team see it. Letters and digits, up to 20.'),
      error !== '' ? h('p', { class: 'form-error', role: 'alert', 'data-class-error': '' }, error) : null,
      go,
      h('a', { href: classRoot(), class: 'muted' }, 'Back to the start'),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const n = nick.value.trim();
      if (n === '') {
        this.code = code.value.trim().toUpperCase();
        this.showForm('Type your name first: your team will see it on your node.');
        return;
      }
      void this.join(code.value, n);
    });
    this.shell.show(h('main', { class: 'class-page class-join' }, form), 'student');
    (this.code === '' ? code : nick).focus();
  }

  private async join(typedCode: string, nickname: string): Promise<void> {
    this.code = typedCode.trim().toUpperCase();
    try {
      localStorage.setItem(NICKNAME_KEY, nickname);
    } catch {
      // Storage refused: the name is asked again next time.
    }
    if (this.round === null) this.showForm('', true);
    const found = await findClass(typedCode);
    if (!found.ok) {
      await this.leaveRound();
      return this.showForm(found.error);
    }
    this.code = found.code;
    let room: SessionRoom;
    try {
      room = await joinAsStudent(classClient(), found.roomId, found.code, nickname, this.events());
    } catch (err) {
      rememberJoined('');
      await this.leaveRound();
      return this.showForm(joinProblem(err));
    }
    this.attach(room, found.code);
  }

  private events(): SessionEvents {
    return {
      welcome: (w) => {
        this.me = w.studentId;
        this.schedule();
      },
      error: (e) => this.shell.toast(e.error, true),
      card: (card) => this.layer.showCard(card),
      kicked: (reason) => void this.kick(reason),
    };
  }

  private attach(room: SessionRoom, code: string): void {
    this.room = room;
    rememberJoined(code);
    keepAddress({ kind: 'join', code });
    room.onStateChange(() => this.schedule());
    room.onLeave((closed) => void this.lost(room, closed));
    this.key = '';
    this.schedule();
  }

  private async kick(reason: string): Promise<void> {
    this.removed = reason;
    rememberJoined('');
    await this.leaveRound();
    this.key = '';
    this.render();
  }

  /** The session room went away: try to get back in unless the class is over. */
  private async lost(room: SessionRoom, code: number): Promise<void> {
    if (this.room !== room || this.removed !== '' || code === 1000) return;
    this.room = null;
    if (code === 4003) return;
    if (code === 4000) {
      // The same student opened the class again (another tab, another device): that one is them now.
      this.ended = 'This class is open in another tab or on another device, and that one is you now. Close this one.';
      await this.leaveRound();
      this.key = '';
      this.render();
      return;
    }
    // Tried for a while (the class may be moving to another server process); a round the
    // student is playing meanwhile goes on: its room is not the class's.
    this.shell.toast('Lost the connection to the class: getting back in…', true);
    const nick = localStorage.getItem(NICKNAME_KEY) ?? '';
    const back = await backIntoClass(this.code, { nickname: nick }, this.events(), () => this.room !== null || this.removed !== '');
    if (typeof back !== 'string') return this.attach(back, this.code);
    if (this.room !== null || this.removed !== '') return;
    this.ended = /closed/.test(back) ? 'Your teacher closed this class. Thanks for playing!' : 'The connection to the class is gone. Check your connection, then join again with the code.';
    await this.leaveRound();
    this.key = '';
    this.render();
  }

  // ---------------------------------------------------------------------------------
  // Following the class


  private render(): void {
    if (this.removed !== '') return this.screen('removed', () => this.removedScreen());
    if (this.ended !== '') return this.screen(`ended|${this.ended}`, () => this.endedScreen());
    const room = this.room;
    if (room === null || room.state?.phase === undefined) return;
    const v = toClassView(room.state);
    this.v = v;
    const me = v.students.find((s) => s.id === this.me);
    if (me !== undefined) this.layer.team = teamLabel(v, me.team);
    this.layer.update(v);
    if (me === undefined) return;
    this.resultsPill.hidden = !(this.round !== null && v.phase === 'results');
    this.layer.fitBar();
    if (v.phase === 'running') return this.running(v, me);
    if (this.round !== null) {
      // Results: the student may stay on their team's debrief; the next round takes them back.
      if (v.phase === 'results') return keepAddress({ kind: 'join', code: v.code });
      void this.leaveRoundFor('lobby');
      return;
    }
    this.sittingOut = 0;
    if (v.phase === 'results') return this.screen(`results|${v.results.length}|${me.team}|${me.nickname}|${v.code}`, () => this.resultsScreen(v, me));
    this.screen(`lobby|${JSON.stringify([me, v.students.filter((s) => s.team === me.team), v.teamCount, v.settings, v.code])}`, () => this.lobbyScreen(v, me));
  }

  private running(v: ClassView, me: StudentV): void {
    const team = v.teams[me.team];
    if (this.round !== null) {
      // The teacher moved the student to another team: go to its room.
      if (team !== undefined && team.roomId !== '' && this.round.roomId !== team.roomId) void this.leaveRoundFor('lobby');
      else keepAddress({ kind: 'join', code: v.code });
      return;
    }
    if (this.sittingOut === v.round) return this.screen(`out|${v.round}|${team?.phase}`, () => this.sittingOutScreen(v, me));
    if (team !== undefined && team.roomId !== '' && team.phase !== 'debrief' && !this.joiningRound && Date.now() - this.refusedAt > RETRY_MS) {
      void this.enterRound(team.roomId, me.nickname);
    }
    this.screen(`wait|${team?.phase}|${me.team}`, () => this.waitingScreen(v, me));
  }

  private async enterRound(roomId: string, nickname: string): Promise<void> {
    this.joiningRound = true;
    try {
      const room = await this.shell.playRound(roomId, nickname);
      this.round = room;
      this.key = '';
      keepAddress({ kind: 'join', code: this.code });
      room.onLeave(() => {
        if (this.round === room) this.round = null;
      });
    } catch (err) {
      this.refusedAt = Date.now();
      this.shell.toast(`Could not join your team's round: ${joinProblem(err)}`, true);
    } finally {
      this.joiningRound = false;
    }
  }

  private async leaveRound(): Promise<void> {
    if (this.round === null) return;
    this.round = null;
    await this.shell.leaveRound();
  }

  private async leaveRoundFor(_why: 'results' | 'lobby'): Promise<void> {
    await this.leaveRound();
    this.key = '';
    this.render();
  }

  // ---------------------------------------------------------------------------------
  // Screens

  /** Show a screen when its content changed (the key says what it shows). */
  private screen(key: string, build: () => HTMLElement): void {
    if (key === this.key) return;
    this.key = key;
    this.shell.show(build(), 'student');
  }

  private top(v: ClassView | null, me: StudentV | null): HTMLElement {
    return h(
      'header',
      { class: 'class-top' },
      h('span', { class: 'brand' }, 'Split Brain'),
      v !== null ? h('span', null, 'Class ', h('b', null, v.code)) : null,
      me !== null ? h('span', null, 'You are ', h('b', { 'data-class-me': me.nickname }, me.nickname)) : null,
    );
  }

  private lobbyScreen(v: ClassView, me: StudentV): HTMLElement {
    const mates = v.students.filter((s) => s.team === me.team);
    const sc = getScenario(v.settings.scenario);
    return h(
      'main',
      { class: 'class-page class-student-lobby' },
      this.top(v, me),
      h(
        'section',
        { class: 'card your-team' },
        h('p', { class: 'lead' }, 'You are in'),
        h('h1', { 'data-class-team': me.team }, teamLabel(v, me.team)),
        h('p', { class: 'waiting' }, h('span', { class: 'dots', 'aria-hidden': 'true' }), v.round === 0 ? 'Waiting for your teacher to start the round.' : 'Waiting for your teacher to start the next round.'),
        h('h2', null, `Your team (${mates.length})`),
        h('ul', { class: 'mates' }, mates.map((s) => h('li', { class: s.connected ? '' : 'away' }, s.nickname, s.id === me.id ? h('b', null, ' (you)') : null, s.connected ? null : h('small', null, ' (away)')))),
      ),
      h(
        'section',
        { class: 'card' },
        h('h2', null, 'The round'),
        h('p', null, h('b', null, sc?.title ?? v.settings.scenario), ` · ${lengthWords(v.settings.roundSeconds)} · ${classChaosText(v.settings.chaos)}`),
        isDifficulty(v.settings.difficulty) && v.settings.difficulty !== 'normal' ? h('p', { 'data-class-difficulty': v.settings.difficulty }, difficultyText(v.settings.difficulty)) : null,
        sc !== undefined ? h('p', { class: 'muted' }, ...glossed(sc.briefing)) : null,
        sc !== undefined ? h('p', { class: 'promise-line', 'data-class-promise': '' }, promiseText(atDifficulty(sc, isDifficulty(v.settings.difficulty) ? v.settings.difficulty : 'normal'))) : null,
        h('p', null, 'Each of you runs one node of your team\'s cluster. Every team gets the same traffic and the same trouble, so the scores compare fairly.'),
      ),
      this.leaveButton(),
    );
  }

  private waitingScreen(v: ClassView, me: StudentV): HTMLElement {
    const team = v.teams[me.team];
    const done = team?.phase === 'debrief';
    const lost = team?.phase === TEAM_ROOM_LOST;
    return h(
      'main',
      { class: 'class-page' },
      this.top(v, me),
      h(
        'section',
        { class: 'card your-team' },
        h('h1', null, teamLabel(v, me.team)),
        lost
          ? h('p', { 'data-class': 'room-lost' }, 'Your team\'s round was lost: the server running it stopped. Your teacher can end this round and start the next one.')
          : h('p', { class: 'waiting' }, h('span', { class: 'dots', 'aria-hidden': 'true' }), done ? 'Your team\'s round is over. Waiting for the other teams to finish.' : 'Your team\'s round is starting…'),
      ),
    );
  }

  private sittingOutScreen(v: ClassView, me: StudentV): HTMLElement {
    const team = v.teams[me.team];
    const open = team !== undefined && team.roomId !== '' && team.phase !== 'debrief';
    return h(
      'main',
      { class: 'class-page' },
      this.top(v, me),
      h(
        'section',
        { class: 'card your-team' },
        h('h1', null, teamLabel(v, me.team)),
        h('p', null, open ? 'You are not in your team\'s round right now. Your node is run by a bot until you go back.' : 'Your team\'s round is over. Waiting for the other teams to finish.'),
        open
          ? h('button', { class: 'primary big', 'data-class': 'rejoin', onclick: () => {
              this.sittingOut = 0;
              this.key = '';
              this.render();
            } }, 'Back to my team')
          : null,
      ),
      this.leaveButton(),
    );
  }

  private resultsScreen(v: ClassView, me: StudentV): HTMLElement {
    const last = v.results[v.results.length - 1];
    const mine = last?.teams.find((t) => t.team === me.team);
    const myRow = mine?.students.find((s) => s.nickname === me.nickname);
    return h(
      'main',
      { class: 'class-page class-results' },
      this.top(v, me),
      h(
        'section',
        { class: 'card' },
        h('h1', null, 'The class\'s results'),
        mine !== undefined ? h('p', { class: 'lead' }, `${mine.name} scored `, h('b', null, String(mine.score)), myRow !== undefined ? [' · your part: ', h('b', null, String(myRow.score)), ` points on node N${myRow.node}`] : null) : null,
        last !== undefined ? teamTable(last) : h('p', null, 'No results yet.'),
        h('p', { class: 'waiting' }, h('span', { class: 'dots', 'aria-hidden': 'true' }), 'Waiting for your teacher to start the next round.'),
      ),
      last !== undefined ? h('section', { class: 'card' }, studentTable(last)) : null,
      this.leaveButton(),
    );
  }

  private removedScreen(): HTMLElement {
    return h(
      'main',
      { class: 'class-page' },
      h('section', { class: 'card your-team' }, h('h1', null, 'You left the class'), h('p', { 'data-class-removed': '' }, 'Your teacher removed you from this class. If that was a mistake, ask them to let you back in, then join again with the code.'),
        h('a', { class: 'button primary', href: classRoot() }, 'Back to the start')),
    );
  }

  private endedScreen(): HTMLElement {
    return h(
      'main',
      { class: 'class-page' },
      h('section', { class: 'card your-team' }, h('h1', null, 'Not in the class any more'), h('p', null, this.ended),
        h('a', { class: 'button primary', href: classRoot() }, 'Back to the start')),
    );
  }

  private leaveButton(): HTMLElement {
    return h('p', { class: 'leave-class' }, h('button', { class: 'quiet', onclick: () => void this.quit() }, 'Leave the class'));
  }

  private async quit(): Promise<void> {
    rememberJoined('');
    await this.leaveRound();
    const room = this.room;
    this.room = null;
    await room?.leave(true).catch(() => undefined);
    location.assign(classRoot());
  }
}
