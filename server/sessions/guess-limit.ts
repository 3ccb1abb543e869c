// How fast one address may try join codes that lead nowhere. A school's classroom usually
// reaches the server from one address (its NAT), so a flat "five wrong codes, then wait" rule
// locks a whole class out — the right code answered 429 — after a few typos. Here each address
// has an allowance of wrong guesses that refills slowly, and every code it gets *right* adds
// to the allowance (a class of thirty makes thirty right lookups), up to a cap, so an
// attacker who knows one code cannot buy unlimited guesses with it. Past the allowance the
// wait doubles with each further miss, as before, and right codes do not undo that: about a
// guess a minute is what a patient guesser gets. Time comes in as an argument.

/** Wrong codes any address may try at once. */
export const FREE_MISSES = 5;
/** A right code adds this many wrong ones to the address's allowance… */
export const CREDIT_PER_HIT = 1;
/** …up to this many beyond FREE_MISSES. */
export const MAX_CREDIT = 30;
/** One wrong guess comes back to the allowance this often. */
export const REFILL_MS = 60_000;
/** The longest an address is made to wait. */
export const MAX_WAIT_S = 300;
/** An address not heard from for this long is forgotten. */
const FORGET_MS = 10 * 60_000;
const MAX_ADDRESSES = 10_000;

interface Allowance {
  /** Wrong guesses the address may still make now (fractional while refilling). */
  left: number;
  /** What right codes added to the ceiling. */
  credit: number;
  /** Misses past the allowance since the address was last forgotten: the wait doubles with each. */
  over: number;
  /** Refused until this wall-clock ms. */
  until: number;
  last: number;
}

export class GuessLimiter {
  private readonly seen = new Map<string, Allowance>();

  /** Seconds the address must still wait before any lookup, or 0. */
  waitSeconds(who: string, now: number): number {
    const a = this.refreshed(who, now);
    return a !== undefined && now < a.until ? Math.ceil((a.until - now) / 1000) : 0;
  }

  /** The address found a class: its allowance grows (a classroom behind one address). */
  hit(who: string, now: number): void {
    const a = this.entry(who, now);
    if (a.credit < MAX_CREDIT) {
      const add = Math.min(CREDIT_PER_HIT, MAX_CREDIT - a.credit);
      a.credit += add;
      a.left += add;
    }
  }

  /** The address tried a code that leads nowhere. */
  miss(who: string, now: number): void {
    const a = this.entry(who, now);
    if (a.left >= 1) {
      a.left -= 1;
      return;
    }
    a.over++;
    a.until = now + 1000 * Math.min(MAX_WAIT_S, 2 ** a.over);
  }

  private entry(who: string, now: number): Allowance {
    let a = this.refreshed(who, now);
    if (a === undefined) {
      a = { left: FREE_MISSES, credit: 0, over: 0, until: 0, last: now };
      this.seen.set(who, a);
      if (this.seen.size > MAX_ADDRESSES) this.forgetIdle(now);
    }
    a.last = now;
    return a;
  }

  /** The address's allowance with its refill since it was last heard from. */
  private refreshed(who: string, now: number): Allowance | undefined {
    const a = this.seen.get(who);
    if (a === undefined) return undefined;
    if (now - a.last > FORGET_MS && now >= a.until) {
      this.seen.delete(who);
      return undefined;
    }
    const ceiling = FREE_MISSES + a.credit;
    a.left = Math.min(ceiling, a.left + Math.max(0, now - a.last) / REFILL_MS);
    a.last = Math.max(a.last, now);
    return a;
  }

  private forgetIdle(now: number): void {
    for (const [k, v] of this.seen) if (now - v.last > FORGET_MS && now >= v.until) this.seen.delete(k);
  }
}
