// The replay's playback controls: play and pause, a simulated second back or forward, the
// previous or next event on the timeline, the speed, and where the playback is. The screen
// adds its own items at the row's end (the history's progress, "Branch from here").

import { attr, h, text } from '../dom.js';
import { PlaybackReadout } from './readout.js';
import { SpeedPicker } from './speeds.js';

export interface ReplayControlsHost {
  togglePlay(): void;
  /** Move by `ticks` (negative: back). */
  step(ticks: number): void;
  jumpEvent(dir: 1 | -1): void;
  setSpeed(speed: number): void;
}

export interface ControlsState {
  playing: boolean;
  tick: number;
  endTick: number;
  tickMs: number;
  speed: number;
  /** PlaybackClock.behind(). */
  behind: number | null;
}

export class ReplayControls {
  readonly el: HTMLElement;
  readonly speeds: SpeedPicker;
  private playBtn = h('button', { class: 'primary', 'data-replay': 'play', 'aria-keyshortcuts': 'Space' }, '▶ Play');
  private readout = new PlaybackReadout('data-replay');

  constructor(tickMs: number, speed: number, host: ReplayControlsHost, extras: HTMLElement[]) {
    this.playBtn.onclick = () => host.togglePlay();
    this.speeds = new SpeedPicker(speed, (s) => host.setSpeed(s));
    const second = oneSecondTicks(tickMs);
    this.el = h(
      'div',
      { class: 'replay-controls' },
      this.playBtn,
      h('button', { 'data-replay': 'back', title: 'One simulated second back (←)', 'aria-label': 'One second back', onclick: () => host.step(-second) }, '−1 s'),
      h('button', { 'data-replay': 'forward', title: 'One simulated second forward (→)', 'aria-label': 'One second forward', onclick: () => host.step(second) }, '+1 s'),
      h('button', { 'data-replay': 'prev-event', title: 'Previous event on the timeline ([)', 'aria-label': 'Previous event', onclick: () => host.jumpEvent(-1) }, '◀ event'),
      h('button', { 'data-replay': 'next-event', title: 'Next event on the timeline (])', 'aria-label': 'Next event', onclick: () => host.jumpEvent(1) }, 'event ▶'),
      this.speeds.els,
      this.readout.clock,
      this.readout.note,
      extras,
    );
  }

  update(s: ControlsState): void {
    text(this.playBtn, playLabel(s.playing, s.tick >= s.endTick));
    attr(this.playBtn, 'aria-pressed', String(s.playing));
    this.readout.update({ tick: s.tick, endTick: s.endTick, tickMs: s.tickMs, behind: s.behind, asked: s.speed });
  }
}

/** The play button's words: pause while playing, play again at the end. */
export function playLabel(playing: boolean, atEnd: boolean): string {
  return playing ? '❚❚ Pause' : atEnd ? '↺ Play again' : '▶ Play';
}

/** A simulated second in ticks (at least one). */
export function oneSecondTicks(tickMs: number): number {
  return Math.max(1, Math.round(1000 / tickMs));
}
