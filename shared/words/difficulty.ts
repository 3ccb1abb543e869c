// A round's difficulty in a player's words: its name, and what it changes against the
// scenario as written. The sentences are made from DIFFICULTY_RULES, so they cannot drift
// from what the simulation really does at that difficulty.

import { DIFFICULTY_RULES, type Difficulty, type DifficultyRule } from '../scenarios/difficulty.js';

/** Each difficulty's name, as a menu and a label show it. */
export const DIFFICULTY_NAMES: Readonly<Record<Difficulty, string>> = { easy: 'Easy', normal: 'Normal', hard: 'Hard' };

/** The menus' entries: name and the gist, "Easy: gentler, for a first round". */
export const DIFFICULTY_MENU: Readonly<Record<Difficulty, string>> = {
  easy: 'Easy: fewer faults, a looser promise',
  normal: 'Normal: the scenario as written',
  hard: 'Hard: more faults, a stricter promise',
};

/**
 * What a difficulty changes, in one sentence: "Easy: faults strike half as often, twice the
 * error budget, a 25% looser latency target, 25% more money." Normal says it changes nothing.
 */
export function difficultyText(d: Difficulty): string {
  const changes = difficultyChanges(DIFFICULTY_RULES[d]);
  return changes.length === 0 ? `${DIFFICULTY_NAMES[d]}: the scenario as written.` : `${DIFFICULTY_NAMES[d]}: ${changes.join(', ')}.`;
}

/** The HUD's short label: "Easy" (normal rounds show none: ''). */
export function difficultyLabel(d: Difficulty): string {
  return d === 'normal' ? '' : DIFFICULTY_NAMES[d];
}

/** Each change a rule makes, in words, in the order a player cares about. */
export function difficultyChanges(r: DifficultyRule): string[] {
  const out: string[] = [];
  // Faults strike 1 / chaosInterval times as often.
  if (r.chaosInterval !== 1) out.push(`faults strike ${often(1 / r.chaosInterval)}`);
  if (r.errorBudget !== 1) out.push(`${times(r.errorBudget)} error budget`);
  if (r.latency !== 1) out.push(`a ${pct(r.latency)}% ${r.latency > 1 ? 'looser' : 'stricter'} latency target`);
  if (r.money !== 1) out.push(`${pct(r.money)}% ${r.money > 1 ? 'more' : 'less'} money to spend`);
  if (!r.advisor) out.push('no hints from the advisor');
  return out;
}

/** "half as often", "twice as often", "67% more often". */
function often(f: number): string {
  if (f === 0.5) return 'half as often';
  if (f === 2) return 'twice as often';
  return `${pct(f)}% ${f > 1 ? 'more' : 'less'} often`;
}

/** "twice the", "half the", "50% more". */
function times(f: number): string {
  if (f === 2) return 'twice the';
  if (f === 0.5) return 'half the';
  return `${pct(f)}% ${f > 1 ? 'more' : 'less'}`;
}

/** The change a factor makes, in whole percent: 1.25 → 25, 0.85 → 15. */
function pct(f: number): number {
  return Math.round(Math.abs(f - 1) * 100);
}
