// How a room paces its round's closing: steps of a few ms, run back to back within a slice
// of wall-clock time, the slices an interval apart so the other rooms of the process keep
// their pace. A slice stops before it would run past its budget: another step starts only
// while the slice would still end in time were that step as long as the longest step of this
// slice or the one before. A step longer than any lately still overruns, but by itself only,
// and an outlier (a garbage collection, the process waiting for a core) shortens one slice
// after it, not the rest of the closing.

/**
 * The wall-clock time a closing slice aims to stay within (ms): with the headroom kept for
 * one more step, a slice ends under about 20 ms (test/bench/server.bench.ts measures it).
 */
export const CLOSING_BUDGET_MS = 15;

export class ClosingSlices {
  /** The longest step of the previous slice (ms). */
  private lastLongestMs = 0;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /**
   * Run `step` — which returns whether any work is left — at least once, then again while
   * the next step should still end within `budgetMs`. Returns the slice's length (ms).
   */
  run(step: () => boolean, budgetMs = CLOSING_BUDGET_MS): number {
    const t0 = this.now();
    let longest = 0;
    let elapsed = 0;
    for (;;) {
      const s0 = this.now();
      const more = step();
      const end = this.now();
      longest = Math.max(longest, end - s0);
      elapsed = end - t0;
      if (!more || elapsed + Math.max(longest, this.lastLongestMs) > budgetMs) break;
    }
    this.lastLongestMs = longest;
    return elapsed;
  }
}
