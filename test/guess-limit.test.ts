// The join-code slow-down (server/sessions/guess-limit.ts): a classroom behind one address is
// not locked out by its own typos; an address that only guesses stays slow.
import { describe, expect, it } from 'vitest';
import { FREE_MISSES, GuessLimiter, MAX_CREDIT, REFILL_MS } from '../server/sessions/guess-limit.js';

describe('the join-code slow-down', () => {
  it('a class of thirty behind one address, with a dozen typos among them, is never made to wait', () => {
    const g = new GuessLimiter();
    let t = 1_000_000;
    let waited = 0;
    for (let student = 0; student < 30; student++) {
      t += 2000;
      // Every third student mistypes the code first (some twice).
      const typos = student % 3 === 0 ? (student % 6 === 0 ? 2 : 1) : 0;
      for (let i = 0; i < typos; i++) {
        if (g.waitSeconds('nat', t) > 0) waited++;
        g.miss('nat', t);
      }
      if (g.waitSeconds('nat', t) > 0) waited++;
      g.hit('nat', t);
    }
    expect(waited).toBe(0);
  });

  it('an address that only guesses is slowed after FREE_MISSES, the wait doubling', () => {
    const g = new GuessLimiter();
    const t = 5_000_000;
    for (let i = 0; i < FREE_MISSES; i++) {
      expect(g.waitSeconds('x', t)).toBe(0);
      g.miss('x', t);
    }
    expect(g.waitSeconds('x', t)).toBe(0);
    g.miss('x', t);
    expect(g.waitSeconds('x', t)).toBe(2);
    g.miss('x', t + 2000);
    expect(g.waitSeconds('x', t + 2000)).toBe(4);
    // Other addresses are not affected.
    expect(g.waitSeconds('y', t)).toBe(0);
  });

  it('guessing stays slow: an hour of trying gets a few hundred guesses at most, even with a known code to farm credit', () => {
    const g = new GuessLimiter();
    let t = 0;
    let guesses = 0;
    // The attacker knows one real code and looks it up before every guess.
    while (t < 3_600_000) {
      const wait = g.waitSeconds('bad', t);
      if (wait > 0) {
        t += wait * 1000;
        continue;
      }
      g.hit('bad', t);
      g.miss('bad', t);
      guesses++;
      t += 10;
    }
    expect(guesses).toBeLessThanOrEqual(FREE_MISSES + MAX_CREDIT + 3_600_000 / REFILL_MS + 40);
  });

  it('the allowance refills with time', () => {
    const g = new GuessLimiter();
    const t = 0;
    for (let i = 0; i <= FREE_MISSES; i++) g.miss('z', t);
    expect(g.waitSeconds('z', t)).toBeGreaterThan(0);
    const later = t + 10 * REFILL_MS;
    expect(g.waitSeconds('z', later)).toBe(0);
    for (let i = 0; i < 5; i++) g.miss('z', later);
    expect(g.waitSeconds('z', later)).toBe(0);
  });
});
