// The loop that plays a replay or a branch: once an animation frame the playback clock moves
// the simulation, and the screens are redrawn from it — at once when something changed while
// paused, at most every RENDER_EVERY_MS while playing (the live room patches at 20 Hz) and
// every FAST_RENDER_EVERY_MS faster than real time (renderEveryMs), so the time saved goes to
// the simulation a fast replay of a big scenario needs.

import { renderEveryMs, type PlaybackClock, type Steppable } from './clock.js';
import type { Timing } from './timing.js';

export interface PlaybackLoopHooks {
  /** The clock and what it moves this frame; null skips the frame (nothing is playing here now). */
  playing(): { clock: PlaybackClock; target: Steppable; halt?: () => boolean } | null;
  /** Before the clock moves: where a seek asked for since the last frame is done. */
  beforeStep?(): void;
  /** Redraw the screens from the simulation. */
  draw(): void;
  /** After every frame played: the dock's texts, the end of a branch. */
  afterFrame(): void;
}

export class PlaybackLoop {
  private dirty = true;
  private drawnAt = 0;
  private handle = 0;

  constructor(
    private readonly hooks: PlaybackLoopHooks,
    private readonly timing: Timing,
  ) {}

  /** Something on screen is out of date: redraw at the next frame that may. */
  invalidate(): void {
    this.dirty = true;
  }

  /** Redraw now, whatever the frame. */
  draw(): void {
    this.dirty = false;
    this.hooks.draw();
  }

  start(): void {
    this.stop();
    const frame = (now: number) => {
      this.handle = this.timing.frame(frame);
      this.step(now);
    };
    this.handle = this.timing.frame(frame);
  }

  stop(): void {
    this.timing.cancelFrame(this.handle);
    this.handle = 0;
  }

  private step(now: number): void {
    const p = this.hooks.playing();
    if (p === null) return;
    this.hooks.beforeStep?.();
    if (p.clock.frame(now, p.target, p.halt) > 0) this.dirty = true;
    if (this.dirty && (!p.clock.playing || now - this.drawnAt >= renderEveryMs(p.clock.speed))) {
      this.drawnAt = now;
      this.draw();
    }
    this.hooks.afterFrame();
  }
}
