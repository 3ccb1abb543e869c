// shared/sim/det-math.ts: logarithms built only from operations IEEE 754 fixes, so every
// engine gives the same bits. They must also be right: within a few units in the last place
// of the engine's own Math.log over the range the simulation uses.
import { describe, expect, it } from 'vitest';
import { ln, log10 } from '../shared/sim/det-math.js';
import { createRng, random } from '../shared/sim/rng.js';

function ulpsApart(a: number, b: number): number {
  if (a === b) return 0;
  const buf = new DataView(new ArrayBuffer(16));
  buf.setFloat64(0, a);
  buf.setFloat64(8, b);
  return Number(buf.getBigInt64(0) - buf.getBigInt64(8) < 0n ? buf.getBigInt64(8) - buf.getBigInt64(0) : buf.getBigInt64(0) - buf.getBigInt64(8));
}

describe('deterministic logarithms', () => {
  it('agree with Math.log to a few units in the last place over (0, 1] and beyond', () => {
    const rng = createRng(42, 'det-math');
    let worst = 0;
    for (let i = 0; i < 20_000; i++) {
      const x = 1 - random(rng);
      const got = ln(x);
      const want = Math.log(x);
      // Near x = 1 both are tiny; compare absolutely there.
      if (Math.abs(want) < 1e-3) expect(Math.abs(got - want)).toBeLessThan(1e-18);
      else worst = Math.max(worst, ulpsApart(got, want));
    }
    expect(worst).toBeLessThanOrEqual(4);
    for (const x of [1e-300, 2 ** -53, 1e-10, 0.5, 2, 10, 1e10, 1e300, Number.MIN_VALUE]) expect(ulpsApart(ln(x), Math.log(x))).toBeLessThanOrEqual(4);
  });

  it('are exact where it is easy and handle the edges', () => {
    expect(ln(1)).toBe(0);
    expect(ln(0)).toBe(-Infinity);
    expect(ln(Infinity)).toBe(Infinity);
    expect(ln(-1)).toBeNaN();
    expect(ln(NaN)).toBeNaN();
    expect(log10(1000)).toBeCloseTo(3, 14);
    expect(log10(1 - 0.999)).toBeCloseTo(-3, 12);
  });
});
