// A branch's dock: which moment and node it started from, pause or go on, the speed (the
// replay's own picker), where it is, its status while it closes, and the way back.

import { h, text } from '../dom.js';
import { clockTime } from '../format.js';
import { PlaybackReadout } from './readout.js';
import { SpeedPicker } from './speeds.js';

export interface BranchDockHost {
  togglePause(): void;
  setSpeed(speed: number): void;
  leave(): void;
}

export class BranchDock {
  readonly el = h('section', { class: 'replay-dock branch-dock', 'aria-label': 'Branch controls' });
  readonly speeds: SpeedPicker;
  private pauseBtn = h('button', { 'data-branch': 'pause', 'aria-keyshortcuts': 'Space' }, '❚❚ Pause');
  private readout = new PlaybackReadout('data-branch');
  private status = h('div', { class: 'branch-status', 'aria-live': 'polite' });

  constructor(o: { fromMs: number; node: number; speed: number }, host: BranchDockHost) {
    this.pauseBtn.onclick = () => host.togglePause();
    this.speeds = new SpeedPicker(o.speed, (s) => host.setSpeed(s));
    this.el.append(
      h('div', { class: 'replay-banner info', 'data-branch': 'banner' }, h('b', null, `Your branch from ${clockTime(o.fromMs)}.`), ` You run node N${o.node}; bots run the others. The clients and the chaos are the same as in the original round.`),
      h('div', { class: 'replay-controls' }, this.pauseBtn, this.speeds.els, this.readout.clock, this.readout.note, this.status, h('button', { 'data-branch': 'leave', onclick: () => host.leave() }, 'Leave the branch')),
    );
  }

  update(s: { playing: boolean; tick: number; endTick: number; tickMs: number; behind: number | null }): void {
    text(this.pauseBtn, s.playing ? '❚❚ Pause' : '▶ Go on');
    // A branch's note leaves out the speed asked for.
    this.readout.update({ tick: s.tick, endTick: s.endTick, tickMs: s.tickMs, behind: s.behind, asked: null });
  }

  /** Time is up: say that the results are being counted. */
  counting(): void {
    text(this.status, 'Time is up: the faults heal, the cluster settles, and the results are counted…');
    this.status.classList.add('counting');
  }
}
