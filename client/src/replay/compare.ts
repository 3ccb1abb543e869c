// The original round and a branch side by side: each measure for both, and the difference
// said in words ("your branch: 2 fewer lost writes"), with whether that is better, so the
// comparison reads without colour and without arithmetic.

import { int, ms, percent } from '../format.js';
import type { Scenario } from '../../../shared/scenarios/types.js';
import type { Summary } from '../../../shared/sim/summary.js';

export interface ComparedRow {
  key: 'availability' | 'p99' | 'staleReads' | 'lostWrites' | 'cost' | 'score';
  label: string;
  original: string;
  branch: string;
  /** The difference in words, from the branch's side ("2 fewer lost writes"); see inWords. */
  diff: string;
  /** True when the branch did better on this measure, false when worse, null when the same. */
  better: boolean | null;
}

export type Measures = Pick<Summary, 'availability' | 'p99' | 'staleReads' | 'lostWrites' | 'cost' | 'score'>;

export function compareSummaries(original: Measures, branch: Measures): ComparedRow[] {
  const rows: ComparedRow[] = [];
  const dA = (branch.availability - original.availability) * 100;
  rows.push({
    key: 'availability', label: 'Requests that succeeded', original: percent(original.availability), branch: percent(branch.availability),
    diff: Math.abs(dA) < 0.005 ? 'the same' : `${Math.abs(dA).toFixed(2)} percentage points ${dA > 0 ? 'more' : 'fewer'} succeeded`,
    better: Math.abs(dA) < 0.005 ? null : dA > 0,
  });
  const dP = branch.p99 - original.p99;
  rows.push({
    key: 'p99', label: 'Latency p99', original: ms(original.p99), branch: ms(branch.p99),
    diff: Math.abs(dP) < 0.5 ? 'the same' : `${ms(Math.abs(dP))} ${dP < 0 ? 'faster' : 'slower'}`,
    better: Math.abs(dP) < 0.5 ? null : dP < 0,
  });
  rows.push(countRow('staleReads', 'Stale reads', original.staleReads, branch.staleReads, 'stale read', 'stale reads'));
  rows.push(countRow('lostWrites', 'Lost writes', original.lostWrites, branch.lostWrites, 'lost write', 'lost writes'));
  const dC = Math.round(branch.cost) - Math.round(original.cost);
  rows.push({
    key: 'cost', label: 'Cost (node-seconds)', original: int(original.cost), branch: int(branch.cost),
    diff: dC === 0 ? 'the same' : `${int(Math.abs(dC))} node-seconds ${dC < 0 ? 'cheaper' : 'dearer'}`,
    better: dC === 0 ? null : dC < 0,
  });
  const dS = branch.score - original.score;
  rows.push({
    key: 'score', label: 'Score (of 1,000)', original: int(original.score), branch: int(branch.score),
    diff: dS === 0 ? 'the same' : `${int(Math.abs(dS))} point${Math.abs(dS) === 1 ? '' : 's'} ${dS > 0 ? 'more' : 'fewer'}`,
    better: dS === 0 ? null : dS > 0,
  });
  return rows;
}

/** A row's difference as a sentence: "your branch: 2 fewer lost writes". */
export function inWords(row: ComparedRow): string {
  return row.better === null ? `${row.label}: the same` : `your branch: ${row.diff}`;
}

/** One sentence on the whole comparison. */
export function verdict(rows: readonly ComparedRow[]): string {
  const score = rows.find((r) => r.key === 'score');
  const better = rows.filter((r) => r.better === true).map((r) => r.label.toLowerCase());
  const worse = rows.filter((r) => r.better === false).map((r) => r.label.toLowerCase());
  const lead = score === undefined || score.better === null ? 'Your branch scored the same as the original round.' : score.better ? `Your branch beat the original round by ${score.diff.replace(' more', '')}.` : `The original round did better: your branch scored ${score.diff}.`;
  const parts: string[] = [];
  if (better.length > 0) parts.push(`better on ${list(better.filter((x) => !x.startsWith('score')))}`);
  if (worse.length > 0) parts.push(`worse on ${list(worse.filter((x) => !x.startsWith('score')))}`);
  const detail = parts.filter((p) => !p.endsWith('on ')).join('; ');
  return detail === '' ? lead : `${lead} It was ${detail}.`;
}

/** What the scenario promised on each measure ("≤ 200 ms"); the score promises nothing. */
export function promised(sc: Pick<Scenario, 'sla' | 'budget'> | undefined): Partial<Record<ComparedRow['key'], string>> {
  if (sc === undefined) return {};
  return { availability: percent(sc.sla.availability), p99: `≤ ${ms(sc.sla.p99Ms)}`, staleReads: `≤ ${int(sc.sla.maxStaleReads)}`, lostWrites: `≤ ${int(sc.sla.maxLostWrites)}`, cost: `≤ ${int(sc.budget.limit)}`, score: '' };
}

/** A row's verdict mark, in words as well as a sign: "✓ better:", "✗ worse:", "= the same". */
export function markOf(better: boolean | null): string {
  return better === null ? '= the same' : better ? '✓ better:' : '✗ worse:';
}

function countRow(key: 'staleReads' | 'lostWrites', label: string, a: number, b: number, one: string, many: string): ComparedRow {
  const d = b - a;
  return {
    key, label, original: int(a), branch: int(b),
    diff: d === 0 ? 'the same' : `${int(Math.abs(d))} ${d < 0 ? 'fewer' : 'more'} ${Math.abs(d) === 1 ? one : many}`,
    better: d === 0 ? null : d < 0,
  };
}

function list(xs: string[]): string {
  if (xs.length <= 1) return xs.join('');
  return `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;
}
