// Who served what: requests a node serves go to whoever operated it at the time, and each
// player's contribution is their share of the team score (shared/sim/summary.ts contribution).

import type { SimState } from '../sim/state.js';
import { contribution } from '../sim/summary.js';
import type { Person, Seat, SeatBot } from './seats.js';

/**
 * Credit the requests (and stale reads) each node served since the last call to whoever
 * operates it now: its connected holder, or its bot when nobody holds it. A node whose
 * holder is away credits nobody (their stand-in bot plays for the team, not for itself).
 */
export function creditServed(S: SimState, seats: readonly Seat[], people: ReadonlyMap<string, Person>): void {
  for (let i = 0; i < S.nodes.length && i < seats.length; i++) {
    const seat = seats[i]!;
    const node = S.nodes[i]!;
    const delta = node.served - seat.servedSeen;
    const stale = node.staleServed - seat.staleSeen;
    seat.servedSeen = node.served;
    seat.staleSeen = node.staleServed;
    if (delta <= 0 && stale <= 0) continue;
    const holder = seat.holder === null ? undefined : people.get(seat.holder);
    const who: Person | SeatBot | null = holder !== undefined && holder.connected ? holder : holder === undefined ? seat.bot : null;
    if (who === null) continue;
    who.served += delta;
    who.anomalies += stale;
  }
}

/** Each operator's share of `score`, by the requests they served out of everyone's. */
export function shareOf(score: number, people: Iterable<Person>, seats: readonly Seat[]): (served: number) => number {
  let total = 0;
  for (const p of people) total += p.served;
  for (const s of seats) if (s.bot !== null) total += s.bot.served;
  return (served) => contribution(score, served, total);
}
