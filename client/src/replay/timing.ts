// Real time, as the replay screens get it: the browser's clock, timers and animation frames
// behind one small interface, so the logic that paces a replay or a branch's closing takes
// them as a parameter and a test can drive it with a fake clock, frame by frame.

export interface Timing {
  /** Real time in ms (performance.now in the page). */
  now(): number;
  /** Run `fn` once after `ms` of real time. */
  after(ms: number, fn: () => void): void;
  /** Run `fn` at the next animation frame with the frame's time; returns a handle for cancelFrame. */
  frame(fn: (now: number) => void): number;
  cancelFrame(handle: number): void;
}

/** The page's own clock and frames. */
export const browserTiming: Timing = {
  now: () => performance.now(),
  after: (ms, fn) => void setTimeout(fn, ms),
  frame: (fn) => requestAnimationFrame(fn),
  cancelFrame: (handle) => cancelAnimationFrame(handle),
};
