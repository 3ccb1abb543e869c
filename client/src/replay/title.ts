// The replay's title line: the scenario, who played (this browser's player marked "you"),
// when, the difficulty, the chaos and the seed.

import { h } from '../dom.js';
import type { Recording } from '../../../shared/replay/recording.js';
import { runnableScenario } from '../../../shared/scenarios/index.js';
import type { Difficulty } from '../../../shared/scenarios/difficulty.js';
import { DIFFICULTY_NAMES } from '../../../shared/words/difficulty.js';
import { chaosLevelText } from '../../../shared/words/chaos.js';

export function replayTitle(rec: Recording, mine: string | null): HTMLElement {
  return h(
    'div',
    { class: 'replay-title' },
    h('span', { class: 'badge plain replay-badge' }, 'Replay'),
    h('b', null, runnableScenario(rec.scenario)?.title ?? rec.scenario),
    h('small', null, ` ${titleDetails(rec, mine, formatWhen(rec.startedAt))}`),
  );
}

/** "played by Ada (you) · 3 Jan, 14:05 · easy difficulty · heavy chaos · seed 7" (a part left out when unknown). */
export function titleDetails(rec: Pick<Recording, 'roster' | 'chaos' | 'seed'> & { difficulty?: Difficulty }, mine: string | null, when: string): string {
  const people = rec.roster.filter((r) => !r.isBot).map((r) => `${r.nickname}${r.id === mine ? ' (you)' : ''}`);
  const level = rec.difficulty === undefined ? '' : `${DIFFICULTY_NAMES[rec.difficulty].toLowerCase()} difficulty`;
  return [people.length > 0 ? `played by ${people.join(', ')}` : 'bots only', when, level, chaosLevelText(rec.chaos), `seed ${rec.seed}`].filter((x) => x !== '').join(' · ');
}

/** When the round started, in this browser's language ('' when the date is unreadable). */
export function formatWhen(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return d.toLocaleString(undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}
