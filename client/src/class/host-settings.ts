// The round's settings: scenario, starting architecture, difficulty, how much trouble,
// length, teams, briefing and setup. Each change goes to the class at once; locked while a round runs.

import { h, replace } from '../dom.js';
import { CHAOS_LEVELS, type ChaosLevel } from '../../../shared/scenarios/chaos-types.js';
import { CLASS_CHAOS_LEVEL_NAMES } from '../../../shared/words/chaos.js';
import { DIFFICULTIES, isDifficulty, type Difficulty } from '../../../shared/scenarios/difficulty.js';
import { DIFFICULTY_NAMES, difficultyText } from '../../../shared/words/difficulty.js';
import { presetName } from '../../../shared/words/settings.js';
import { SESSION_ROUND_SECONDS, type SessionSettings } from '../../../shared/protocol/session.js';
import { SCENARIO_IDS, getScenario, type ScenarioId } from '../../../shared/scenarios/index.js';
import { MAX_TEAMS } from '../../../shared/session/teams.js';
import { DrawnFrom, field, minutesWords, numberSelect, secondsWords, select, type HostContext, type HostPanel } from './host-panel.js';
import type { ClassView } from './view.js';

export class SettingsPanel implements HostPanel {
  readonly el = h('section', { class: 'card host-settings', 'aria-label': 'Settings' });
  private readonly inputs = new Map<keyof SessionSettings | 'split', HTMLSelectElement>();
  private readonly presetsOf = new DrawnFrom();
  private readonly note = h('small', { class: 'note', 'data-settings-note': '' });

  constructor(ctx: HostContext) {
    const send = (settings: Partial<SessionSettings>) => ctx.send({ action: 'settings', settings });
    const scenario = select('set-scenario', SCENARIO_IDS.filter((id) => id !== 'tutorial').map((id) => [id, getScenario(id)!.title]));
    scenario.addEventListener('change', () => send({ scenario: scenario.value as ScenarioId }));
    const preset = select('set-preset', []);
    preset.addEventListener('change', () => send({ preset: preset.value }));
    const chaos = select('set-chaos', CHAOS_LEVELS.map((c) => [c, CLASS_CHAOS_LEVEL_NAMES[c]]));
    chaos.addEventListener('change', () => send({ chaos: chaos.value as ChaosLevel }));
    // Names only (the column is narrow): the note under the panel says what the picked one changes.
    const difficulty = select('set-difficulty', DIFFICULTIES.map((d) => [d, DIFFICULTY_NAMES[d]]));
    difficulty.addEventListener('change', () => send({ difficulty: difficulty.value as Difficulty }));
    const split = select('set-split', [
      ...Array.from({ length: MAX_TEAMS }, (_, i) => [`count:${i + 1}`, `${i + 1} team${i === 0 ? '' : 's'}`] as [string, string]),
      ...[2, 3, 4, 5, 6, 8].map((n) => [`size:${n}`, `teams of ${n} students`] as [string, string]),
    ]);
    split.addEventListener('change', () => {
      const [how, n] = split.value.split(':');
      send(how === 'size' ? { teamSize: Number(n) } : { teamCount: Number(n), teamSize: 0 });
    });
    const length = numberSelect('set-length', [SESSION_ROUND_SECONDS.min, 60, 120, 180, 240, 300, 360, 480, SESSION_ROUND_SECONDS.max], minutesWords);
    length.addEventListener('change', () => send({ roundSeconds: Number(length.value) }));
    const briefing = numberSelect('set-briefing', [0, 2, 5, 10, 20, 30, 45, 60, 90, 120], secondsWords);
    briefing.addEventListener('change', () => send({ briefingSeconds: Number(briefing.value) }));
    const setup = numberSelect('set-setup', [0, 2, 10, 20, 30, 45, 60, 90, 120, 180, 300], secondsWords);
    setup.addEventListener('change', () => send({ setupSeconds: Number(setup.value) }));
    this.inputs.set('scenario', scenario).set('preset', preset).set('chaos', chaos).set('difficulty', difficulty).set('split', split).set('roundSeconds', length).set('briefingSeconds', briefing).set('setupSeconds', setup);
    replace(
      this.el,
      h('h2', null, 'Settings'),
      h('div', { class: 'form-grid' },
        field('set-scenario', 'Scenario', scenario),
        field('set-preset', 'Starting architecture', preset),
        field('set-difficulty', 'Difficulty', difficulty),
        field('set-chaos', 'Trouble', chaos),
        field('set-length', 'Round length', length),
        field('set-split', 'Teams', split),
        field('set-briefing', 'Briefing', briefing),
        field('set-setup', 'Setup (choosing the architecture)', setup)),
      this.note,
    );
  }

  sync(v: ClassView): void {
    const s = v.settings;
    const running = v.phase === 'running';
    const sc = getScenario(s.scenario);
    if (this.presetsOf.changed(s.scenario)) {
      replace(this.inputs.get('preset')!, Object.keys(sc?.presets ?? {}).map((p) => h('option', { value: p }, presetName(p))));
    }
    const values: [keyof SessionSettings | 'split', string][] = [
      ['scenario', s.scenario], ['preset', s.preset], ['chaos', s.chaos], ['difficulty', s.difficulty], ['roundSeconds', String(s.roundSeconds)],
      ['briefingSeconds', String(s.briefingSeconds)], ['setupSeconds', String(s.setupSeconds)],
      ['split', s.teamSize > 0 ? `size:${s.teamSize}` : `count:${s.teamCount}`],
    ];
    for (const [k, value] of values) {
      const el = this.inputs.get(k)!;
      el.disabled = running;
      if (document.activeElement === el) continue;
      if (![...el.options].some((o) => o.value === value)) el.appendChild(h('option', { value }, k.endsWith('Seconds') ? (k === 'roundSeconds' ? minutesWords(Number(value)) : secondsWords(Number(value))) : value));
      el.value = value;
    }
    const level = isDifficulty(s.difficulty) ? difficultyText(s.difficulty) : '';
    this.note.textContent = running ? 'Settings change between rounds.' : [sc !== undefined ? `${sc.title} teaches ${sc.teaches.slice(0, 3).join(', ')}.` : '', level].filter((x) => x !== '').join(' ');
  }
}
