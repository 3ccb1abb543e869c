// Splitting a class into teams. Every team plays its own cluster under the same seed and
// chaos, so the split only decides who plays together: sizes differ by at most one, and a
// rebalance moves as few students as it can (a student the host placed stays put).

import { MAX_TEAMS, MAX_TEAM_SIZE } from '../protocol/session.js';

export interface TeamPlan {
  /** How many teams; wins over teamSize when both are set. */
  teamCount?: number;
  /** Students per team; the count follows from the class size. */
  teamSize?: number;
}

// The limits are part of the class's message contract (a host's settings are checked against them).
export { MAX_TEAMS, MAX_TEAM_SIZE };

/** The number of teams a plan gives for `students` students (at least 1, at most MAX_TEAMS). */
export function teamCountFor(students: number, plan: TeamPlan): number {
  const raw = plan.teamCount ?? (plan.teamSize !== undefined ? Math.ceil(Math.max(1, students) / plan.teamSize) : 1);
  return Math.max(1, Math.min(MAX_TEAMS, Math.floor(raw)));
}

/**
 * Assign each student a team in [0, teams). `current` holds existing assignments (a team
 * the host chose, or last round's); `pinned` ones never move. Everyone else keeps their team
 * unless it is over its fair share, and newcomers go to the smallest team (lowest index on
 * ties), so the result is the same for the same input.
 */
export function balanceTeams(students: readonly string[], teams: number, current: ReadonlyMap<string, number> = new Map(), pinned: ReadonlySet<string> = new Set()): Map<string, number> {
  const n = Math.max(1, Math.floor(teams));
  const out = new Map<string, number>();
  const size = new Array<number>(n).fill(0);
  const cap = (t: number) => Math.floor(students.length / n) + (t < students.length % n ? 1 : 0);
  // Pinned first, then those already placed in a team that still has room, then the rest.
  for (const id of students) {
    const t = current.get(id);
    if (pinned.has(id) && t !== undefined && t >= 0 && t < n) {
      out.set(id, t);
      size[t]!++;
    }
  }
  const unplaced: string[] = [];
  for (const id of students) {
    if (out.has(id)) continue;
    const t = current.get(id);
    if (t !== undefined && t >= 0 && t < n && size[t]! < cap(t)) {
      out.set(id, t);
      size[t]!++;
    } else unplaced.push(id);
  }
  for (const id of unplaced) {
    let best = 0;
    for (let t = 1; t < n; t++) if (size[t]! < size[best]!) best = t;
    out.set(id, best);
    size[best]!++;
  }
  return out;
}

/** The team a late joiner goes to: the smallest (lowest index on ties). */
export function smallestTeam(sizes: readonly number[]): number {
  let best = 0;
  for (let t = 1; t < sizes.length; t++) if (sizes[t]! < sizes[best]!) best = t;
  return best;
}

const TEAM_NAMES = ['Ada', 'Babbage', 'Curie', 'Dijkstra', 'Euler', 'Fermat', 'Gauss', 'Hopper', 'Iverson', 'Johnson', 'Knuth', 'Lamport'];

/** A friendly team name for the projector ("Team Lamport"), stable by index. */
export function teamName(index: number): string {
  return `Team ${TEAM_NAMES[index % TEAM_NAMES.length]}${index >= TEAM_NAMES.length ? ` ${Math.floor(index / TEAM_NAMES.length) + 1}` : ''}`;
}
