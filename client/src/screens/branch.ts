// A branch on screen: the round screen, now playable, running the branch (replay/branch.ts)
// in this browser at 1× or faster, with a small dock (pause, speed, time, leave). When the
// round's time is up it is closed as the server closes a round and set beside the original:
// each measure for both, and the difference in words.

import { h, replace, text } from '../dom.js';
import { clockTime, int, ms, percent } from '../format.js';
import { Branch } from '../replay/branch.js';
import { PlaybackClock, RENDER_EVERY_MS, SPEEDS } from '../replay/clock.js';
import { compareSummaries, inWords, verdict } from '../replay/compare.js';
import { SimStage, type Seat } from '../replay/stage.js';
import { RoundScreen } from './round.js';
import { describe } from '../round/setup.js';
import type { Recording } from '../../../shared/replay/recording.js';
import type { Sim } from '../../../shared/sim/engine.js';
import type { Summary } from '../../../shared/sim/summary.js';
import type { RoundView } from '../view.js';

export interface BranchRunHost {
  toast(text: string, error?: boolean): void;
  /** Back to the replay, at the moment the branch started. */
  back(): void;
  /** Branch again from the same moment. */
  again(): void;
}

export interface BranchRunOptions {
  sim: Sim;
  fromTick: number;
  node: number;
  rec: Recording;
  /** Who ran each node when the branch started (they become bots standing in). */
  seats: readonly (Seat | undefined)[];
  nickname: string;
  /** The original round's summary, when the recording has one. */
  original: Summary | null;
  /** Whether the original ran its whole length, was cut short, or was still being played when fetched. */
  originalStatus: 'finished' | 'interrupted' | 'live';
  /** Works out the original's summary by replaying to the end (slow; only without one). */
  originalFinal(): Summary;
  host: BranchRunHost;
}

const ME = 'you';

export class BranchRun {
  readonly el = h('div', { class: 'branch-screen' });
  mode: 'branch' | 'counting' | 'compare' = 'branch';
  private branch: Branch;
  private stage: SimStage;
  private round: RoundScreen;
  private clock: PlaybackClock;
  private latest: RoundView | null = null;
  private raf = 0;
  private dirty = true;
  private renderedAt = 0;
  /** Left (the screen was replaced): a closing still in slices stops. */
  private gone = false;
  private seats: Seat[];
  private dock = h('section', { class: 'replay-dock branch-dock', 'aria-label': 'Branch controls' });
  private pauseBtn = h('button', { 'data-branch': 'pause', 'aria-keyshortcuts': 'Space' }, '❚❚ Pause');
  private clockText = h('span', { class: 'replay-clock', 'data-branch': 'clock' });
  private speedNote = h('span', { class: 'replay-behind', 'aria-live': 'polite' });
  private status = h('div', { class: 'branch-status', 'aria-live': 'polite' });
  private speedButtons = new Map<number, HTMLButtonElement>();
  private lastChangeShown = 0;
  private result: { original: Summary; branch: Summary } | null = null;

  constructor(private readonly o: BranchRunOptions) {
    this.branch = new Branch(o.sim, o.fromTick, o.node, {
      refused: (_cmd, error) => o.host.toast(`Not done: ${error}`, true),
    });
    this.clock = new PlaybackClock(o.rec.tickMs, () => performance.now());
    this.clock.play();
    this.stage = new SimStage({ preset: o.rec.preset, isPrivate: true });
    this.stage.restart(o.sim);
    this.seats = o.sim.S.nodes.map((_, i) => this.seatOf(i));
    this.buildDock();
    this.round = new RoundScreen(
      {
        view: () => this.latest,
        send: (c) => void this.branch.send(c),
        vote: (proposal, agree) => {
          if (agree) this.branch.configure(proposal);
        },
        ready: () => undefined,
        leave: () => o.host.back(),
        sent: () => this.branch.sent.values(),
        tutorialStep: () => undefined,
      },
      {
        dock: this.dock,
        onKey: (e) => this.onKey(e),
        help: [h('li', null, h('kbd', null, 'Space'), ' pause or go on'), h('li', null, h('kbd', null, '−'), ' ', h('kbd', null, '+'), ' slower or faster')],
        frozen: () => !this.clock.playing,
        coach: false,
      },
    );
    this.render();
    this.el.appendChild(this.round.el);
  }

  mount(): void {
    this.round.mount();
    this.round.select(this.o.node);
    const frame = (now: number) => {
      this.raf = requestAnimationFrame(frame);
      if (this.mode !== 'branch') return;
      if (this.clock.frame(now, this.branch) > 0) this.dirty = true;
      if (this.dirty && (!this.clock.playing || now - this.renderedAt >= RENDER_EVERY_MS)) {
        this.renderedAt = now;
        this.render();
      }
      this.updateDock();
      if (this.branch.over) this.close();
    };
    this.raf = requestAnimationFrame(frame);
  }

  destroy(): void {
    this.gone = true;
    cancelAnimationFrame(this.raf);
    this.raf = 0;
    this.round.destroy();
  }

  view(): RoundView | null {
    return this.latest;
  }

  probe(): { fromTick: number; tick: number; endTick: number; myNode: number; actions: number } {
    return { fromTick: this.o.fromTick, tick: this.branch.tick, endTick: this.branch.endTick, myNode: this.o.node, actions: this.branch.actions };
  }

  /** The two summaries once compared (for the test hook). */
  comparison(): { original: Summary; branch: Summary } | null {
    return this.result;
  }

  // ---------------------------------------------------------------------------------

  private seatOf(i: number): Seat {
    if (i === this.o.node) return { id: ME, nickname: this.o.nickname === '' ? 'You' : this.o.nickname, isBot: false };
    const s = this.o.seats[i];
    // The original's players are away in the branch: bots stand in under their names.
    return s === undefined ? { id: `bot-${i}`, nickname: `Bot ${i}`, isBot: true } : { ...s, isBot: true };
  }

  private render(): void {
    this.dirty = false;
    const S = this.o.sim.S;
    while (this.seats.length < S.nodes.length) this.seats.push(this.seatOf(this.seats.length));
    this.stage.show(this.o.sim, 'live', this.seats);
    this.projectChange();
    this.latest = this.stage.view(ME);
    this.round.update(this.latest);
  }

  /** A settings change shows as the team's vote would: passed, or refused by the cluster. */
  private projectChange(): void {
    const c = this.branch.lastChange;
    if (c === null || c.status === 'open' || c.id === this.lastChangeShown) return;
    this.lastChangeShown = c.id;
    const v = this.stage.state.vote;
    v.id = c.id;
    v.status = c.status;
    v.proposal = JSON.stringify(c.proposal);
    v.proposer = this.seats[this.o.node]!.nickname;
    v.yes = 1;
    v.no = 0;
    v.electorate = 1;
    v.needed = 1;
    v.secondsLeft = 0;
    if (c.status === 'passed') this.o.host.toast(`Settings changed: ${describe(c.proposal)}`);
  }

  private buildDock(): void {
    const rec = this.o.rec;
    const at = clockTime(this.o.fromTick * rec.tickMs);
    this.pauseBtn.onclick = () => this.togglePause();
    const speeds = h('div', { class: 'speeds', role: 'group', 'aria-label': 'Speed' });
    for (const s of SPEEDS) {
      const b = h('button', { 'data-speed': String(s), 'aria-pressed': String(s === this.clock.speed), onclick: () => this.setSpeed(s) }, `${s}×`);
      this.speedButtons.set(s, b);
      speeds.appendChild(b);
    }
    replace(
      this.dock,
      h(
        'div',
        { class: 'replay-banner info', 'data-branch': 'banner' },
        h('b', null, `Your branch from ${at}.`),
        ` You run node N${this.o.node}; bots run the others. The clients and the chaos are the same as in the original round.`,
      ),
      h(
        'div',
        { class: 'replay-controls' },
        this.pauseBtn,
        h('span', { class: 'speed-label' }, 'Speed'),
        speeds,
        this.clockText,
        this.speedNote,
        this.status,
        h('button', { 'data-branch': 'leave', onclick: () => this.o.host.back() }, 'Leave the branch'),
      ),
    );
  }

  private updateDock(): void {
    const rec = this.o.rec;
    text(this.pauseBtn, this.clock.playing ? '❚❚ Pause' : '▶ Go on');
    text(this.clockText, `${clockTime(this.branch.tick * rec.tickMs)} / ${clockTime(this.branch.endTick * rec.tickMs)}`);
    const behind = this.clock.behind();
    text(this.speedNote, behind === null ? '' : `running at ${behind < 1 ? behind.toFixed(2) : behind.toFixed(1)}×: this computer cannot keep up`);
  }

  private togglePause(): void {
    if (this.mode !== 'branch') return;
    if (this.clock.playing) this.clock.pause();
    else this.clock.play();
    this.updateDock();
  }

  private setSpeed(s: number): void {
    this.clock.setSpeed(s);
    for (const [k, b] of this.speedButtons) b.setAttribute('aria-pressed', String(k === s));
  }

  private onKey(e: KeyboardEvent): boolean {
    if (this.mode !== 'branch') return false;
    const target = e.target as HTMLElement | null;
    if (e.key === ' ') {
      if (target?.tagName === 'BUTTON') return false;
      this.togglePause();
      return true;
    }
    if (e.key === '+' || e.key === '=' || e.key === '-' || e.key === '_') {
      const i = SPEEDS.indexOf(this.clock.speed as (typeof SPEEDS)[number]);
      const dir = e.key === '+' || e.key === '=' ? 1 : -1;
      this.setSpeed(SPEEDS[Math.max(0, Math.min(SPEEDS.length - 1, (i < 0 ? 2 : i) + dir))]!);
      return true;
    }
    return false;
  }

  /** Time is up: close the branch as the server closes a round, then compare. */
  private close(): void {
    this.mode = 'counting';
    this.clock.pause();
    text(this.status, 'Time is up: the faults heal, the cluster settles, and the results are counted…');
    this.status.classList.add('counting');
    // The closing runs in slices between frames, so the page keeps drawing meanwhile.
    const steps = this.branch.closing();
    const slice = () => {
      if (this.gone) return;
      const t0 = performance.now();
      while (performance.now() - t0 < 25) {
        if (steps.next().done === true) {
          const branch = this.branch.summary();
          const original = this.o.original ?? this.o.originalFinal();
          this.result = { original, branch };
          this.showComparison(original, branch);
          return;
        }
      }
      setTimeout(slice, 0);
    };
    setTimeout(slice, 30);
  }

  private showComparison(original: Summary, branch: Summary): void {
    this.mode = 'compare';
    this.round.destroy();
    const rec = this.o.rec;
    const at = clockTime(this.o.fromTick * rec.tickMs);
    const rows = compareSummaries(original, branch);
    const sc = this.latest?.scenario;
    const promise: Record<string, string> = sc
      ? { availability: percent(sc.sla.availability), p99: `≤ ${ms(sc.sla.p99Ms)}`, staleReads: `≤ ${int(sc.sla.maxStaleReads)}`, lostWrites: `≤ ${int(sc.sla.maxLostWrites)}`, cost: `≤ ${int(sc.budget.limit)}`, score: '' }
      : {};
    const mark = (b: boolean | null) => (b === null ? '= the same' : b ? '✓ better:' : '✗ worse:');
    replace(
      this.el,
      h(
        'main',
        { class: 'compare debrief', 'data-branch': 'compare' },
        h('h1', null, 'Your branch against the original round'),
        h('p', { class: 'compare-verdict' }, verdict(rows)),
        h(
          'p',
          { class: 'muted' },
          `Both ran ${sc?.title ?? rec.scenario} with seed ${rec.seed}: the same clients and the same chaos at the same moments. Up to ${at} they are the same round; from ${at} on, you ran node N${this.o.node} and bots ran the other nodes.`,
          this.o.originalStatus === 'interrupted' ? ` The original round was cut short at ${clockTime(rec.lastTick * rec.tickMs)} when the server stopped, so its numbers cover less time than your branch's.` : '',
          this.o.originalStatus === 'live' ? ` The original round was still being played when you opened it: its numbers cover only its first ${clockTime(rec.lastTick * rec.tickMs)}.` : '',
        ),
        h(
          'section',
          { class: 'card' },
          h(
            'div',
            { class: 'table-scroll' },
            h(
            'table',
            { class: 'scorecard compare-table' },
            h('thead', null, h('tr', null, h('th', null, 'Measure'), h('th', null, 'Promised'), h('th', null, 'Original round'), h('th', null, 'Your branch'), h('th', null, 'Your branch, compared'))),
            h(
              'tbody',
              null,
              rows.map((r) =>
                h(
                  'tr',
                  { 'data-measure': r.key },
                  h('td', null, r.label),
                  h('td', { class: 'num' }, promise[r.key] ?? ''),
                  h('td', { class: 'num' }, r.original),
                  h('td', { class: 'num' }, r.branch),
                  h('td', { title: inWords(r) }, h('span', { class: `verdict ${r.better === null ? '' : r.better ? 'met' : 'missed'}` }, mark(r.better)), r.better === null ? '' : ` ${r.diff}`),
                ),
              ),
            ),
            ),
          ),
        ),
        h(
          'div',
          { class: 'row' },
          h('button', { class: 'primary big', 'data-branch': 'again', onclick: () => this.o.host.again() }, `Branch again from ${at}`),
          h('button', { class: 'big', 'data-branch': 'back', onclick: () => this.o.host.back() }, 'Back to the replay'),
        ),
      ),
    );
    window.scrollTo(0, 0);
  }
}
