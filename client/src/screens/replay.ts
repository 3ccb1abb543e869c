// The replay viewer: a recorded round re-run in this browser by the shared simulation and
// drawn by the round screen itself (map, HUD, panels), read-only, with a dock of controls
// under it: play and pause, a step of one simulated second either way, speeds from 0.25×
// to 16×, a timeline of the round's events, the checkpoints verified so far, downloads, and
// "Branch from here", which hands the moment to the viewer to play on (screens/branch.ts).
// A divergence from the recorded checkpoints is shown as an error, never passed over.
// Each part of the dock is a panel in replay/ that owns its elements; this screen loads the
// recording, composes the panels and wires them to the replay's engine: the simulation runs
// in a Web Worker (replay/in-worker.ts) so the page stays responsive while it seeks or plays
// fast, or in the page where a browser has no workers (replay/in-page.ts).

import { h, replace } from '../dom.js';
import { clockTime } from '../format.js';
import { recordingText } from '../api.js';
import { Banners, bannersOf } from '../replay/banners.js';
import { askBranch, branchChoices, BranchButton, canBranchAt } from '../replay/branch-ask.js';
import { parseMoment, type Moment } from '../replay/moment.js';
import { mapFps } from '../replay/clock.js';
import { oneSecondTicks, ReplayControls } from '../replay/controls.js';
import { Downloads } from '../replay/downloads.js';
import { playbackKey, onButton } from '../replay/keys.js';
import type { ReplayDriver } from '../replay/driver.js';
import { InPageReplay } from '../replay/in-page.js';
import { WorkerReplay } from '../replay/in-worker.js';
import { shiftedSpeed } from '../replay/speeds.js';
import { seatsAt, type Seat } from '../replay/stage.js';
import { checkpointsWithin, VerificationStatus } from '../replay/status.js';
import { divergedBy } from '../replay/divergence.js';
import { Timeline } from '../replay/timeline.js';
import { browserTiming, type Timing } from '../replay/timing.js';
import { replayTitle } from '../replay/title.js';
import { BranchRun } from './branch.js';
import { RoundScreen } from './round.js';
import { parseRecordingText } from '../../../shared/replay/file.js';
import { ReplayPlayer, type ReplayVerification } from '../../../shared/replay/player.js';
import type { Recording } from '../../../shared/replay/recording.js';
import type { Summary } from '../../../shared/sim/summary.js';
import { toView, type RoundView } from '../view.js';

export type ReplaySource = { kind: 'stored'; id: string } | { kind: 'file'; name: string; text: string };

export interface ReplayHost {
  home(): void;
  lists(): void;
  toast(text: string, error?: boolean): void;
  /** The roster id this browser played under in a stored round, if it remembers one. */
  myIdIn(replayId: string): string | null;
  /** The nickname this browser plays under. */
  nickname(): string;
}

/** What the test hook reports about the replay (window.splitBrain.replay()). */
export interface ReplayProbe {
  mode: 'loading' | 'error' | 'viewer' | 'branch' | 'counting' | 'compare';
  error: string | null;
  tick: number;
  endTick: number;
  tickMs: number;
  playing: boolean;
  /** What is shown answers the latest request (ReplayDriver.answered). */
  answered: boolean;
  speed: number;
  verification: ReplayVerification | null;
  checkpoints: number;
  interrupted: boolean;
  branch: { fromTick: number; tick: number; endTick: number; myNode: number; actions: number } | null;
}

/** The dock's panels, made once the recording is known. */
interface Panels {
  banners: Banners;
  status: VerificationStatus;
  downloads: Downloads;
  controls: ReplayControls;
  branch: BranchButton;
}

export class ReplayScreen {
  readonly el = h('div', { class: 'replay-screen' });
  private rec: Recording | null = null;
  private player: ReplayDriver | null = null;
  private round: RoundScreen | null = null;
  private branch: BranchRun | null = null;
  private timeline: Timeline;
  private panels: Panels | null = null;
  private latest: RoundView | null = null;
  private wasPlaying = false;
  private mode: ReplayProbe['mode'] = 'loading';
  private error: string | null = null;
  private names = new Map<string, string>();
  private mine: string | null = null;
  private dock = h('section', { class: 'replay-dock', 'aria-label': 'Replay controls' });
  private divergenceShown = false;
  /** The screen was left. */
  private gone = false;
  /** The round was still being played when its recording was fetched: it stops where the server had got to. */
  private live = false;

  constructor(
    private readonly host: ReplayHost,
    private readonly source: ReplaySource,
    /** Real time and frames (the page's own unless a test passes others). */
    private readonly timing: Timing = browserTiming,
  ) {
    this.timeline = new Timeline({
      seek: (tick) => this.requestSeek(tick),
      scrubbing: (on) => {
        const p = this.player;
        if (p === null) return;
        if (on) {
          this.wasPlaying = p.playing;
          if (p.playing) p.pause();
        } else if (this.wasPlaying) p.play();
      },
    });
    replace(this.el, h('main', { class: 'replay-message' }, h('h1', null, 'Replay'), h('p', null, 'Loading the recording…')));
  }

  /** Called once the element is in the page. */
  mount(): void {
    void this.load();
  }

  destroy(): void {
    this.gone = true;
    this.player?.destroy();
    this.round?.destroy();
    this.round = null;
    this.branch?.destroy();
    this.branch = null;
  }

  /** The view on screen now (the test hook's view()). */
  view(): RoundView | null {
    if (this.branch !== null) return this.branch.view();
    return this.latest;
  }

  probe(): ReplayProbe {
    const p = this.player;
    const b = this.branch;
    return {
      mode: b !== null ? b.mode : this.mode,
      error: this.error,
      tick: p?.tick ?? 0,
      endTick: p?.endTick ?? 0,
      tickMs: this.rec?.tickMs ?? 50,
      playing: p?.playing ?? false,
      answered: p?.answered ?? true,
      speed: p?.speed ?? 1,
      verification: p === null ? null : { ...p.verification, mismatches: [...p.verification.mismatches] },
      checkpoints: this.checkpointsTotal(),
      interrupted: (this.rec?.interrupted ?? false) && !this.live,
      branch: b === null ? null : b.probe(),
    };
  }

  // ---------------------------------------------------------------------------------
  // Loading

  private async load(): Promise<void> {
    let text: string;
    if (this.source.kind === 'stored') {
      const got = await recordingText(this.source.id);
      if (!got.ok) return this.fail('This replay could not be loaded', got.error);
      text = got.value;
    } else text = this.source.text;
    const parsed = parseRecordingText(text);
    if (!parsed.ok) {
      const what = this.source.kind === 'file' ? `“${this.source.name}” cannot be replayed` : 'This recording cannot be replayed';
      return this.fail(what, parsed.error);
    }
    let rec = parsed.value;
    const planned = Math.round(rec.durationMs / rec.tickMs);
    if (!rec.interrupted && rec.summary === null && rec.lastTick < planned) {
      // Still being played: replay as far as it has been recorded, like a round cut short.
      this.live = true;
      rec = { ...rec, interrupted: true };
    }
    let player: ReplayDriver;
    try {
      player = await openReplay(rec, this.timing);
    } catch (err) {
      return this.fail('This recording cannot be replayed', `The simulation could not start from it: ${err instanceof Error ? err.message : String(err)}`);
    }
    // Left while the replay was starting: its worker goes too.
    if (this.gone) return player.destroy();
    this.start(rec, player);
  }

  private fail(title: string, why: string): void {
    this.mode = 'error';
    this.error = why;
    replace(
      this.el,
      h(
        'main',
        { class: 'replay-message' },
        h('h1', null, title),
        h('p', { class: 'replay-error', role: 'alert', 'data-replay': 'error' }, why),
        h('div', { class: 'row' }, h('button', { class: 'primary', onclick: () => this.host.lists() }, 'Replays and recording files'), h('button', { onclick: () => this.host.home() }, 'Home')),
      ),
    );
  }

  private start(rec: Recording, player: ReplayDriver): void {
    this.rec = rec;
    this.player = player;
    for (const r of [...rec.roster, ...rec.rosterChanges]) if (!this.names.has(r.id) || !r.isBot) this.names.set(r.id, r.nickname);
    this.mine = this.source.kind === 'stored' ? this.host.myIdIn(this.source.id) : null;
    if (this.mine === null || !this.names.has(this.mine)) {
      const nick = this.host.nickname();
      this.mine = nick === '' ? null : (rec.roster.find((r) => !r.isBot && r.nickname === nick)?.id ?? null);
    }
    this.timeline.setSpec({ endTick: player.endTick, plannedTicks: Math.max(player.endTick, Math.round(rec.durationMs / rec.tickMs)), tickMs: rec.tickMs, markers: player.markers, names: this.names });
    this.composeDock(rec);
    this.showViewer();
    void this.goToMoment(parseMoment(location.hash), player, rec);
  }

  /** A moment named in the address (the debrief's "Branch from…"): there, paused, and the branch asked for. */
  private async goToMoment(moment: Moment | null, p: ReplayDriver, rec: Recording): Promise<void> {
    if (moment === null) return;
    p.pause();
    const landed = await p.seek(Math.min(p.endTick, Math.round(moment.ms / rec.tickMs)));
    if (landed && this.mode === 'viewer' && this.branch === null && moment.branch && canBranchAt(p.tick, rec.tickMs, rec.durationMs)) this.askBranch();
  }

  /** The dock: banners, the title with the checkpoints and the links, the controls, the timeline. */
  private composeDock(rec: Recording): void {
    const downloads = new Downloads(rec, this.source.kind === 'stored' ? this.source.id : null, this.host);
    const branch = new BranchButton(() => this.askBranch());
    const controls = new ReplayControls(
      rec.tickMs,
      this.player!.speed,
      {
        togglePlay: () => this.togglePlay(),
        step: (ticks) => this.step(ticks),
        jumpEvent: (dir) => this.jumpEvent(dir),
        setSpeed: (s) => this.setSpeed(s),
      },
      [downloads.progress, branch.el],
    );
    const p: Panels = { banners: new Banners(), status: new VerificationStatus(), downloads, controls, branch };
    this.panels = p;
    replace(this.dock, p.banners.el, h('div', { class: 'replay-head' }, replayTitle(rec, this.mine), p.status.el, downloads.el), controls.el, this.timeline.el);
  }

  // ---------------------------------------------------------------------------------
  // The viewer

  private showViewer(): void {
    this.mode = 'viewer';
    this.round?.destroy();
    this.round = new RoundScreen(
      {
        view: () => this.latest,
        send: () => undefined,
        vote: () => undefined,
        ready: () => undefined,
        leave: () => this.host.lists(),
        sent: () => [],
        tutorialStep: () => undefined,
      },
      {
        readOnly: 'This is a replay of what happened. To make your own decisions from this moment on, press “Branch from here”.',
        dock: this.dock,
        onKey: (e) => this.onKey(e),
        help: [
          h('li', null, h('kbd', null, 'Space'), ' play or pause the replay'),
          h('li', null, h('kbd', null, '←'), ' ', h('kbd', null, '→'), ' one simulated second back or forward'),
          h('li', null, h('kbd', null, '['), ' ', h('kbd', null, ']'), ' the previous or next event on the timeline'),
          h('li', null, h('kbd', null, '−'), ' ', h('kbd', null, '+'), ' slower or faster'),
        ],
        frozen: () => !(this.player?.playing ?? false),
        coach: false,
      },
    );
    const p = this.player!;
    const round = this.round;
    p.start({ shown: () => this.render(), settled: () => this.updateDock() });
    replace(this.el, round.el);
    round.mount();
    const first = this.mineNode() ?? 0;
    round.select(first);
  }

  private render(): void {
    const p = this.player;
    if (p === null || p.state === null) return;
    this.latest = toView(p.state, '');
    this.round?.update(this.latest);
    this.timeline.setTick(p.tick);
  }

  private seats(tick: number): Seat[] {
    const rec = this.rec!;
    return seatsAt(rec.roster, rec.rosterChanges, tick);
  }

  private updateDock(): void {
    const p = this.player;
    const rec = this.rec;
    const panels = this.panels;
    if (p === null || rec === null || panels === null) return;
    this.round?.paceMap(mapFps(p.playing, p.speed));
    panels.controls.update({ playing: p.playing, tick: p.tick, endTick: p.endTick, tickMs: rec.tickMs, speed: p.speed, behind: p.behind() });
    const v = p.verification;
    panels.status.update(v, this.checkpointsTotal());
    panels.branch.update(p.tick, rec.tickMs, rec.durationMs);
    if (divergedBy(v, p.tick) && !this.divergenceShown) {
      this.divergenceShown = true;
      // Playing on would only show more of a round that did not happen: stop and say so.
      p.pause();
    }
    panels.banners.show(bannersOf({ verification: v, tickMs: rec.tickMs, endTick: p.endTick, durationMs: rec.durationMs, live: this.live, interrupted: rec.interrupted }));
  }

  private checkpointsTotal(): number {
    const p = this.player;
    const rec = this.rec;
    if (p === null || rec === null) return 0;
    return checkpointsWithin(rec.checkpoints, p.endTick);
  }

  // ---------------------------------------------------------------------------------
  // Controls

  private togglePlay(): void {
    const p = this.player;
    if (p === null) return;
    this.timeline.setNote('');
    if (p.playing) p.pause();
    else {
      if (p.tick >= p.endTick) void p.seek(0);
      p.play();
    }
    this.updateDock();
  }

  private setSpeed(s: number): void {
    this.player?.setSpeed(s);
    this.panels?.controls.speeds.show(s);
    this.updateDock();
  }

  private step(ticks: number): void {
    const p = this.player;
    if (p === null) return;
    p.pause();
    this.requestSeek(Math.max(0, Math.min(p.endTick, p.tick + ticks)));
  }

  private jumpEvent(dir: 1 | -1): void {
    const t = this.timeline.neighbour(dir);
    if (t === null) {
      this.timeline.setNote(dir === 1 ? 'No more events after this moment.' : 'No events before this moment.');
      return;
    }
    this.player?.pause();
    this.requestSeek(t);
    this.timeline.setNote(`${clockTime(t * (this.rec?.tickMs ?? 50))} · ${this.timeline.wordsAt(t)}`);
  }

  /** A fast drag along the timeline asks for many seeks: each replaces the one before. */
  private requestSeek(tick: number): void {
    void this.player?.seek(tick);
  }

  private onKey(e: KeyboardEvent): boolean {
    if (this.mode !== 'viewer') return false;
    const second = oneSecondTicks(this.rec?.tickMs ?? 50);
    switch (playbackKey(e.key, onButton(e))) {
      case 'toggle':
        this.togglePlay();
        return true;
      case 'forward':
        this.step(second);
        return true;
      case 'back':
        this.step(-second);
        return true;
      case 'next-event':
        this.jumpEvent(1);
        return true;
      case 'previous-event':
        this.jumpEvent(-1);
        return true;
      case 'faster':
        this.setSpeed(shiftedSpeed(this.player?.speed ?? 1, 1));
        return true;
      case 'slower':
        this.setSpeed(shiftedSpeed(this.player?.speed ?? 1, -1));
        return true;
      case null:
        return false;
    }
  }

  // ---------------------------------------------------------------------------------
  // Branching

  /** The node of the player whose round this is, when known. */
  private mineNode(): number | null {
    const p = this.player;
    if (p === null || this.mine === null) return null;
    const seats = this.seats(p.tick);
    const i = seats.findIndex((s) => s !== undefined && s.id === this.mine);
    return i >= 0 ? i : null;
  }

  private askBranch(): void {
    const p = this.player;
    const rec = this.rec;
    if (p === null || rec === null || this.latest === null) return;
    p.pause();
    askBranch(p.tick * rec.tickMs, branchChoices(this.latest.nodes, this.mine, this.mineNode()), (node) => void this.startBranch(node));
  }

  private async startBranch(node: number): Promise<void> {
    const p = this.player;
    const rec = this.rec;
    if (p === null || rec === null || this.branch !== null) return;
    const fromTick = p.tick;
    const sim = await p.branchSim();
    if (this.mode !== 'viewer' || this.branch !== null) return;
    // A round the server never closed: its own ending is worked out meanwhile, for the comparison.
    let final: Summary | null = null;
    if (rec.summary === null) void p.finalSummary().then((s) => (final = s));
    p.stop();
    this.round?.destroy();
    this.round = null;
    this.mode = 'branch';
    const seats = this.seats(fromTick);
    const original = rec.summary;
    this.branch = new BranchRun({
      sim,
      fromTick,
      node,
      rec,
      seats,
      nickname: this.host.nickname(),
      original,
      originalStatus: this.live ? 'live' : rec.interrupted ? 'interrupted' : 'finished',
      // (Should the branch end before the worker has answered, the page works it out itself.)
      originalFinal: () => final ?? new ReplayPlayer(rec).finalSummary(),
      host: {
        toast: (t, err) => this.host.toast(t, err),
        back: () => this.leaveBranch(),
        again: () => {
          this.leaveBranch();
          this.askBranch();
        },
      },
      timing: this.timing,
    });
    replace(this.el, this.branch.el);
    this.branch.mount();
  }

  private leaveBranch(): void {
    this.branch?.destroy();
    this.branch = null;
    this.showViewer();
  }
}

/**
 * The replay's engine: its simulation in a worker, so the page stays responsive; in the page
 * where this browser has no workers or the worker cannot start.
 */
async function openReplay(rec: Recording, timing: Timing): Promise<ReplayDriver> {
  if (typeof Worker !== 'undefined') {
    try {
      return await WorkerReplay.open(rec);
    } catch (err) {
      // A recording the simulation cannot start from fails in the page too, and says why there.
      console.warn('replay: the worker could not run this replay, running it in the page', err);
    }
  }
  return new InPageReplay(rec, new ReplayPlayer(rec), timing);
}
