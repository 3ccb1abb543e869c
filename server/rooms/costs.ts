// What a room's work costs in wall-clock time, for the benchmark (test/bench) and the
// monitor. Timing lives here, around the round, so the round itself never reads a clock.

/** Keep this many samples of each kind. */
export const COST_SAMPLES = 20_000;

export class RoomCosts {
  /**
   * Wall-clock ms, most recent COST_SAMPLES: each fixed simulation step (with its commands
   * and bots; an interval's steps share its time evenly), each projection, and each
   * simulation interval (its steps and projection).
   */
  readonly step: number[] = [];
  readonly projection: number[] = [];
  readonly interval: number[] = [];
  /** Live intervals measured since the room began (the arrays above keep only the latest): a reader takes the tail it has not seen. */
  intervals = 0;
  /** Closing the round (finishSim + summary): wall-clock ms in all, and its longest single slice. */
  endMs = 0;
  endLongestSliceMs = 0;
  /** The longest closing slice less the time the process waited in it for a core (only with coreWaitMs). */
  endLongestSliceOnCoreMs = 0;
  /**
   * How long this thread has waited for a core so far (ms), where the platform says: the
   * benchmark sets it (Linux's schedstat), to tell a slice that took long from one that
   * waited for a machine shared with other work. Null: not measured.
   */
  static coreWaitMs: (() => number) | null = null;

  /** One live interval took `ms`: `steps` steps, and `projectionMs` of it projecting (0: no projection). */
  liveInterval(ms: number, steps: number, projectionMs: number): void {
    if (projectionMs > 0) sample(this.projection, projectionMs);
    if (steps === 0) return;
    const each = Math.max(0, ms - projectionMs) / steps;
    for (let i = 0; i < steps; i++) sample(this.step, each);
    sample(this.interval, ms);
    this.intervals++;
  }

  /** One slice of the closing: `run` runs it and returns its wall-clock ms. */
  closingSlice(run: () => number): void {
    const wait = RoomCosts.coreWaitMs;
    const w0 = wait?.() ?? 0;
    const ms = run();
    this.endMs += ms;
    this.endLongestSliceMs = Math.max(this.endLongestSliceMs, ms);
    if (wait !== null) this.endLongestSliceOnCoreMs = Math.max(this.endLongestSliceOnCoreMs, ms - (wait() - w0));
  }
}

function sample(into: number[], ms: number): void {
  into.push(ms);
  if (into.length > COST_SAMPLES) into.splice(0, into.length - COST_SAMPLES);
}
