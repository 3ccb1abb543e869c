// Playing a simulation at a speed: each animation frame owes speed × the real time since the
// last frame, in fixed ticks. A frame spends at most a few milliseconds stepping; what it
// cannot do is dropped rather than carried over, so a big scenario at 16× runs as fast as
// this computer manages (and says how fast that is) instead of freezing the page.
// The real time it measures its budget by comes in from outside (performance.now in the
// page, a fake clock in tests), so its behaviour under load can be checked exactly.

export const SPEEDS = [0.25, 0.5, 1, 2, 4, 8, 16] as const;

/** Anything that moves forward in ticks: the replay player, a branch. */
export interface Steppable {
  readonly tick: number;
  readonly endTick: number;
  stepTo(tick: number): void;
}

/** Stepping work allowed per frame, ms of real time (a frame at 60 Hz is ~16 ms)... */
export const FRAME_BUDGET_MS = 12;
/** ...or as much as the rest of the frame takes (drawing), up to this: on a computer that draws slowly, half of each frame still goes to the simulation. */
export const MAX_FRAME_BUDGET_MS = 40;
/** How often the screens are redrawn from the simulation while it plays (the live room patches at 20 Hz). */
export const RENDER_EVERY_MS = 50;
/**
 * ...and while it plays faster than real time: a few times a wall second. The numbers then
 * change faster than anyone reads them, and each redraw costs the page its style, layout and
 * painting (two thirds of a slow computer's page at 16×), time the simulation needs.
 */
export const FAST_RENDER_EVERY_MS = 250;
/** How many times a wall second the map is drawn while the playback runs faster than real time (0: every frame). */
export const FAST_MAP_FPS = 4;

/** How long the screens wait between two redraws while playing at `speed`. */
export function renderEveryMs(speed: number): number {
  return speed > 1 ? FAST_RENDER_EVERY_MS : RENDER_EVERY_MS;
}

/** How many times a wall second the map is drawn (RoundScreen.paceMap): every frame unless playing faster than real time. */
export function mapFps(playing: boolean, speed: number): number {
  return playing && speed > 1 ? FAST_MAP_FPS : 0;
}
/** The achieved speed is measured over about this much real time. */
const MEASURE_MS = 1000;

export class PlaybackClock {
  speed = 1;
  playing = false;
  private owed = 0;
  private last = -1;
  private samples: { real: number; sim: number }[] = [];
  /** Real time the last frame spent stepping, to tell the drawing's share of a frame from ours. */
  private stepped = 0;

  constructor(
    private readonly tickMs: number,
    /** Real time in ms, for the stepping budget (the page passes performance.now). */
    private readonly now: () => number,
  ) {}

  play(): void {
    this.playing = true;
    this.last = -1;
    this.samples = [];
  }

  pause(): void {
    this.playing = false;
    this.owed = 0;
    this.samples = [];
  }

  setSpeed(speed: number): void {
    this.speed = speed;
    this.samples = [];
  }

  /**
   * Advance `target` for one animation frame; returns how many ticks it moved. `halt`, asked
   * after every tick, stops the playback right there (a replay that has just left the
   * recorded round stops at that tick, not at the end of a 16× frame's worth of them).
   */
  frame(now: number, target: Steppable, halt?: () => boolean): number {
    if (!this.playing) return 0;
    if (this.last < 0) {
      this.last = now;
      return 0;
    }
    // A hidden tab's frames stop: do not try to catch up on the time it was away.
    const real = Math.min(250, Math.max(0, now - this.last));
    this.last = now;
    this.owed += (this.speed * real) / this.tickMs;
    const want = Math.min(Math.floor(this.owed), target.endTick - target.tick);
    const others = Math.max(0, real - this.stepped);
    const budget = Math.min(MAX_FRAME_BUDGET_MS, Math.max(FRAME_BUDGET_MS, others));
    const t0 = this.now();
    let done = 0;
    let halted = false;
    while (done < want) {
      // One tick at a time, so the budget check comes often on a slow scenario.
      target.stepTo(target.tick + 1);
      done++;
      if (halt !== undefined && halt()) {
        halted = true;
        break;
      }
      if (this.now() - t0 > budget) break;
    }
    this.stepped = this.now() - t0;
    this.owed -= done;
    // Whatever could not be done this frame is not owed any more: falling behind slows the
    // replay down; it never piles up work for later frames.
    if (this.owed >= 1) this.owed = this.owed % 1;
    this.samples.push({ real, sim: done * this.tickMs });
    let sum = 0;
    for (let i = this.samples.length - 1; i >= 0; i--) {
      sum += this.samples[i]!.real;
      if (sum > MEASURE_MS) {
        this.samples.splice(0, i);
        break;
      }
    }
    if (halted || target.tick >= target.endTick) this.pause();
    return done;
  }

  /**
   * The speed really achieved over the last second, when it is clearly below the one asked
   * for (null while it keeps up, or before there is a second to judge by).
   */
  behind(): number | null {
    if (!this.playing) return null;
    let real = 0;
    let sim = 0;
    for (const s of this.samples) {
      real += s.real;
      sim += s.sim;
    }
    if (real < 600) return null;
    const achieved = sim / real;
    return achieved < this.speed * 0.85 ? achieved : null;
  }
}
