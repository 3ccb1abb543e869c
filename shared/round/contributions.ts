// Who served what, and each player's share of the team score.
//
// Requests a node serves go to whoever operated it at the time. A player's points are those
// requests, plus the requests their helpful actions improved (credits.ts), minus, where the
// customer forbids stale reads (sla.maxStaleReads 0), STALE_READ_POINTS for each stale read
// their node served. Their share of the team score is score × points / everyone's points,
// so the shares add up to the score (give or take rounding).
//
// Where stale reads are forbidden, a player whose node served any never ranks above one
// whose node served none and earned something: their points are held just below the lowest
// of those. A node that refused rather than answer with an old balance kept the promise.

import type { SimState } from '../sim/state.js';
import { contribution } from '../sim/summary.js';
import type { Person, Seat, SeatBot } from './seats.js';

/** What a stale read costs, in requests served, where the customer forbids them. */
export const STALE_READ_POINTS = 10;

/** What an operator (a player or a seat's bot) has earned. */
export interface Tally {
  served: number;
  /** Stale reads their node served. */
  anomalies: number;
  /** Requests improved by their actions that helped (credits.ts). */
  bonus: number;
}

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

/** Points before the promise's ranking rule: served + bonus, less the stale reads' cost. */
export function rawPoints(t: Tally, noStale: boolean): number {
  return Math.max(0, t.served + (t.bonus ?? 0) - (noStale ? STALE_READ_POINTS * t.anomalies : 0));
}

/**
 * Everyone's points: rawPoints, and where stale reads are forbidden, anyone whose node
 * served one is held below everyone who earned points without serving any.
 */
export function pointsOf(all: readonly Tally[], noStale: boolean): (t: Tally) => number {
  let floor = Infinity;
  if (noStale) for (const t of all) if (t.anomalies === 0 && rawPoints(t, true) > 0) floor = Math.min(floor, rawPoints(t, true));
  return (t) => {
    const raw = rawPoints(t, noStale);
    if (!noStale || t.anomalies === 0 || floor === Infinity) return raw;
    return Math.min(raw, Math.max(0, floor - 1));
  };
}

/** Each operator's share of `score`, by their points out of everyone's. */
export function shareOf(score: number, people: Iterable<Person>, seats: readonly Seat[], noStale: boolean): (t: Tally) => number {
  const all: Tally[] = [...people];
  for (const s of seats) if (s.bot !== null) all.push(s.bot);
  const points = pointsOf(all, noStale);
  let total = 0;
  for (const t of all) total += points(t);
  return (t) => contribution(score, points(t), total);
}
