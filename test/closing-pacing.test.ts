// A room runs its round's closing in slices (server/rooms/closing-slices.ts): each slice
// stops starting steps once one more, as long as the longest lately, would run past the
// budget. A fake clock stands for the steps' durations, so nothing here is timed.

import { describe, expect, it } from 'vitest';
import { ClosingSlices } from '../server/rooms/closing-slices.js';

/** Steps of the given durations (ms) on a fake clock; each slice's step durations are returned. */
function pace(durations: number[], budgetMs: number): number[][] {
  let now = 0;
  let next = 0;
  const slices = new ClosingSlices(() => now);
  const out: number[][] = [];
  while (next < durations.length) {
    const slice: number[] = [];
    const ms = slices.run(() => {
      const d = durations[next++]!;
      now += d;
      slice.push(d);
      return next < durations.length;
    }, budgetMs);
    expect(ms).toBe(slice.reduce((a, b) => a + b, 0));
    out.push(slice);
    now += 50;
  }
  return out;
}

describe('a closing paced in slices', () => {
  it('starts no step the slice could not fit, were it as long as the longest yet', () => {
    // 4 ms steps in a 15 ms budget: three (12 ms), not a fourth that would end at 16.
    expect(pace(Array(9).fill(4), 15)).toEqual([[4, 4, 4], [4, 4, 4], [4, 4, 4]]);
    // Small steps fill the slice up to where the longest of them would no longer fit.
    expect(pace([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], 15)).toEqual([Array(15).fill(1), [1]]);
  });

  it('always runs one step, and lets a long step shorten only the slice after it', () => {
    expect(pace([2, 20, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2], 15)).toEqual([[2, 20], [2], [2, 2, 2, 2, 2, 2, 2], [2, 2, 2, 2, 2]]);
  });

  it('runs everything at once with no budget (a server shutting down)', () => {
    expect(pace([5, 30, 5, 5], Infinity)).toEqual([[5, 30, 5, 5]]);
  });
});
