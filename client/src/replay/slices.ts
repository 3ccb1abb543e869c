// Long work done in slices between frames, so the page keeps drawing meanwhile: a branch's
// closing (the faults heal, the cluster settles) takes seconds of simulation.

import type { Timing } from './timing.js';

export interface SliceOptions {
  /** Real time one slice may take, ms. */
  sliceMs: number;
  /** Wait before the first slice, ms (lets the page show that the work has started). */
  firstAfterMs: number;
  /** True once the work is not wanted any more (the screen was left): no more slices. */
  stopped(): boolean;
  /** Called once, after the last step. */
  done(): void;
}

/** Run `steps` to the end, a slice of real time per timer turn. */
export function runInSlices(steps: Iterator<unknown>, timing: Timing, o: SliceOptions): void {
  const slice = () => {
    if (o.stopped()) return;
    const t0 = timing.now();
    while (timing.now() - t0 < o.sliceMs) {
      if (steps.next().done === true) {
        o.done();
        return;
      }
    }
    timing.after(0, slice);
  };
  timing.after(o.firstAfterMs, slice);
}
