// A token bucket per client: bursts up to `capacity` messages, then `perSecond` on average.
// Colyseus 0.16 has no message rate limit of its own (STACK.md).

export interface TokenBucket {
  tokens: number;
  /** Wall-clock ms of the last refill. */
  at: number;
}

export const RATE_LIMIT = { capacity: 10, perSecond: 10 } as const;

export function createBucket(now: number, capacity: number = RATE_LIMIT.capacity): TokenBucket {
  return { tokens: capacity, at: now };
}

/** Take one token if there is one; false means the message must be refused. */
export function takeToken(b: TokenBucket, now: number, capacity: number = RATE_LIMIT.capacity, perSecond: number = RATE_LIMIT.perSecond): boolean {
  const elapsed = Math.max(0, now - b.at);
  b.tokens = Math.min(capacity, b.tokens + (elapsed * perSecond) / 1000);
  b.at = now;
  if (b.tokens < 1) return false;
  b.tokens -= 1;
  return true;
}
