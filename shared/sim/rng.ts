// Seeded random streams. The generator's whole state is four 32-bit words kept inside the
// simulation state, so a snapshot carries it and a restored run draws the same numbers.
// sfc32: small, fast, and good enough for a game's statistics.

import { ln } from './det-math.js';

export type RngState = [number, number, number, number];

/** Derive an independent stream from a seed and a stream name (splitmix32 over both). */
export function createRng(seed: number, stream: string): RngState {
  let h = (seed >>> 0) ^ 0x9e3779b9;
  for (let i = 0; i < stream.length; i++) h = Math.imul(h ^ stream.charCodeAt(i), 0x85ebca6b) >>> 0;
  const s: RngState = [0, 0, 0, 0];
  for (let i = 0; i < 4; i++) {
    h = (h + 0x9e3779b9) >>> 0;
    let z = h;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    s[i] = (z ^ (z >>> 16)) >>> 0;
  }
  // Warm up so nearby seeds diverge.
  for (let i = 0; i < 12; i++) nextU32(s);
  return s;
}

export function nextU32(s: RngState): number {
  const a = s[0], b = s[1], c = s[2], d = s[3];
  const t = (((a + b) | 0) + d) | 0;
  s[3] = (d + 1) | 0;
  s[0] = b ^ (b >>> 9);
  s[1] = (c + (c << 3)) | 0;
  const r = (c << 21) | (c >>> 11);
  s[2] = (r + t) | 0;
  return t >>> 0;
}

/** Uniform in [0, 1). */
export function random(s: RngState): number {
  return nextU32(s) / 4294967296;
}

/** Uniform integer in [0, n). */
export function randomInt(s: RngState, n: number): number {
  return Math.floor(random(s) * n);
}

export function uniform(s: RngState, lo: number, hi: number): number {
  return lo + (hi - lo) * random(s);
}

/** Exponential with the given mean (inter-arrival times of a Poisson process). */
export function exponential(s: RngState, mean: number): number {
  return -ln(1 - random(s)) * mean;
}

/** Pick an index by relative weights. */
export function weightedIndex(s: RngState, weights: readonly number[]): number {
  let total = 0;
  // Indexed, not for…of: this runs for every client request and the iterator was garbage.
  for (let i = 0; i < weights.length; i++) total += weights[i]!;
  let x = random(s) * total;
  for (let i = 0; i < weights.length; i++) {
    x -= weights[i]!;
    if (x < 0) return i;
  }
  return weights.length - 1;
}
