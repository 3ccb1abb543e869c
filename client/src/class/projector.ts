// The projector view (class/projector): the host's own browser, joined to the class with
// its host key, showing what the room should see and never changing anything. In the lobby
// the join code, link and QR code, huge, and the names as they arrive; during the round
// every team's cluster side by side and a live scoreboard; the poll once revealed (only
// how many answered before that, so nobody copies the crowd), a pushed card, and the
// results at the end. Type is large and high-contrast for the back of a classroom.

import { h, replace, onNextFrame } from '../dom.js';
import { int, percent } from '../format.js';
import { CARDS, type ConceptId } from '../../../shared/lessons/cards.js';
import { getScenario } from '../../../shared/scenarios/index.js';
import { HOSTED, hostedClass } from './keys.js';
import { codeLetters, joinCard } from './join-card.js';
import { pollBars } from './layer.js';
import { joinLink } from './paths.js';
import { rankedResults, roundTitle, teamTable } from './results.js';
import { backIntoClass, classClient, joinAsHost, type SessionRoom } from './session.js';
import type { ClassShell } from './shell.js';
import { fitClusterText, teamPanel } from './team-panel.js';
import { exposeForTests, places, ranked, teamLabel, toClassView, type ClassView } from './view.js';

/** A pushed card stays up this long (ms), then the teams come back. */
const CARD_MS = 40_000;
/** A revealed poll stays up this long (ms) after the reveal. */
const REVEALED_MS = 45_000;

export class Projector {
  private room: SessionRoom | null = null;
  private v: ClassView | null = null;
  private readonly el = h('main', { class: 'projector' });
  private readonly stage = h('div', { class: 'proj-stage' });
  private readonly pollEl = h('section', { class: 'proj-poll', 'aria-live': 'polite' });
  private readonly cardEl = h('section', { class: 'proj-card', 'aria-live': 'polite' });
  private readonly pausedEl = h('div', { class: 'proj-paused', role: 'status' }, h('b', null, '❚❚ PAUSED'), h('span', null, 'Every team\'s cluster is standing still.'));
  private key = '';
  private card = '';
  private cardUntil = 0;
  /** The poll revealed last ("id") and until when it shows. */
  private revealed = '';
  private revealedUntil = 0;
  /** When the card and the poll last changed: the newer one has the side column. */
  private cardAt = 0;
  private pollAt = 0;
  private pollKey = '';
  /** Redraw on the next frame, once however many patches arrive before it. */
  private readonly schedule = onNextFrame(() => this.render());

  constructor(private readonly shell: ClassShell) {}

  async start(): Promise<void> {
    exposeForTests(() => this.v);
    document.body.classList.add('projecting');
    this.pollEl.hidden = true;
    this.cardEl.hidden = true;
    this.pausedEl.hidden = true;
    this.el.append(this.stage, h('div', { class: 'proj-side' }, this.pollEl, this.cardEl), this.pausedEl);
    window.addEventListener('resize', () => this.fitText());
    window.addEventListener('storage', (e) => {
      if (e.key === HOSTED && e.newValue !== null && e.newValue !== e.oldValue) location.reload();
    });
    const kept = hostedClass();
    if (kept === null) return this.nothing('No class is open in this browser. Open the projector view from your class\'s dashboard (Host a class), on this computer.');
    let room: SessionRoom;
    try {
      room = await joinAsHost(classClient(), kept.roomId, this.events());
    } catch {
      // Closed, or its server stopped and another is taking the class over: its code says which.
      const back = await backIntoClass(kept.code, { host: true }, this.events());
      if (typeof back === 'string') return this.nothing('The class this browser hosted has closed. Open a new one from the dashboard (Host a class).');
      room = back;
    }
    this.attach(room, kept.code);
    // The clocks and the card's timeout move without a patch.
    setInterval(() => this.schedule(), 1000);
  }

  private events() {
    return { card: (c: string) => this.showCard(c), error: () => undefined, welcome: () => undefined, kicked: () => undefined };
  }

  private attach(room: SessionRoom, code: string): void {
    this.room = room;
    this.key = '';
    this.shell.show(this.el, 'projector');
    room.onStateChange(() => this.schedule());
    room.onLeave((closed) => {
      if (closed === 1000 || this.room !== room) return;
      this.room = null;
      // The class may be moving to another server process: the screen says so while it waits.
      replace(this.stage, h('section', { class: 'proj-empty' }, h('h1', null, 'Reconnecting…'), h('p', null, 'The connection to the class dropped. Getting back in.')));
      void backIntoClass(code, { host: true }, this.events()).then((back) => {
        if (typeof back === 'string') this.nothing('The connection to the class is gone. Reload this page to reconnect.');
        else this.attach(back, code);
      });
    });
    this.schedule();
  }

  private nothing(text: string): void {
    this.shell.show(h('main', { class: 'projector' }, h('section', { class: 'proj-empty' }, h('h1', null, 'Projector view'), h('p', null, text))), 'projector');
  }

  private showCard(id: string): void {
    this.card = id;
    this.cardAt = Date.now();
    this.cardUntil = this.cardAt + CARD_MS;
    this.schedule();
  }


  private render(): void {
    const room = this.room;
    if (room === null || room.state?.phase === undefined) return;
    const v = toClassView(room.state);
    this.v = v;
    this.pausedEl.hidden = !(v.phase === 'running' && v.paused);
    this.renderPoll(v);
    this.renderCard();
    if (!this.pollEl.hidden && !this.cardEl.hidden) {
      if (this.cardAt > this.pollAt) this.pollEl.hidden = true;
      else this.cardEl.hidden = true;
    }
    document.body.classList.toggle('proj-side-open', !this.pollEl.hidden || !this.cardEl.hidden);
    const key = JSON.stringify([v.phase, v.code, v.students, v.teams, v.results.length, v.allowLate, v.locked, v.settings]);
    if (key === this.key) return;
    this.key = key;
    document.body.dataset.projector = v.phase;
    if (v.phase === 'lobby') replace(this.stage, ...this.lobby(v));
    else if (v.phase === 'running') replace(this.stage, ...this.running(v));
    else replace(this.stage, ...this.results(v));
    this.fitText();
  }

  /** The clusters' words at the projector's smallest size or left out (team-panel.ts). */
  private fitText(): void {
    // The projector's body text size is its smallest (class.css): 24 px on a 1920 px screen.
    // Measured now (the stage is in the page): a picture never shows unfitted, even for a frame.
    fitClusterText(this.stage, parseFloat(getComputedStyle(this.el).fontSize));
  }

  private lobby(v: ClassView): HTMLElement[] {
    const sc = getScenario(v.settings.scenario);
    const teams = Array.from({ length: v.teamCount }, (_, t) => t);
    return [
      v.code !== '' ? joinCard(v.code) : h('h1', null, 'Opening the class…'),
      h(
        'section',
        { class: 'proj-joined' },
        h('h2', null, v.students.length === 0 ? 'Waiting for the first student…' : `${v.students.length} joined`, sc !== undefined ? h('span', { class: 'muted' }, ` · next round: ${sc.title}`) : null),
        h('div', { class: 'proj-teams-list' }, teams.map((t) => {
          const names = v.students.filter((s) => s.team === t);
          return h('div', { class: 'proj-team-names' }, h('h3', null, teamLabel(v, t)), h('ul', null, names.map((s) => h('li', { class: s.connected ? '' : 'away' }, s.nickname))));
        })),
      ),
    ];
  }

  private running(v: ClassView): HTMLElement[] {
    const order = ranked(v.teams);
    const place = places(order.map((t) => t.score));
    const rankOf = new Map(order.map((t, i) => [t.index, place[i]!]));
    const sc = getScenario(v.settings.scenario);
    return [
      h(
        'header',
        { class: 'proj-head' },
        h('h1', null, `Round ${v.round}: ${sc?.title ?? v.settings.scenario}`),
        v.allowLate && !v.locked ? h('p', { class: 'proj-late' }, 'Late? Join at ', h('b', null, joinLink(v.code).replace(/^https?:\/\//, '')), ' with the code ', codeLetters(v.code, 'join-code inline')) : null,
      ),
      h(
        'div',
        { class: 'proj-live' },
        h('div', { class: `team-grid n${Math.min(v.teams.length, 6)}` }, v.teams.map((t) => teamPanel(t, rankOf.get(t.index)))),
        h(
          'aside',
          { class: 'scoreboard', 'aria-label': 'Scoreboard' },
          h('h2', null, 'Scoreboard'),
          h('ol', null, order.map((t) =>
            h('li', { 'data-score-team': t.index },
              h('span', { class: 'place' }, String(rankOf.get(t.index))),
              h('span', { class: 'who' }, t.name),
              h('b', { class: 'pts' }, int(t.score)),
              h('small', null, `${percent(t.availability)} OK${t.staleReads > 0 ? ` · ${int(t.staleReads)} stale` : ''}${t.lostWrites > 0 ? ` · ${int(t.lostWrites)} lost` : ''}`)))),
          h('p', { class: 'muted' }, 'Same traffic, same faults, for every team: only the choices differ.'),
        ),
      ),
    ];
  }

  private results(v: ClassView): HTMLElement[] {
    const last = v.results[v.results.length - 1];
    if (last === undefined) return [h('h1', null, 'Waiting for the results…')];
    const order = rankedResults(last);
    const top = order[0];
    const tied = order.filter((x) => top !== undefined && x.score === top.score);
    const stars = last.teams.flatMap((t) => t.students.map((s) => ({ s, t }))).sort((a, b) => b.s.score - a.s.score).slice(0, 5);
    return [
      h('header', { class: 'proj-head' }, h('h1', null, `Results: ${roundTitle(last)}`)),
      top === undefined
        ? h('span')
        : tied.length > 1
          ? h('p', { class: 'proj-winner' }, '★ ', h('b', null, tied.map((x) => x.name).join(' and ')), ` share the top score: ${int(top.score)} points`)
          : h('p', { class: 'proj-winner' }, '★ ', h('b', null, top.name), ` has the top score: ${int(top.score)} points`),
      teamTable(last, true),
      stars.length > 0
        ? h('section', { class: 'proj-stars' }, h('h2', null, 'Most points earned'), h('ol', null, stars.map(({ s, t }) => h('li', null, h('b', null, s.nickname), ` (${t.name}, node N${s.node}): ${int(s.score)}`))))
        : h('span'),
    ];
  }

  private renderPoll(v: ClassView): void {
    const p = v.poll;
    if (p.revealed && this.revealed !== String(p.id)) {
      this.revealed = String(p.id);
      this.revealedUntil = Date.now() + REVEALED_MS;
    }
    const show = p.id > 0 && (p.open || (p.revealed && Date.now() < this.revealedUntil));
    if (`${p.id}:${p.open}:${p.revealed}` !== this.pollKey) {
      this.pollKey = `${p.id}:${p.open}:${p.revealed}`;
      this.pollAt = Date.now();
    }
    this.pollEl.hidden = !show;
    if (!show) return;
    const key = JSON.stringify([p, v.students.length]);
    if (this.pollEl.dataset.key === key) return;
    this.pollEl.dataset.key = key;
    replace(
      this.pollEl,
      h('p', { class: 'tag' }, p.revealed ? 'The class predicted' : 'Predict: answer on your screen'),
      h('h2', null, p.question),
      p.revealed
        ? pollBars(p)
        : h('ol', { class: 'poll-list' }, p.options.map((o, i) => h('li', null, h('span', { class: 'letter' }, String.fromCharCode(65 + i)), o))),
      h('p', { class: 'answered' }, `${p.answered} of ${v.students.length} answered`),
    );
  }

  private renderCard(): void {
    const show = this.card !== '' && Date.now() < this.cardUntil;
    this.cardEl.hidden = !show;
    if (!show || this.cardEl.dataset.card === this.card) return;
    const card = CARDS[this.card as ConceptId];
    if (card === undefined) return;
    this.cardEl.dataset.card = this.card;
    replace(this.cardEl, h('p', { class: 'tag' }, 'Concept'), h('h2', null, card.title), h('p', null, card.idea), h('p', { class: 'try' }, h('b', null, 'Try next: '), card.tryNext));
  }
}
