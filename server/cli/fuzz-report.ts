// The fuzzer's verdict and its table: what each room kind was sent and how the server
// answered, whether the server and the sentinel's round lived through it, and the findings.

import type { Finding, FuzzResult, KindCounts } from './fuzz-run.js';

export interface ServerCheck {
  /** Null while the process runs (or when fuzzing a server started elsewhere). */
  exit: string | null;
  healthz: boolean;
}

export interface Verdict {
  ok: boolean;
  /** One line per reason the run failed. */
  failures: string[];
}

/** A crash (exit, no /healthz, an uncaught error), a lost room, a silent socket or a stalled sentinel fails the run. */
export function verdict(result: FuzzResult, server: ServerCheck): Verdict {
  const failures: string[] = [];
  if (server.exit !== null) failures.push(`the server process ${server.exit}`);
  else if (result.findings.some((f) => f.what === 'crash')) failures.push('the server process ended during the run');
  if (!server.healthz) failures.push('the server did not answer /healthz with 200');
  const uncaught = result.findings.filter((f) => f.what === 'uncaught').length;
  if (uncaught > 0) failures.push(`${uncaught} uncaught error${uncaught === 1 ? '' : 's'} in the server process`);
  const lost = result.findings.filter((f) => f.what === 'lost-room').length;
  if (lost > 0) failures.push(`${lost} room${lost === 1 ? '' : 's'} lost`);
  const unanswered = sum(result.counts, (c) => c.unanswered);
  if (unanswered > 0) failures.push(`${unanswered} message${unanswered === 1 ? '' : 's'} neither answered nor closed`);
  if (!result.sentinel.ok) failures.push('the sentinel\'s round did not keep going');
  const stuck = result.findings.filter((f) => f.what === 'stuck').length;
  if (stuck > 0) failures.push(`${stuck} client${stuck === 1 ? '' : 's'} could not get back into a room`);
  return { ok: failures.length === 0, failures };
}

/** The printed report: the table, the sentinel and server lines, the findings, the verdict. */
export function formatReport(result: FuzzResult, server: ServerCheck, v: Verdict = verdict(result, server)): string {
  const head = ['room', 'sent', 'garbage', 'answered', 'closed', 'unanswered', 'reconnects', 'new rooms', 'lost'];
  const rows = result.counts.map((c) => [c.kind, c.sent, c.garbage, c.answered, c.closed, c.unanswered, c.reconnects, c.newRooms, c.lost].map(String));
  const total = ['all', ...[(c: KindCounts) => c.sent, (c: KindCounts) => c.garbage, (c: KindCounts) => c.answered, (c: KindCounts) => c.closed, (c: KindCounts) => c.unanswered, (c: KindCounts) => c.reconnects, (c: KindCounts) => c.newRooms, (c: KindCounts) => c.lost].map((f) => String(sum(result.counts, f)))];
  const lines = [`fuzz: seed ${result.seed}, ${sum(result.counts, (c) => c.sent)} messages in ${(result.durationMs / 1000).toFixed(1)} s`, '', ...table(head, [...rows, total]), ''];
  lines.push('error replies by code:');
  for (const c of result.counts) lines.push(`  ${c.kind.padEnd(9)} ${tally(c.errors)}`);
  lines.push('sockets closed by code (reason):');
  for (const c of result.counts) lines.push(`  ${c.kind.padEnd(9)} ${tally(c.closes)}`);
  const s = result.sentinel;
  lines.push('', `sentinel: ${s.ok ? 'kept going' : 'STOPPED'}; ${s.rounds} round${s.rounds === 1 ? '' : 's'}, simulated time ${(s.simMs / 1000).toFixed(1)} s, longest stall ${(s.longestStallMs / 1000).toFixed(1)} s`);
  lines.push(`server: ${server.exit ?? 'running'}, /healthz ${server.healthz ? '200' : 'not answering'}`);
  const findings = result.findings;
  if (findings.length > 0) {
    lines.push('', `findings (${findings.length}):`);
    for (const f of findings.slice(0, 20)) lines.push(...formatFinding(f));
    if (findings.length > 20) lines.push(`  … and ${findings.length - 20} more`);
  }
  lines.push('', v.ok ? 'PASS: no crash, no lost room, every message answered or its socket closed' : `FAIL: ${v.failures.join('; ')}`);
  return lines.join('\n');
}

/** What a server's error line means for the run: an uncaught error, a room's caught handler error, or nothing. */
export function classifyServerLine(line: string): Finding['what'] | null {
  if (/^\[process\] (uncaught|unhandled rejection)/.test(line)) return 'uncaught';
  if (/^\[(cluster|session|lobby) [^\]]*\]/.test(line)) return 'room-error';
  return null;
}

function formatFinding(f: Finding): string[] {
  const out = [`  [${f.what}] ${f.text.split('\n').slice(0, 8).join('\n    ')}`];
  if (f.recent.length > 0) out.push('    sent just before:', ...f.recent.slice(f.what === 'crash' || f.what === 'uncaught' ? -48 : -12).map((r) => `      ${r}`));
  return out;
}

function table(head: string[], rows: string[][]): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((x, i) => (i === 0 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

function tally(t: Record<string, number>): string {
  const entries = Object.entries(t).sort((a, b) => b[1] - a[1]);
  return entries.length === 0 ? '-' : entries.map(([k, n]) => `${k} ×${n}`).join(', ');
}

function sum(counts: readonly KindCounts[], f: (c: KindCounts) => number): number {
  return counts.reduce((a, c) => a + f(c), 0);
}
