// Logarithms whose every bit is the same in every JavaScript engine. The language fixes the
// result of + − × ÷ and sqrt (IEEE 754), but not of Math.log, Math.log10, Math.exp or
// Math.pow: engines may differ in the last bit, and one different bit in a Poisson arrival
// time gives a different round (a replay recorded on the server once diverged in Chromium).
// Everything here is built from the fixed operations, in a fixed order, so it gives the same
// double everywhere. It is accurate to a few units in the last place, which is plenty for a
// simulation: what matters is that it is the same.

/** ln 2, the double nearest to it. */
const LN2 = 0.6931471805599453;
/** ln 10, the double nearest to it. */
const LN10 = 2.302585092994046;
const SQRT2 = 1.4142135623730951;

/** The natural logarithm of x: NaN below 0 and for NaN, -Infinity at 0, Infinity at Infinity. */
export function ln(x: number): number {
  if (Number.isNaN(x) || x < 0) return NaN;
  if (x === 0) return -Infinity;
  if (x === Infinity) return Infinity;
  // x = m × 2^e with m in [√½, √2): halving and doubling are exact.
  let m = x;
  let e = 0;
  while (m >= SQRT2) {
    m /= 2;
    e++;
  }
  while (m < SQRT2 / 2) {
    m *= 2;
    e--;
  }
  // ln m = 2 atanh(z), z = (m − 1)/(m + 1), |z| < 0.1716: the series' terms fall by z² each.
  const z = (m - 1) / (m + 1);
  const z2 = z * z;
  let term = z;
  let sum = 0;
  for (let k = 1; k < 60; k += 2) {
    const next = sum + term / k;
    if (next === sum) break;
    sum = next;
    term *= z2;
  }
  return e * LN2 + 2 * sum;
}

/** The base-10 logarithm of x (see ln). */
export function log10(x: number): number {
  return ln(x) / LN10;
}
