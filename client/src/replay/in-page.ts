// The replay run in the page itself, as it was before workers (and still is where a browser
// has none): the player and the stage live here, and the page's animation frames move the
// playback clock. A seek waits for the next frame, so a fast drag along the timeline asks
// for many but only the last one is done.

import { PlaybackClock } from './clock.js';
import { divergedBy } from './divergence.js';
import type { DriverHooks, ReplayDriver } from './driver.js';
import { isJump, moveTo, project } from './frame.js';
import { PlaybackLoop } from './loop.js';
import { SimStage } from './stage.js';
import type { Timing } from './timing.js';
import type { ReplayMarker, ReplayPlayer, ReplayVerification } from '../../../shared/replay/player.js';
import type { Recording } from '../../../shared/replay/recording.js';
import type { Sim } from '../../../shared/sim/engine.js';
import type { Summary } from '../../../shared/sim/summary.js';
import type { PlainClusterState } from '../../../shared/view/plain.js';

export class InPageReplay implements ReplayDriver {
  readonly endTick: number;
  readonly markers: readonly ReplayMarker[];
  private readonly clock: PlaybackClock;
  private readonly stage: SimStage;
  private loop: PlaybackLoop | null = null;
  private drawn = false;
  private pending: { tick: number; done: (landed: boolean) => void } | null = null;

  constructor(
    private readonly rec: Recording,
    private readonly player: ReplayPlayer,
    private readonly timing: Timing,
  ) {
    this.endTick = player.endTick;
    this.markers = player.markers;
    this.clock = new PlaybackClock(rec.tickMs, timing.now);
    this.stage = new SimStage({ preset: rec.preset, isPrivate: !rec.isPublic });
    this.stage.restart(player.sim);
  }

  get tick(): number {
    return this.player.tick;
  }
  get playing(): boolean {
    return this.clock.playing;
  }
  /** Everything happens in the page, at once. */
  get answered(): boolean {
    return true;
  }
  get speed(): number {
    return this.clock.speed;
  }
  get verification(): ReplayVerification {
    return this.player.verification;
  }
  get state(): PlainClusterState | null {
    return this.drawn ? this.stage.state : null;
  }

  behind(): number | null {
    return this.clock.behind();
  }

  play(): void {
    this.clock.play();
    this.loop?.invalidate();
  }

  pause(): void {
    this.clock.pause();
    this.loop?.invalidate();
  }

  setSpeed(speed: number): void {
    this.clock.setSpeed(speed);
  }

  seek(tick: number): Promise<boolean> {
    this.pending?.done(false);
    return new Promise((done) => {
      this.pending = { tick, done };
      this.loop?.invalidate();
    });
  }

  branchSim(): Promise<Sim> {
    return Promise.resolve(this.player.branch());
  }

  finalSummary(): Promise<Summary> {
    return Promise.resolve(this.player.finalSummary());
  }

  start(hooks: DriverHooks): void {
    this.loop?.stop();
    const loop = new PlaybackLoop(
      {
        playing: () => ({ clock: this.clock, target: this.player, halt: () => divergedBy(this.player.verification, this.player.tick) }),
        beforeStep: () => this.seekNow(),
        draw: () => {
          project(this.stage, this.player, this.rec);
          this.drawn = true;
          hooks.shown();
        },
        afterFrame: () => hooks.settled(),
      },
      this.timing,
    );
    this.loop = loop;
    loop.draw();
    loop.start();
  }

  stop(): void {
    this.loop?.stop();
    this.loop = null;
  }

  destroy(): void {
    this.stop();
    this.pending?.done(false);
    this.pending = null;
  }

  private seekNow(): void {
    const ask = this.pending;
    if (ask === null) return;
    this.pending = null;
    const p = this.player;
    const to = Math.max(0, Math.min(p.endTick, ask.tick));
    if (to !== p.tick) {
      const jump = isJump(p.tick, to, this.rec.tickMs);
      moveTo(p, to, jump);
      // A jump: the projection starts afresh from the state found there.
      if (jump) this.stage.restart(p.sim);
      this.loop?.draw();
    }
    ask.done(true);
  }
}
