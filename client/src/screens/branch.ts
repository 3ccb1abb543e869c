// A branch on screen: the round screen, now playable, running the branch (replay/branch.ts)
// in this browser at 1× or faster, with a small dock (pause, speed, time, leave). When the
// round's time is up it is closed as the server closes a round and set beside the original:
// each measure for both, and the difference in words. The dock, the speed picker, the
// playback loop and the comparison page are replay/ panels the replay viewer shares.

import { actorKey, botActor, botName } from '../../../shared/round/actor.js';
import { h, replace } from '../dom.js';
import { Branch } from '../replay/branch.js';
import { BranchDock } from '../replay/branch-dock.js';
import { mapFps, PlaybackClock } from '../replay/clock.js';
import { comparisonPage } from '../replay/comparison.js';
import { playbackKey, onButton } from '../replay/keys.js';
import { PlaybackLoop } from '../replay/loop.js';
import { runInSlices } from '../replay/slices.js';
import { shiftedSpeed } from '../replay/speeds.js';
import { SimStage, type Seat } from '../replay/stage.js';
import type { Timing } from '../replay/timing.js';
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
  /** Real time and frames (the page's own: browserTiming). */
  timing: Timing;
}

const ME = 'you';

export class BranchRun {
  readonly el = h('div', { class: 'branch-screen' });
  mode: 'branch' | 'counting' | 'compare' = 'branch';
  private branch: Branch;
  private stage: SimStage;
  private round: RoundScreen;
  private clock: PlaybackClock;
  private loop: PlaybackLoop;
  private dock: BranchDock;
  private latest: RoundView | null = null;
  /** Left (the screen was replaced): a closing still in slices stops. */
  private gone = false;
  private seats: Seat[];
  private lastChangeShown = 0;
  private result: { original: Summary; branch: Summary } | null = null;

  constructor(private readonly o: BranchRunOptions) {
    this.branch = new Branch(o.sim, o.fromTick, o.node, {
      refused: (_cmd, error) => o.host.toast(`Not done: ${error}`, true),
    });
    this.clock = new PlaybackClock(o.rec.tickMs, o.timing.now);
    this.clock.play();
    this.loop = new PlaybackLoop(
      {
        playing: () => (this.mode === 'branch' ? { clock: this.clock, target: this.branch } : null),
        draw: () => this.render(),
        afterFrame: () => {
          this.updateDock();
          if (this.branch.over) this.close();
        },
      },
      o.timing,
    );
    this.stage = new SimStage({ preset: o.rec.preset, isPrivate: true });
    this.stage.restart(o.sim);
    this.seats = o.sim.S.nodes.map((_, i) => this.seatOf(i));
    this.dock = new BranchDock(
      { fromMs: o.fromTick * o.rec.tickMs, node: o.node, speed: this.clock.speed },
      { togglePause: () => this.togglePause(), setSpeed: (s) => this.setSpeed(s), leave: () => o.host.back() },
    );
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
        dock: this.dock.el,
        onKey: (e) => this.onKey(e),
        help: [h('li', null, h('kbd', null, 'Space'), ' pause or go on'), h('li', null, h('kbd', null, '−'), ' ', h('kbd', null, '+'), ' slower or faster')],
        frozen: () => !this.clock.playing,
        coach: false,
      },
    );
    this.loop.draw();
    this.el.appendChild(this.round.el);
  }

  mount(): void {
    this.round.mount();
    this.round.select(this.o.node);
    this.loop.start();
  }

  destroy(): void {
    this.gone = true;
    this.loop.stop();
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
    return s === undefined ? { id: actorKey(botActor(i)), nickname: botName(i), isBot: true } : { ...s, isBot: true };
  }

  private render(): void {
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

  private updateDock(): void {
    this.round.paceMap(mapFps(this.clock.playing, this.clock.speed));
    this.dock.update({ playing: this.clock.playing, tick: this.branch.tick, endTick: this.branch.endTick, tickMs: this.o.rec.tickMs, behind: this.clock.behind() });
  }

  private togglePause(): void {
    if (this.mode !== 'branch') return;
    if (this.clock.playing) this.clock.pause();
    else this.clock.play();
    this.updateDock();
  }

  private setSpeed(s: number): void {
    this.clock.setSpeed(s);
    this.dock.speeds.show(s);
  }

  /** Space pauses or goes on, − + change speed; a branch has no seeking. */
  private onKey(e: KeyboardEvent): boolean {
    if (this.mode !== 'branch') return false;
    const key = playbackKey(e.key, onButton(e));
    if (key === 'toggle') this.togglePause();
    else if (key === 'faster' || key === 'slower') this.setSpeed(shiftedSpeed(this.clock.speed, key === 'faster' ? 1 : -1));
    else return false;
    return true;
  }

  /** Time is up: close the branch as the server closes a round, then compare. */
  private close(): void {
    this.mode = 'counting';
    this.clock.pause();
    this.dock.counting();
    // The closing runs in slices between frames, so the page keeps drawing meanwhile.
    runInSlices(this.branch.closing(), this.o.timing, {
      sliceMs: 25,
      firstAfterMs: 30,
      stopped: () => this.gone,
      done: () => {
        const branch = this.branch.summary();
        const original = this.o.original ?? this.o.originalFinal();
        this.result = { original, branch };
        this.showComparison(original, branch);
      },
    });
  }

  private showComparison(original: Summary, branch: Summary): void {
    this.mode = 'compare';
    this.round.destroy();
    const o = this.o;
    replace(
      this.el,
      comparisonPage({ original, branch, rec: o.rec, fromTick: o.fromTick, node: o.node, scenario: this.latest?.scenario, originalStatus: o.originalStatus, again: () => o.host.again(), back: () => o.host.back() }),
    );
    window.scrollTo(0, 0);
  }
}
