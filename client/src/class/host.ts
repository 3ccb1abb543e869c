// The teacher's dashboard (class/host): the join code, link and QR code; the round's
// settings; the students by team (move, rename, remove, let back in); the doors (lock, late
// joiners); start, pause, resume, end, next round; a fault for every team at once; a concept
// card for every screen; a predict poll; the projector window; and the results with their
// CSV and replays. The host key in this browser makes it the host, across reloads.

import { h, replace, onNextFrame } from '../dom.js';
import { listRounds } from '../api.js';
import { CHAOS_KINDS, type ChaosKind, type ChaosLevel } from '../../../shared/scenarios/chaos-types.js';
import { CARDS, CONCEPT_IDS, type ConceptId } from '../../../shared/lessons/cards.js';
import { POLL_LIMITS, SESSION_ROUND_SECONDS, type HostAction, type SessionSettings } from '../../../shared/protocol/session.js';
import { SCENARIO_IDS, getScenario, type ScenarioId } from '../../../shared/scenarios/index.js';
import { MAX_TEAMS } from '../../../shared/session/teams.js';
import { hostedClass, rememberHosted } from './keys.js';
import { joinCard } from './join-card.js';
import { pollBars } from './layer.js';
import { classUrl, replayLink } from './paths.js';
import { csvButton, studentTable, teamTable } from './results.js';
import { classClient, createAsHost, joinAsHost, type SessionRoom, sendHost } from './session.js';
import type { ClassShell } from './shell.js';
import { teamPanel } from './team-panel.js';
import { exposeForTests, lengthWords, teamLabel, toClassView, type ClassView, type StudentV } from './view.js';

/** The example poll, ready to ask once a partition has struck. */
export const EXAMPLE_POLL = {
  question: 'When the partition heals, what happens?',
  options: ['Nothing: the copies never disagreed', 'The copies catch up and agree again', 'Writes made on the cut-off side are lost', 'The two sides keep different values for good'],
};

const CHAOS_WORDS: Record<ChaosKind, string> = {
  'partition-region': 'Network partition: cut part of the cluster off',
  'partition-random': 'Network partition: a random split',
  crash: 'Crash a node',
  'crash-disk-loss': 'Crash a node and wipe its disk',
  'slow-node': 'Slow node (still answers, slowly)',
  'latency-spike': 'Latency spike on every link',
  'message-loss': 'Messages get lost',
  'clock-skew': 'A node\'s clock jumps',
  'load-surge': 'Traffic surge',
  'hot-key': 'Everyone wants one key (hot key)',
  flood: 'A client floods one node',
};

const PRESET_WORDS: Record<string, string> = {
  cp: 'Consistency first (CP)',
  ap: 'Availability first (AP)',
  quorum: 'Leaderless quorum',
  'version-vectors': 'Keep both (version vectors)',
};

const CHAOS_LEVEL_WORDS: Record<ChaosLevel, string> = { none: 'Calm: only your strikes', normal: 'Normal trouble', heavy: 'Heavy trouble' };

export class HostDashboard {
  private room: SessionRoom | null = null;
  private v: ClassView | null = null;
  private readonly el = h('main', { class: 'class-page class-host' });
  private readonly head = h('header', { class: 'host-head' });
  private readonly joinBox = h('div', { class: 'host-join' });
  private readonly roundBox = h('section', { class: 'card host-round', 'aria-label': 'The round' });
  private readonly settingsBox = h('section', { class: 'card host-settings', 'aria-label': 'Settings' });
  private readonly doorsBox = h('section', { class: 'card host-doors', 'aria-label': 'Who may join' });
  private readonly chaosBox = h('section', { class: 'card host-chaos', 'aria-label': 'Strike every team' });
  private readonly cardBox = h('section', { class: 'card host-cards', 'aria-label': 'Push a concept card' });
  private readonly pollBox = h('section', { class: 'card host-poll', 'aria-label': 'Predict poll' });
  private readonly livePoll = h('div', { class: 'live-poll', 'aria-live': 'polite' });
  private readonly studentsBox = h('section', { class: 'card host-students', 'aria-label': 'Students' });
  private readonly teamsBox = h('section', { class: 'host-teams', 'aria-label': 'Every team now' });
  private readonly resultsBox = h('section', { class: 'card host-results', 'aria-label': 'Results' });
  private readonly controls = h('div', { class: 'host-controls' });
  private readonly keys = new Map<string, string>();
  private readonly inputs = new Map<keyof SessionSettings | 'split' | 'locked' | 'late', HTMLSelectElement | HTMLInputElement>();
  private strike!: HTMLButtonElement;
  private strikeNote = h('small', { class: 'note' });
  private renaming = '';
  private renameDraft = '';
  private confirmKick = '';
  private confirmNew = false;
  /** Redraw on the next frame, once however many patches arrive before it. */
  private readonly schedule = onNextFrame(() => this.update());
  private retries = 0;
  private roundsFor = '';

  constructor(private readonly shell: ClassShell) {}

  async start(): Promise<void> {
    exposeForTests(() => this.v);
    this.shell.show(h('main', { class: 'class-page' }, h('section', { class: 'card' }, h('h1', null, 'Opening your class…'))), 'host');
    const kept = hostedClass();
    if (kept !== null) {
      try {
        return this.attach(await joinAsHost(classClient(), kept.roomId, this.events()));
      } catch {
        // That class has closed: open a new one.
        rememberHosted(null);
      }
    }
    await this.create();
  }

  private async create(): Promise<void> {
    try {
      this.attach(await createAsHost(classClient(), {}, this.events()));
    } catch (err) {
      this.shell.show(h('main', { class: 'class-page' }, h('section', { class: 'card' }, h('h1', null, 'Could not open a class'), h('p', null, err instanceof Error ? err.message : String(err)),
        h('button', { class: 'primary', onclick: () => void this.create() }, 'Try again'))), 'host');
    }
  }

  private events() {
    return {
      error: (e: { error: string }) => this.shell.toast(sentence(e.error), true),
      kicked: () => undefined,
      card: () => undefined,
      welcome: () => undefined,
    };
  }

  private attach(room: SessionRoom): void {
    this.room = room;
    this.retries = 0;
    this.build();
    this.shell.show(this.el, 'host');
    room.onStateChange(() => this.schedule());
    room.onLeave((code) => void this.lost(room, code));
    this.schedule();
  }

  private async lost(room: SessionRoom, code: number): Promise<void> {
    if (this.room !== room || code === 1000) return;
    this.room = null;
    const kept = hostedClass();
    while (kept !== null && this.retries++ < 5) {
      this.shell.toast('Lost the connection to the class: getting back in…', true);
      await new Promise((r) => setTimeout(r, 1000 * this.retries));
      try {
        return this.attach(await joinAsHost(classClient(), kept.roomId, this.events()));
      } catch {
        // Try again, a little later.
      }
    }
    rememberHosted(null);
    this.shell.show(h('main', { class: 'class-page' }, h('section', { class: 'card' }, h('h1', null, 'The class has closed'), h('p', null, 'The connection to the class is gone and it could not be reopened.'),
      h('button', { class: 'primary', onclick: () => void this.create() }, 'Open a new class'))), 'host');
  }

  private send(action: HostAction): void {
    if (this.room !== null) sendHost(this.room, action);
  }


  /** Run `draw` when `key` changed since the last time for `part`. */
  private changed(part: string, key: unknown): boolean {
    const k = JSON.stringify(key);
    if (this.keys.get(part) === k) return false;
    this.keys.set(part, k);
    return true;
  }

  // ---------------------------------------------------------------------------------
  // The page, built once; update() fills it in

  private build(): void {
    this.keys.clear();
    this.buildSettings();
    this.buildDoors();
    this.buildChaos();
    this.buildCards();
    this.buildPoll();
    replace(
      this.el,
      this.head,
      this.joinBox,
      h(
        'div',
        { class: 'host-grid' },
        this.controls,
        h('div', { class: 'host-people' }, this.resultsBox, this.teamsBox, this.studentsBox),
      ),
    );
  }

  private update(): void {
    const room = this.room;
    if (room === null || room.state?.phase === undefined) return;
    const v = toClassView(room.state);
    this.v = v;
    if (v.code !== '' && hostedClass()?.roomId !== room.roomId) rememberHosted({ roomId: room.roomId, code: v.code });
    this.updateHead(v);
    if (this.changed('join', [v.code, v.phase === 'lobby'])) {
      replace(this.joinBox, v.code !== '' ? joinCard(v.code, { copy: (link) => void this.copy(link) }) : null);
      this.joinBox.classList.toggle('small', v.phase !== 'lobby');
    }
    if (this.changed('order', v.phase === 'running')) {
      // What the teacher needs first: setting up between rounds, striking and asking during one.
      const order = v.phase === 'running'
        ? [this.roundBox, this.chaosBox, this.pollBox, this.cardBox, this.doorsBox, this.settingsBox]
        : [this.roundBox, this.settingsBox, this.doorsBox, this.pollBox, this.cardBox, this.chaosBox];
      this.controls.replaceChildren(...order);
    }
    this.updateRound(v);
    this.syncSettings(v);
    this.syncDoors(v);
    this.syncChaos(v);
    this.updatePoll(v);
    this.updateStudents(v);
    this.updateTeams(v);
    this.updateResults(v);
  }

  private updateHead(v: ClassView): void {
    const here = v.students.filter((s) => s.connected).length;
    if (!this.changed('head', [v.code, v.phase, v.round, here, v.students.length, v.locked, v.allowLate, v.paused])) return;
    const phase = v.phase === 'lobby' ? (v.round === 0 ? 'Students are joining' : `Between rounds (${v.round} played)`) : v.phase === 'running' ? (v.paused ? `Round ${v.round}: paused` : `Round ${v.round} is on`) : `Round ${v.round}: results`;
    replace(
      this.head,
      h('div', null, h('p', { class: 'brand' }, 'Split Brain · your class'), h('h1', null, phase)),
      h('p', { class: 'chips' },
        h('span', { class: 'chip' }, `${v.students.length} student${v.students.length === 1 ? '' : 's'}`, here < v.students.length ? ` (${v.students.length - here} away)` : ''),
        h('span', { class: `chip${v.locked ? ' on' : ''}` }, v.locked ? 'LOCKED: nobody new gets in' : 'open to join'),
        v.phase === 'running' ? h('span', { class: 'chip' }, v.allowLate ? 'late joiners welcome' : 'no late joiners') : null),
      h('div', { class: 'head-actions' },
        h('button', { 'data-class': 'projector', onclick: () => window.open(classUrl({ kind: 'projector' }), 'splitbrain-projector') }, 'Open the projector view'),
        this.confirmNew
          ? h('button', { class: 'danger', 'data-class': 'new-sure', onclick: () => this.newClass() }, 'Sure? Students will need the new code')
          : h('button', { class: 'quiet', 'data-class': 'new', onclick: () => this.askNew() }, 'Close this class, open a new one')),
    );
  }

  private askNew(): void {
    this.confirmNew = true;
    this.keys.delete('head');
    this.schedule();
    setTimeout(() => {
      this.confirmNew = false;
      this.keys.delete('head');
      this.schedule();
    }, 4000);
  }

  private newClass(): void {
    const room = this.room;
    this.room = null;
    rememberHosted(null);
    // Close the old class for everyone (its students are told, its code is freed), then open a new one.
    try {
      room?.send('host', { action: 'close' });
    } catch {
      // Already gone.
    }
    void room?.leave(true).catch(() => undefined);
    void this.create();
  }

  private async copy(link: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(link);
      this.shell.toast('Link copied.');
    } catch {
      this.shell.toast(`Copy it by hand: ${link}`);
    }
  }

  // ---------------------------------------------------------------------------------
  // The round: start, pause, resume, end, next

  private updateRound(v: ClassView): void {
    const phases = v.teams.map((t) => t.phase);
    if (!this.changed('round', [v.phase, v.paused, v.round, phases, v.students.length, v.teamCount])) return;
    const b = (action: HostAction['action'], label: string, cls = '') => h('button', { class: cls, 'data-host': action, onclick: () => this.send({ action } as HostAction) }, label);
    const parts: (HTMLElement | string)[] = [h('h2', null, 'The round')];
    if (v.phase === 'lobby') {
      parts.push(
        h('p', null, v.students.length === 0 ? 'Nobody has joined yet. Show the code: students open the link or scan the QR code.' : `${v.students.length} student${v.students.length === 1 ? '' : 's'} in ${v.teamCount} team${v.teamCount === 1 ? '' : 's'}. Every team plays the same scenario under the same trouble.`),
        h('div', { class: 'row' }, b('start', v.round === 0 ? 'Start the round' : 'Start the next round', 'primary big')),
      );
    } else if (v.phase === 'running') {
      const words = v.teams.map((t) => `${t.name}: ${t.phase === 'debrief' ? 'finished' : t.phase || 'starting'}`).join(' · ');
      parts.push(
        h('p', null, v.paused ? 'Paused: every team\'s cluster stands still, clocks too.' : words),
        h('div', { class: 'row' }, v.paused ? b('resume', 'Resume', 'primary big') : b('pause', 'Pause every team', 'big'), b('end', 'End the round now', 'danger')),
      );
    } else {
      parts.push(
        h('p', null, 'Every team has finished. Talk the results through, then go back to the lobby to change teams or settings and play again.'),
        h('div', { class: 'row' }, b('next', 'Next round', 'primary big')),
      );
    }
    replace(this.roundBox, ...parts);
  }

  // ---------------------------------------------------------------------------------
  // Settings

  private buildSettings(): void {
    const scenario = select('set-scenario', SCENARIO_IDS.filter((id) => id !== 'tutorial').map((id) => [id, getScenario(id)!.title]));
    scenario.addEventListener('change', () => this.send({ action: 'settings', settings: { scenario: scenario.value as ScenarioId } }));
    const preset = select('set-preset', []);
    preset.addEventListener('change', () => this.send({ action: 'settings', settings: { preset: preset.value } }));
    const chaos = select('set-chaos', (['none', 'normal', 'heavy'] as const).map((c) => [c, CHAOS_LEVEL_WORDS[c]]));
    chaos.addEventListener('change', () => this.send({ action: 'settings', settings: { chaos: chaos.value as ChaosLevel } }));
    const split = select('set-split', [
      ...Array.from({ length: MAX_TEAMS }, (_, i) => [`count:${i + 1}`, `${i + 1} team${i === 0 ? '' : 's'}`] as [string, string]),
      ...[2, 3, 4, 5, 6, 8].map((n) => [`size:${n}`, `teams of ${n} students`] as [string, string]),
    ]);
    split.addEventListener('change', () => {
      const [how, n] = split.value.split(':');
      this.send({ action: 'settings', settings: how === 'size' ? { teamSize: Number(n) } : { teamCount: Number(n), teamSize: 0 } });
    });
    const length = numberSelect('set-length', [SESSION_ROUND_SECONDS.min, 60, 120, 180, 240, 300, 360, 480, SESSION_ROUND_SECONDS.max], minutesWords);
    length.addEventListener('change', () => this.send({ action: 'settings', settings: { roundSeconds: Number(length.value) } }));
    const briefing = numberSelect('set-briefing', [0, 2, 5, 10, 20, 30, 45, 60, 90, 120], secondsWords);
    briefing.addEventListener('change', () => this.send({ action: 'settings', settings: { briefingSeconds: Number(briefing.value) } }));
    const setup = numberSelect('set-setup', [0, 2, 10, 20, 30, 45, 60, 90, 120, 180, 300], secondsWords);
    setup.addEventListener('change', () => this.send({ action: 'settings', settings: { setupSeconds: Number(setup.value) } }));
    this.inputs.set('scenario', scenario).set('preset', preset).set('chaos', chaos).set('split', split).set('roundSeconds', length).set('briefingSeconds', briefing).set('setupSeconds', setup);
    replace(
      this.settingsBox,
      h('h2', null, 'Settings'),
      h('div', { class: 'form-grid' },
        field('set-scenario', 'Scenario', scenario),
        field('set-preset', 'Starting architecture', preset),
        field('set-chaos', 'Difficulty', chaos),
        field('set-length', 'Round length', length),
        field('set-split', 'Teams', split),
        field('set-briefing', 'Briefing', briefing),
        field('set-setup', 'Setup (choosing the architecture)', setup)),
      h('small', { class: 'note', 'data-settings-note': '' }),
    );
  }

  private syncSettings(v: ClassView): void {
    const s = v.settings;
    const running = v.phase === 'running';
    const preset = this.inputs.get('preset') as HTMLSelectElement;
    const sc = getScenario(s.scenario);
    if (this.changed('presets', s.scenario)) {
      replace(preset, Object.keys(sc?.presets ?? {}).map((p) => h('option', { value: p }, PRESET_WORDS[p] ?? p)));
    }
    const values: [string, string][] = [
      ['scenario', s.scenario], ['preset', s.preset], ['chaos', s.chaos], ['roundSeconds', String(s.roundSeconds)],
      ['briefingSeconds', String(s.briefingSeconds)], ['setupSeconds', String(s.setupSeconds)],
      ['split', s.teamSize > 0 ? `size:${s.teamSize}` : `count:${s.teamCount}`],
    ];
    for (const [k, value] of values) {
      const el = this.inputs.get(k as keyof SessionSettings)!;
      el.disabled = running;
      if (document.activeElement === el) continue;
      if (el instanceof HTMLSelectElement && ![...el.options].some((o) => o.value === value)) el.appendChild(h('option', { value }, k.endsWith('Seconds') ? (k === 'roundSeconds' ? minutesWords(Number(value)) : secondsWords(Number(value))) : value));
      el.value = value;
    }
    const note = this.settingsBox.querySelector('[data-settings-note]')!;
    note.textContent = running ? 'Settings change between rounds.' : sc !== undefined ? `${sc.title} teaches ${sc.teaches.slice(0, 3).join(', ')}.` : '';
  }

  // ---------------------------------------------------------------------------------
  // Who may join

  private buildDoors(): void {
    const locked = h('input', { type: 'checkbox', id: 'door-locked', 'data-host': 'lock' });
    locked.addEventListener('change', () => this.send({ action: 'lock', locked: locked.checked }));
    const late = h('input', { type: 'checkbox', id: 'door-late', 'data-host': 'late-join' });
    late.addEventListener('change', () => this.send({ action: 'late-join', allow: late.checked }));
    this.inputs.set('locked', locked).set('late', late);
    replace(
      this.doorsBox,
      h('h2', null, 'Who may join'),
      h('label', { class: 'switch' }, locked, h('span', null, 'Lock the class: nobody new gets in (students who left can come back)')),
      h('label', { class: 'switch' }, late, h('span', null, 'Let students join after the round has started (they go to the smallest team)')),
    );
  }

  private syncDoors(v: ClassView): void {
    (this.inputs.get('locked') as HTMLInputElement).checked = v.locked;
    (this.inputs.get('late') as HTMLInputElement).checked = v.allowLate;
  }

  // ---------------------------------------------------------------------------------
  // Chaos for every team

  private buildChaos(): void {
    const kind = select('chaos-kind', CHAOS_KINDS.map((k) => [k, CHAOS_WORDS[k]]));
    const target = select('chaos-target', Array.from({ length: 10 }, (_, i) => [String(i), `N${i} / region ${i + 1}`]));
    const duration = numberSelect('chaos-duration', [10, 20, 30, 45, 60, 90], secondsWords);
    duration.value = '20';
    this.strike = h('button', { class: 'danger big', 'data-host': 'chaos', onclick: () => this.strikeNow(kind.value as ChaosKind, Number(target.value), Number(duration.value)) }, 'Strike every team now');
    replace(
      this.chaosBox,
      h('h2', null, 'Strike every team'),
      h('p', { class: 'muted' }, 'The same fault hits every team\'s cluster at the same moment of its round, so you can compare how each team copes.'),
      field('chaos-kind', 'What', kind),
      h('div', { class: 'form-grid' }, field('chaos-target', 'Which node or region', target), field('chaos-duration', 'For how long', duration)),
      h('div', { class: 'row' }, this.strike),
      this.strikeNote,
    );
  }

  private strikeNow(kind: ChaosKind, target: number, seconds: number): void {
    // No magnitude: the room gives each kind a strength that shows without flattening the cluster.
    this.send({ action: 'chaos', kind, target, durationMs: seconds * 1000 } as HostAction);
  }

  private syncChaos(v: ClassView): void {
    const live = v.phase === 'running' && v.teams.length > 0 && v.teams.every((t) => t.phase === 'live') && !v.paused;
    this.strike.disabled = !live;
    const note = v.phase !== 'running' ? 'You can strike once a round is live.' : v.paused ? 'Resume the round first.' : live ? '' : 'Wait until every team is live (after briefing and setup).';
    if (this.strikeNote.textContent !== note) this.strikeNote.textContent = note;
  }

  // ---------------------------------------------------------------------------------
  // Concept cards

  private buildCards(): void {
    const pick = select('card-pick', CONCEPT_IDS.map((id) => [id, CARDS[id].title]));
    replace(
      this.cardBox,
      h('h2', null, 'Show a concept card'),
      h('p', { class: 'muted' }, 'It appears on every student\'s screen and on the projector.'),
      field('card-pick', 'Card', pick),
      h('div', { class: 'row' }, h('button', { 'data-host': 'card', onclick: () => this.send({ action: 'card', card: pick.value as ConceptId }) }, 'Show it to everyone')),
    );
  }

  // ---------------------------------------------------------------------------------
  // Predict poll

  private buildPoll(): void {
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
      if (question.value.trim() === '') return this.shell.toast('Write the question first.', true);
      if (options.length < POLL_LIMITS.minOptions) return this.shell.toast(`Give at least ${POLL_LIMITS.minOptions} answers.`, true);
      this.send({ action: 'poll', question: question.value.trim(), options });
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
    replace(this.pollBox, h('h2', null, 'Predict poll'), this.livePoll, details);
  }

  private updatePoll(v: ClassView): void {
    const p = v.poll;
    if (!this.changed('poll', [p, v.students.length])) return;
    if (p.id === 0) {
      replace(this.livePoll, h('p', { class: 'muted' }, 'Ask the class to predict what happens next, then show them what did.'));
      return;
    }
    const truth = select('poll-truth', [['-1', 'Do not mark one'], ...p.options.map((o, i) => [String(i), `${String.fromCharCode(65 + i)}: ${o}`] as [string, string])]);
    if (p.answer >= 0) truth.value = String(p.answer);
    replace(
      this.livePoll,
      h('p', { class: 'poll-q' }, h('b', null, p.question)),
      h('p', { 'data-poll-answered': p.answered }, `${p.answered} of ${v.students.length} answered${p.open ? ' so far' : ''}${p.revealed ? ' · shown to everyone' : p.open ? ' · only you see the counts' : ' · answers closed'}`),
      pollBars(p),
      p.revealed
        ? null
        : h('div', { class: 'reveal' },
            field('poll-truth', 'What really happens', truth),
            h('div', { class: 'row' },
              p.open ? h('button', { 'data-host': 'close-poll', onclick: () => this.send({ action: 'close-poll' }) }, 'Stop the answers') : null,
              h('button', { class: 'primary', 'data-host': 'reveal', onclick: () => this.send(truth.value === '-1' ? { action: 'reveal' } : { action: 'reveal', answer: Number(truth.value) }) }, 'Reveal the answers'))),
    );
  }

  // ---------------------------------------------------------------------------------
  // Students

  private updateStudents(v: ClassView): void {
    if (!this.changed('students', [v.students, v.banned, v.teamCount, v.phase, this.renaming, this.confirmKick, v.teams.map((t) => t.name)])) return;
    const teams = Array.from({ length: Math.max(v.teamCount, ...v.students.map((s) => s.team + 1)) }, (_, t) => t);
    replace(
      this.studentsBox,
      h('h2', null, `Students by team`),
      v.students.length === 0 ? h('p', { class: 'muted' }, 'Names appear here as students join.') : null,
      h('div', { class: 'team-columns' }, teams.map((t) => {
        const members = v.students.filter((s) => s.team === t);
        return h('div', { class: 'team-col', 'data-team-col': t },
          h('h3', null, teamLabel(v, t), h('small', null, ` (${members.length})`)),
          h('ul', null, members.map((s) => this.studentRow(v, s, teams))));
      })),
      v.banned.length > 0
        ? h('div', { class: 'banned' }, h('h3', null, 'Removed'), h('ul', null, v.banned.map((b) =>
            h('li', null, h('span', null, b.nickname), h('button', { 'data-allow': b.id, onclick: () => this.send({ action: 'allow', student: b.id }) }, 'Let back in')))))
        : null,
      h('small', { class: 'note' }, 'Moving a student keeps them on that team when the teams are rebalanced.'),
    );
  }

  private studentRow(v: ClassView, s: StudentV, teams: number[]): HTMLElement {
    if (this.renaming === s.id) {
      const input = h('input', { value: this.renameDraft || s.nickname, maxlength: 20, 'aria-label': `New name for ${s.nickname}`, 'data-rename-input': s.id });
      input.addEventListener('input', () => (this.renameDraft = input.value));
      const done = () => {
        this.renaming = '';
        this.renameDraft = '';
        this.schedule();
        this.keys.delete('students');
      };
      const save = () => {
        if (input.value.trim() !== '' && input.value.trim() !== s.nickname) this.send({ action: 'rename', student: s.id, nickname: input.value.trim() });
        done();
      };
      input.addEventListener('keydown', (e) => {
        if (e.key === 'Enter') save();
        if (e.key === 'Escape') done();
      });
      queueMicrotask(() => input.focus());
      return h('li', { class: 'student editing' }, input, h('button', { class: 'primary', onclick: save }, 'Save'), h('button', { class: 'quiet', onclick: done }, 'Cancel'));
    }
    const move = h('select', { 'aria-label': `Team of ${s.nickname}`, 'data-move': s.id }, teams.map((t) => h('option', { value: String(t) }, teamLabel(v, t))));
    move.value = String(s.team);
    move.addEventListener('change', () => this.send({ action: 'move', student: s.id, team: Number(move.value) }));
    const kick = this.confirmKick === s.id
      ? h('button', { class: 'danger', 'data-kick': s.id, onclick: () => {
          this.confirmKick = '';
          this.send({ action: 'kick', student: s.id });
        } }, 'Sure? Remove')
      : h('button', { class: 'quiet', 'data-kick-ask': s.id, 'aria-label': `Remove ${s.nickname}`, onclick: () => {
          this.confirmKick = s.id;
          this.keys.delete('students');
          this.schedule();
          setTimeout(() => {
            if (this.confirmKick !== s.id) return;
            this.confirmKick = '';
            this.keys.delete('students');
            this.schedule();
          }, 4000);
        } }, 'Remove');
    return h(
      'li',
      { class: `student${s.connected ? '' : ' away'}`, 'data-student': s.nickname },
      h('span', { class: 'name' }, s.nickname, s.connected ? null : h('small', null, ' away'), s.pinned ? h('small', null, ' (placed by you)') : null),
      move,
      h('button', { class: 'quiet', 'data-rename': s.id, 'aria-label': `Rename ${s.nickname}`, onclick: () => {
        this.renaming = s.id;
        this.renameDraft = s.nickname;
        this.keys.delete('students');
        this.schedule();
      } }, 'Rename'),
      kick,
    );
  }

  // ---------------------------------------------------------------------------------
  // Every team, live; the results

  private updateTeams(v: ClassView): void {
    const show = v.phase === 'running' && v.teams.length > 0;
    this.teamsBox.hidden = !show;
    if (!show || !this.changed('teams', v.teams)) return;
    replace(this.teamsBox, h('h2', null, 'Every team now'), h('div', { class: 'team-grid small' }, v.teams.map((t) => teamPanel(t))));
  }

  private updateResults(v: ClassView): void {
    this.resultsBox.hidden = v.results.length === 0;
    if (v.results.length === 0 || !this.changed('results', [v.results.length, v.code])) return;
    const last = v.results[v.results.length - 1]!;
    const rounds = h('div', { class: 'stored-rounds', 'aria-live': 'polite' }, h('p', { class: 'muted' }, 'Looking for the recorded rounds…'));
    replace(
      this.resultsBox,
      h('div', { class: 'results-head' }, h('h2', null, 'Results'), csvButton(v.results, v.code)),
      teamTable(last),
      studentTable(last),
      v.results.length > 1
        ? h('details', null, h('summary', null, 'Earlier rounds'), v.results.slice(0, -1).reverse().map((r) => h('div', null, teamTable(r), studentTable(r))))
        : null,
      h('h3', null, 'Every recorded round of this class'),
      rounds,
    );
    // A server that keeps no recordings gives no replay ids: nothing to ask it for.
    const recorded = v.results.some((r) => r.teams.some((t) => t.replayId !== ''));
    if (!recorded) replace(rounds, h('p', { class: 'muted' }, 'This server keeps no recordings, so there are no replays to list.'));
    else if (this.roundsFor !== `${v.sessionId}|${v.results.length}`) {
      this.roundsFor = `${v.sessionId}|${v.results.length}`;
      void this.listStored(v.sessionId, rounds);
    }
  }

  private async listStored(sessionId: string, into: HTMLElement): Promise<void> {
    const got = await listRounds({ session: sessionId });
    if (!got.ok) {
      replace(into, h('p', { class: 'muted' }, got.status === 503 ? 'This server keeps no recordings, so there are no replays to list.' : got.error));
      return;
    }
    if (got.value.length === 0) {
      replace(into, h('p', { class: 'muted' }, 'No recorded rounds yet.'));
      return;
    }
    replace(into, h('ul', { class: 'round-links' }, got.value.map((r) =>
      h('li', null, h('a', { href: replayLink(r.id), target: '_blank', rel: 'noopener' }, `${getScenario(r.scenario)?.title ?? r.scenario}: ${r.players.join(', ') || 'bots only'}`),
        h('small', null, ` · score ${r.score ?? '–'} · ${r.status === 'finished' ? 'finished' : r.status === 'live' ? 'still playing' : 'ended early'} · ${new Date(r.startedAt).toLocaleTimeString()}`)))));
  }
}

// ---------------------------------------------------------------------------------

function select(id: string, options: readonly (readonly [string, string])[]): HTMLSelectElement {
  return h('select', { id }, options.map(([value, label]) => h('option', { value }, label)));
}

function numberSelect(id: string, values: readonly number[], words: (n: number) => string): HTMLSelectElement {
  return select(id, values.map((n) => [String(n), words(n)]));
}

function field(id: string, label: string, input: HTMLElement): HTMLElement {
  return h('div', { class: 'field' }, h('label', { for: id }, label), input);
}

function secondsWords(s: number): string {
  return s === 0 ? 'none (skip it)' : lengthWords(s);
}

const minutesWords = lengthWords;

/** The server's refusal as a sentence. */
function sentence(s: string): string {
  return s === '' ? s : `${s[0]!.toUpperCase()}${s.slice(1)}${/[.!?]$/.test(s) ? '' : '.'}`;
}
