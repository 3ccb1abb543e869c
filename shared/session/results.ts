// A class's results: per team (its cluster's measures against the SLA) and per student
// (what they did and what it earned), and the CSV a teacher downloads. The server's session
// room, the browser's results screen and the bot CLI's --csv all use these.

export interface StudentResult {
  nickname: string;
  team: number;
  /** The node they ran (-1: none, e.g. they joined a full team). */
  node: number;
  /** Their share of the team's score (shared/sim/summary.ts contribution). */
  score: number;
  actions: number;
  /** Client requests their node served while they ran it. */
  served: number;
  /** Stale reads their node answered while they ran it. */
  anomalies: number;
  /** Still connected when the round ended. */
  connected: boolean;
}

export interface TeamResult {
  team: number;
  name: string;
  /** The stored recording's id (replay at /replay/<id>), '' when the server keeps none. */
  replayId: string;
  /** Ended by the host (or a server stop) before its time: measures as they stood. */
  interrupted: boolean;
  score: number;
  availability: number;
  p99: number;
  staleReads: number;
  lostWrites: number;
  cost: number;
  requests: number;
  students: StudentResult[];
}

export interface RoundResults {
  /** 1 for the session's first round. */
  round: number;
  scenario: string;
  preset: string;
  chaos: string;
  /** Absent in results kept before difficulties existed: normal. */
  difficulty?: string;
  seed: number;
  teams: TeamResult[];
}

export const CSV_COLUMNS = [
  'round', 'scenario', 'team', 'team_name', 'student', 'node', 'student_score', 'actions', 'requests_served', 'anomalies',
  'team_score', 'availability', 'p99_ms', 'stale_reads', 'lost_writes', 'cost', 'interrupted', 'replay',
] as const;

/**
 * One row per student per round, with their team's measures repeated on each row so a
 * spreadsheet can sort and pivot either way. `replayBase` turns a replay id into a link.
 */
export function resultsCsv(rounds: readonly RoundResults[], replayBase = ''): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of rounds) {
    for (const t of r.teams) {
      for (const s of t.students) {
        lines.push(
          [
            r.round, r.scenario, t.team + 1, t.name, s.nickname, s.node, s.score, s.actions, s.served, s.anomalies,
            t.score, t.availability, t.p99, t.staleReads, t.lostWrites, t.cost, t.interrupted ? 'yes' : 'no',
            t.replayId === '' ? '' : `${replayBase}/replay/${t.replayId}`,
          ].map(csvField).join(','),
        );
      }
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** RFC 4180 quoting, and a leading ' on text a spreadsheet would run as a formula. */
export function csvField(v: string | number): string {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  let s = v;
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
