// The replay viewer: a recorded round re-run in this browser by the shared simulation and
// drawn by the round screen itself (map, HUD, panels), read-only, with a dock of controls
// under it: play and pause, a step of one simulated second either way, speeds from 0.25×
// to 16×, a timeline of the round's events, the checkpoints verified so far, downloads, and
// "Branch from here", which hands the moment to the viewer to play on (screens/branch.ts).
// A divergence from the recorded checkpoints is shown as an error, never passed over.

import { h, replace, text } from '../dom.js';
import { clockTime } from '../format.js';
import { recordingText } from '../api.js';
import { replayUrl } from '../routes.js';
import { PlaybackClock, RENDER_EVERY_MS, SPEEDS } from '../replay/clock.js';
import { copyText } from '../clipboard.js';
import { download, downloadRecording, historyFileName, historyOf } from '../replay/exports.js';
import { seatsAt, SimStage, type Seat } from '../replay/stage.js';
import { Timeline } from '../replay/timeline.js';
import { BranchRun } from './branch.js';
import { RoundScreen } from './round.js';
import { parseRecordingText } from '../../../shared/replay/file.js';
import { ReplayPlayer, type ReplayVerification } from '../../../shared/replay/player.js';
import type { Recording } from '../../../shared/replay/recording.js';
import { getScenario } from '../../../shared/scenarios/index.js';
import type { RoundView } from '../view.js';

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
  speed: number;
  verification: ReplayVerification | null;
  checkpoints: number;
  interrupted: boolean;
  branch: { fromTick: number; tick: number; endTick: number; myNode: number; actions: number } | null;
}

const ONE_SECOND_TICKS = (tickMs: number) => Math.max(1, Math.round(1000 / tickMs));

export class ReplayScreen {
  readonly el = h('div', { class: 'replay-screen' });
  private rec: Recording | null = null;
  private player: ReplayPlayer | null = null;
  private stage: SimStage | null = null;
  private round: RoundScreen | null = null;
  private branch: BranchRun | null = null;
  private clock = new PlaybackClock(50, () => performance.now());
  private timeline: Timeline;
  private latest: RoundView | null = null;
  private raf = 0;
  private dirty = true;
  private renderedAt = 0;
  private pendingSeek: number | null = null;
  private wasPlaying = false;
  private mode: ReplayProbe['mode'] = 'loading';
  private error: string | null = null;
  private names = new Map<string, string>();
  private mine: string | null = null;
  // The dock's parts that change while playing.
  private dock = h('section', { class: 'replay-dock', 'aria-label': 'Replay controls' });
  private banners = h('div', { class: 'replay-banners', 'aria-live': 'polite' });
  private playBtn = h('button', { class: 'primary', 'data-replay': 'play', 'aria-keyshortcuts': 'Space' }, '▶ Play');
  private clockText = h('span', { class: 'replay-clock', 'data-replay': 'clock' });
  private speedNote = h('span', { class: 'replay-behind', 'aria-live': 'polite' });
  private verified = h('span', { class: 'replay-verified', 'data-replay': 'verified' });
  private speedButtons = new Map<number, HTMLButtonElement>();
  private branchBtn = h('button', { class: 'primary', 'data-replay': 'branch' }, 'Branch from here');
  private historyBtn = h('button', { 'data-replay': 'history' }, '⬇ Operation history');
  private progress = h('span', { class: 'replay-progress', 'aria-live': 'polite' });

  private divergenceShown = false;
  /** The round was still being played when its recording was fetched: it stops where the server had got to. */
  private live = false;

  constructor(
    private readonly host: ReplayHost,
    private readonly source: ReplaySource,
  ) {
    this.timeline = new Timeline({
      seek: (tick) => this.requestSeek(tick),
      scrubbing: (on) => {
        if (on) {
          this.wasPlaying = this.clock.playing;
          this.clock.pause();
        } else if (this.wasPlaying) this.clock.play();
        this.dirty = true;
      },
    });
    replace(this.el, h('main', { class: 'replay-message' }, h('h1', null, 'Replay'), h('p', null, 'Loading the recording…')));
  }

  /** Called once the element is in the page. */
  mount(): void {
    void this.load();
  }

  destroy(): void {
    cancelAnimationFrame(this.raf);
    this.raf = 0;
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
      playing: this.clock.playing,
      speed: this.clock.speed,
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
    let player: ReplayPlayer;
    try {
      player = new ReplayPlayer(rec);
    } catch (err) {
      return this.fail('This recording cannot be replayed', `The simulation could not start from it: ${err instanceof Error ? err.message : String(err)}`);
    }
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

  private start(rec: Recording, player: ReplayPlayer): void {
    this.rec = rec;
    this.player = player;
    this.clock = new PlaybackClock(rec.tickMs, () => performance.now());
    for (const r of [...rec.roster, ...rec.rosterChanges]) if (!this.names.has(r.id) || !r.isBot) this.names.set(r.id, r.nickname);
    this.mine = this.source.kind === 'stored' ? this.host.myIdIn(this.source.id) : null;
    if (this.mine === null || !this.names.has(this.mine)) {
      const nick = this.host.nickname();
      this.mine = nick === '' ? null : (rec.roster.find((r) => !r.isBot && r.nickname === nick)?.id ?? null);
    }
    this.stage = new SimStage({ preset: rec.preset, isPrivate: !rec.isPublic });
    this.stage.restart(player.sim);
    this.timeline.setSpec({ endTick: player.endTick, plannedTicks: Math.max(player.endTick, Math.round(rec.durationMs / rec.tickMs)), tickMs: rec.tickMs, markers: player.markers, names: this.names });
    this.showViewer();
  }

  // ---------------------------------------------------------------------------------
  // The viewer

  private showViewer(): void {
    const rec = this.rec!;
    this.mode = 'viewer';
    this.buildDock(rec);
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
        frozen: () => !this.clock.playing,
        coach: false,
      },
    );
    this.dirty = true;
    this.render();
    replace(this.el, this.round.el);
    this.round.mount();
    const first = this.mineNode() ?? 0;
    this.round.select(first);
    this.loop();
  }

  private buildDock(rec: Recording): void {
    const sc = getScenario(rec.scenario);
    const people = rec.roster.filter((r) => !r.isBot).map((r) => `${r.nickname}${r.id === this.mine ? ' (you)' : ''}`);
    const when = formatWhen(rec.startedAt);
    const title = h(
      'div',
      { class: 'replay-title' },
      h('span', { class: 'badge plain replay-badge' }, 'Replay'),
      h('b', null, sc?.title ?? rec.scenario),
      h('small', null, ` ${[people.length > 0 ? `played by ${people.join(', ')}` : 'bots only', when, `${rec.chaos} chaos`, `seed ${rec.seed}`].filter((x) => x !== '').join(' · ')}`),
    );
    const links = h('div', { class: 'replay-links' });
    links.append(h('button', { 'data-replay': 'download', onclick: () => downloadRecording(rec), title: 'Save the recording as a file: it opens again here, even with no server' }, '⬇ Recording'), this.historyBtn);
    this.historyBtn.onclick = () => void this.downloadHistory();
    this.historyBtn.title = 'Every read and write of the round, for a consistency checker (the splitbrain-history format)';
    if (this.source.kind === 'stored') {
      const id = this.source.id;
      links.append(h('button', { 'data-replay': 'copy-link', onclick: () => void this.copyLink(id) }, 'Copy link'));
    }
    links.append(h('button', { onclick: () => this.host.lists() }, 'All replays'));

    this.playBtn.onclick = () => this.togglePlay();
    const speeds = h('div', { class: 'speeds', role: 'group', 'aria-label': 'Speed' });
    this.speedButtons.clear();
    for (const s of SPEEDS) {
      const b = h('button', { 'data-speed': String(s), 'aria-pressed': String(s === this.clock.speed), onclick: () => this.setSpeed(s) }, speedText(s));
      this.speedButtons.set(s, b);
      speeds.appendChild(b);
    }
    const second = ONE_SECOND_TICKS(rec.tickMs);
    this.branchBtn.onclick = () => this.askBranch();
    const controls = h(
      'div',
      { class: 'replay-controls' },
      this.playBtn,
      h('button', { 'data-replay': 'back', title: 'One simulated second back (←)', 'aria-label': 'One second back', onclick: () => this.step(-second) }, '−1 s'),
      h('button', { 'data-replay': 'forward', title: 'One simulated second forward (→)', 'aria-label': 'One second forward', onclick: () => this.step(second) }, '+1 s'),
      h('button', { 'data-replay': 'prev-event', title: 'Previous event on the timeline ([)', 'aria-label': 'Previous event', onclick: () => this.jumpEvent(-1) }, '◀ event'),
      h('button', { 'data-replay': 'next-event', title: 'Next event on the timeline (])', 'aria-label': 'Next event', onclick: () => this.jumpEvent(1) }, 'event ▶'),
      h('span', { class: 'speed-label' }, 'Speed'),
      speeds,
      this.clockText,
      this.speedNote,
      this.progress,
      this.branchBtn,
    );
    replace(this.dock, this.banners, h('div', { class: 'replay-head' }, title, this.verified, links), controls, this.timeline.el);
  }

  private loop(): void {
    cancelAnimationFrame(this.raf);
    const frame = (now: number) => {
      this.raf = requestAnimationFrame(frame);
      if (this.mode !== 'viewer' || this.player === null) return;
      if (this.pendingSeek !== null) {
        const t = this.pendingSeek;
        this.pendingSeek = null;
        this.seekNow(t);
      }
      if (this.clock.frame(now, this.player) > 0) this.dirty = true;
      // While playing, the screens follow at the room's patch rate, not every frame: the
      // time saved goes to the simulation (a fast replay of a big scenario needs it).
      if (this.dirty && (!this.clock.playing || now - this.renderedAt >= RENDER_EVERY_MS)) {
        this.renderedAt = now;
        this.render();
      }
      this.updateDock();
    };
    this.raf = requestAnimationFrame(frame);
  }

  private render(): void {
    const p = this.player;
    const rec = this.rec;
    if (p === null || rec === null || this.stage === null) return;
    this.dirty = false;
    const atEnd = p.tick >= p.endTick;
    const closed = atEnd && !rec.interrupted && rec.summary !== null;
    this.stage.show(p.sim, closed ? 'debrief' : 'live', this.seats(p.tick), closed ? rec.summary : null);
    this.latest = this.stage.view('');
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
    if (p === null || rec === null) return;
    const playing = this.clock.playing;
    text(this.playBtn, playing ? '❚❚ Pause' : p.tick >= p.endTick ? '↺ Play again' : '▶ Play');
    this.playBtn.setAttribute('aria-pressed', String(playing));
    text(this.clockText, `${clockTime(p.tick * rec.tickMs)} / ${clockTime(p.endTick * rec.tickMs)}`);
    const behind = this.clock.behind();
    text(this.speedNote, behind === null ? '' : `running at ${behind < 1 ? behind.toFixed(2) : behind.toFixed(1)}×: this computer cannot keep up with ${speedText(this.clock.speed)}`);
    const v = p.verification;
    const total = this.checkpointsTotal();
    const bad = v.mismatches.length > 0 || v.refused > 0;
    text(this.verified, total === 0 ? 'No checkpoints to verify' : `${bad ? '✗' : '✓'} Checkpoints verified: ${v.matched} of ${total}`);
    this.verified.classList.toggle('bad', bad);
    this.verified.title = 'Every 5 simulated seconds the server noted a fingerprint of the simulation; this browser checks that its own run gives the same fingerprints.';
    // A round cut short can be played on from where its recording stops: that is a branch too.
    const canBranch = p.tick < Math.round(rec.durationMs / rec.tickMs);
    this.branchBtn.disabled = !canBranch;
    this.branchBtn.title = canBranch ? `Play on from ${clockTime(p.tick * rec.tickMs)} with your own decisions` : 'The round is over at this moment: go back a little to branch.';
    this.updateBanners(v);
  }

  private updateBanners(v: ReplayVerification): void {
    const rec = this.rec!;
    const p = this.player!;
    const items: HTMLElement[] = [];
    if (v.mismatches.length > 0 || v.refused > 0) {
      const first = v.mismatches[0];
      const at = first !== undefined ? ` at ${clockTime(first.tick * rec.tickMs)}` : '';
      const refused = v.refused > 0 ? ` ${v.refused} recorded action${v.refused === 1 ? ' was' : 's were'} refused when applied again.` : '';
      items.push(
        h(
          'div',
          { class: 'replay-banner error', role: 'alert', 'data-replay': 'diverged' },
          h('b', null, `✗ This replay diverged from the recorded round${at}.`),
          ` From that moment on, what you see is not what happened in the round: this browser's simulation no longer matches the fingerprints the server recorded.${refused} The recording was probably made by another version of the game, or the file was changed.`,
        ),
      );
      if (!this.divergenceShown) {
        this.divergenceShown = true;
        // Playing on would only show more of a round that did not happen: stop and say so.
        this.clock.pause();
      }
    }
    if (this.live) {
      const end = clockTime(p.endTick * rec.tickMs);
      items.push(h('div', { class: 'replay-banner info', 'data-replay': 'live' }, h('b', null, 'This round is still being played.'), ` The replay covers its first ${end} of ${clockTime(rec.durationMs)}; open it again later to see the rest.`));
    } else if (rec.interrupted) {
      const end = clockTime(p.endTick * rec.tickMs);
      items.push(h('div', { class: 'replay-banner warn', 'data-replay': 'interrupted' }, h('b', null, '⚠ The server stopped during this round.'), ` The recording ends at ${end} of ${clockTime(rec.durationMs)}; nothing after that was played.`));
    }
    const key = items.map((i) => i.textContent).join('|');
    if (this.banners.dataset.key === key) return;
    this.banners.dataset.key = key;
    replace(this.banners, items);
  }

  private checkpointsTotal(): number {
    const p = this.player;
    const rec = this.rec;
    if (p === null || rec === null) return 0;
    return rec.checkpoints.filter((c) => c.tick <= p.endTick).length;
  }

  // ---------------------------------------------------------------------------------
  // Controls

  private togglePlay(): void {
    const p = this.player;
    if (p === null) return;
    this.timeline.setNote('');
    if (this.clock.playing) this.clock.pause();
    else {
      if (p.tick >= p.endTick) this.seekNow(0);
      this.clock.play();
    }
    this.dirty = true;
    this.updateDock();
  }

  private setSpeed(s: number): void {
    this.clock.setSpeed(s);
    for (const [k, b] of this.speedButtons) b.setAttribute('aria-pressed', String(k === s));
    this.updateDock();
  }

  private step(ticks: number): void {
    const p = this.player;
    if (p === null) return;
    this.clock.pause();
    this.requestSeek(Math.max(0, Math.min(p.endTick, p.tick + ticks)));
  }

  private jumpEvent(dir: 1 | -1): void {
    const t = this.timeline.neighbour(dir);
    if (t === null) {
      this.timeline.setNote(dir === 1 ? 'No more events after this moment.' : 'No events before this moment.');
      return;
    }
    this.clock.pause();
    this.requestSeek(t);
    this.timeline.setNote(`${clockTime(t * (this.rec?.tickMs ?? 50))} · ${this.timeline.wordsAt(t)}`);
  }

  /** Seeks wait for the next frame: a fast drag along the timeline asks for many. */
  private requestSeek(tick: number): void {
    this.pendingSeek = tick;
    this.dirty = true;
  }

  private seekNow(tick: number): void {
    const p = this.player;
    if (p === null || this.stage === null) return;
    const to = Math.max(0, Math.min(p.endTick, tick));
    if (to === p.tick) return;
    if (to > p.tick && to - p.tick <= ONE_SECOND_TICKS(this.rec!.tickMs) * 5) p.stepTo(to);
    else {
      p.seek(to);
      // A jump: the projection starts afresh from the state found there.
      this.stage.restart(p.sim);
    }
    this.dirty = true;
    this.render();
  }

  private onKey(e: KeyboardEvent): boolean {
    if (this.mode !== 'viewer') return false;
    const target = e.target as HTMLElement | null;
    const second = ONE_SECOND_TICKS(this.rec?.tickMs ?? 50);
    switch (e.key) {
      case ' ':
        // A focused button takes Space itself (it may be this very button).
        if (target?.tagName === 'BUTTON') return false;
        this.togglePlay();
        return true;
      case 'ArrowRight':
        this.step(second);
        return true;
      case 'ArrowLeft':
        this.step(-second);
        return true;
      case ']':
        this.jumpEvent(1);
        return true;
      case '[':
        this.jumpEvent(-1);
        return true;
      case '+':
      case '=':
        this.shiftSpeed(1);
        return true;
      case '-':
      case '_':
        this.shiftSpeed(-1);
        return true;
      default:
        return false;
    }
  }

  private shiftSpeed(dir: 1 | -1): void {
    const i = SPEEDS.indexOf(this.clock.speed as (typeof SPEEDS)[number]);
    const next = SPEEDS[Math.max(0, Math.min(SPEEDS.length - 1, (i < 0 ? 2 : i) + dir))]!;
    this.setSpeed(next);
  }

  // ---------------------------------------------------------------------------------
  // Exports

  private async downloadHistory(): Promise<void> {
    const rec = this.rec;
    if (rec === null) return;
    this.historyBtn.disabled = true;
    try {
      const json = await historyOf(rec, this.source.kind === 'stored' ? this.source.id : null, (t) => text(this.progress, t));
      download(json, historyFileName(rec));
      text(this.progress, '');
    } catch (err) {
      text(this.progress, '');
      this.host.toast(`The history could not be made: ${err instanceof Error ? err.message : String(err)}`, true);
    } finally {
      this.historyBtn.disabled = false;
    }
  }

  private async copyLink(id: string): Promise<void> {
    const url = replayUrl(id);
    if (await copyText(url)) {
      this.host.toast('Link copied: anyone with it can watch this replay.');
      return;
    }
    // No clipboard here (an insecure page, a refusal): show the link to copy by hand.
    const field = h('input', { value: url, readonly: true, 'aria-label': 'Replay link', style: 'width:100%' });
    const close = () => back.remove();
    const back = h('div', { class: 'modal-back', onclick: (e: Event) => e.target === back && close() }, h('div', { class: 'modal card', role: 'dialog', 'aria-label': 'Replay link' }, h('h2', null, 'Copy this link'), h('p', null, 'Anyone with it can watch this replay.'), field, h('div', { class: 'row', style: 'margin-top:0.8rem' }, h('button', { class: 'primary', onclick: close }, 'Done'))));
    document.body.appendChild(back);
    field.focus();
    field.select();
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
    this.clock.pause();
    const at = clockTime(p.tick * rec.tickMs);
    const v = this.latest;
    const pick = h('select', { id: 'branch-node', 'data-branch': 'node' });
    const def = this.mineNode() ?? v.nodes.find((n) => n.status !== 'removed')?.id ?? 0;
    for (const n of v.nodes) {
      if (n.status === 'removed') continue;
      const who = n.ownerId === this.mine ? `${n.owner} (you)` : n.owner;
      pick.appendChild(h('option', { value: String(n.id) }, `N${n.id} · ${who} · ${n.status}`));
    }
    pick.value = String(def);
    const close = () => back.remove();
    const go = () => {
      close();
      this.startBranch(Number(pick.value));
    };
    const back = h(
      'div',
      { class: 'modal-back', onclick: (e: Event) => e.target === back && close() },
      h(
        'div',
        { class: 'modal card branch-ask', role: 'dialog', 'aria-label': 'Branch from here' },
        h('h2', null, `Branch from ${at}`),
        h('p', null, `Play the rest of this round yourself, from ${at} on, with your own decisions. Bots run the other nodes. The same clients and the same chaos come at the same moments as in the original round, so at the end you can compare the two.`),
        h('label', { for: 'branch-node' }, 'The node you run'),
        h('div', null, pick),
        h('div', { class: 'row', style: 'margin-top:0.8rem' }, h('button', { class: 'primary', 'data-branch': 'start', onclick: go }, 'Start the branch'), h('button', { onclick: close }, 'Cancel')),
      ),
    );
    document.body.appendChild(back);
    pick.focus();
  }

  private startBranch(node: number): void {
    const p = this.player;
    const rec = this.rec;
    if (p === null || rec === null) return;
    cancelAnimationFrame(this.raf);
    this.round?.destroy();
    this.round = null;
    this.mode = 'branch';
    const seats = this.seats(p.tick);
    const original = rec.summary;
    this.branch = new BranchRun({
      sim: p.branch(),
      fromTick: p.tick,
      node,
      rec,
      seats,
      nickname: this.host.nickname(),
      original,
      originalStatus: this.live ? 'live' : rec.interrupted ? 'interrupted' : 'finished',
      originalFinal: () => p.finalSummary(),
      host: {
        toast: (t, err) => this.host.toast(t, err),
        back: () => this.leaveBranch(),
        again: () => {
          this.leaveBranch();
          this.askBranch();
        },
      },
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

function speedText(s: number): string {
  return `${s}×`;
}

function formatWhen(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return d.toLocaleString(undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}
