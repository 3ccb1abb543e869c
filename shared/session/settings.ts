// A class's round settings: what a new session starts with, and the host's changes checked
// against them (a preset must belong to the scenario it will run with).

import { checkPreset, validateSessionSettings, type SessionSettings } from '../protocol/session.js';
import { getScenario } from '../scenarios/index.js';
import { fieldsOf, Problem } from '../protocol/validate.js';

export const DEFAULT_SESSION_SETTINGS: Readonly<SessionSettings> = {
  scenario: 'bank',
  preset: 'cp',
  chaos: 'normal',
  difficulty: 'normal',
  roundSeconds: 180,
  teamCount: 2,
  teamSize: 0,
  briefingSeconds: 20,
  setupSeconds: 45,
};

/**
 * The settings after the host's change `input` (untrusted), or the problem in words. A new
 * scenario without a preset keeps the current preset when the scenario has it, else 'cp'.
 */
export function settingsAfter(current: Readonly<SessionSettings>, input: unknown): SessionSettings | string {
  const f = fieldsOf(input, 'settings', null);
  if (f instanceof Problem) return f.error;
  const v = validateSessionSettings(input);
  if (!v.ok) return v.error;
  const next = v.value;
  const scenario = next.scenario ?? current.scenario;
  const preset = next.preset ?? (next.scenario !== undefined && !(current.preset in (getScenario(scenario)?.presets ?? {})) ? 'cp' : current.preset);
  const problem = checkPreset(scenario, preset);
  if (problem !== null) return problem;
  return { ...current, ...next, scenario, preset };
}
