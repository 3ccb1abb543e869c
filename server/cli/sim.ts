// A headless round from the command line:
//   npm run sim -- --scenario bank --preset cp --chaos heavy --seed 7 --duration 300 --out DIR
// writes DIR/summary.json and DIR/history.json (HISTORY.md format). The same arguments
// always give byte-identical files.

import { splitArgs } from './args.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHAOS_LEVELS, type ChaosLevel } from '../../shared/scenarios/chaos-types.js';
import { runHeadless } from '../../shared/round/headless.js';
import { exportHistory, summary } from '../../shared/sim/summary.js';
import { getScenario, SCENARIO_IDS } from '../../shared/scenarios/index.js';
import { DIFFICULTIES, isDifficulty, type Difficulty } from '../../shared/scenarios/difficulty.js';
import { isPolicy, POLICIES, presetOf, type Policy } from '../../shared/bots/policies.js';
import { slaVerdict } from '../../shared/sim/sla.js';

export interface SimArgs {
  scenario: string;
  preset: string;
  chaos: ChaosLevel;
  seed: number;
  durationS: number;
  out: string;
  bots: boolean;
  policy?: Policy;
  difficulty: Difficulty;
}

const USAGE = 'usage: npm run sim -- --scenario ID [--preset NAME] [--policy idle|novice|expert|wrong] [--difficulty easy|normal|hard] --chaos none|normal|heavy --seed N --duration SECONDS --out DIR [--no-bots]';

/** Parse and validate arguments; returns an error message instead of throwing. */
export function parseSimArgs(argv: string[]): SimArgs | string {
  const split = splitArgs(argv, ['--no-bots'], USAGE);
  if (typeof split === 'string') return split;
  const raw = split.values;
  const bots = !split.flags.has('--no-bots');
  for (const k of Object.keys(raw)) if (!['scenario', 'preset', 'policy', 'difficulty', 'chaos', 'seed', 'duration', 'out'].includes(k)) return `unknown option --${k}\n${USAGE}`;
  const scenario = raw.scenario ?? 'bank';
  const sc = getScenario(scenario);
  if (sc === undefined) return `unknown scenario '${scenario}'; choose one of: ${SCENARIO_IDS.join(', ')}`;
  const policy = raw.policy;
  if (policy !== undefined && !isPolicy(policy)) return `--policy must be one of: ${POLICIES.join(', ')}`;
  if (policy !== undefined && !bots) return '--policy and --no-bots do not go together (the idle policy is a team that never acts)';
  const difficulty = raw.difficulty ?? 'normal';
  if (!isDifficulty(difficulty)) return `--difficulty must be one of: ${DIFFICULTIES.join(', ')}`;
  // A policy picks its own architecture unless a preset is named.
  const preset = raw.preset ?? (policy !== undefined ? presetOf(sc, policy) : 'cp');
  if (!Object.hasOwn(sc.presets, preset)) return `scenario '${scenario}' has no preset '${preset}'; choose one of: ${Object.keys(sc.presets).join(', ')}`;
  const chaos = raw.chaos ?? 'normal';
  if (!(CHAOS_LEVELS as readonly string[]).includes(chaos)) return `--chaos must be one of: ${CHAOS_LEVELS.join(', ')}`;
  const seed = Number(raw.seed ?? '1');
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) return '--seed must be an integer from 0 to 4294967295';
  const durationS = Number(raw.duration ?? String(sc.durationMs / 1000));
  if (!Number.isFinite(durationS) || durationS < 1 || durationS > 3600) return '--duration must be a number of seconds from 1 to 3600';
  if (raw.out === undefined || raw.out.length === 0) return `--out DIR is required\n${USAGE}`;
  return { scenario, preset, chaos: chaos as ChaosLevel, seed, durationS, out: raw.out, bots, difficulty, ...(policy !== undefined ? { policy } : {}) };
}

export function runSimCli(args: SimArgs): { summaryPath: string; historyPath: string } {
  const sc = getScenario(args.scenario)!;
  const sim = runHeadless({
    scenario: sc.id, preset: args.preset, chaos: args.chaos, seed: args.seed, durationMs: Math.round(args.durationS * 1000), bots: args.bots,
    difficulty: args.difficulty, ...(args.policy !== undefined ? { policy: args.policy } : {}),
  });
  mkdirSync(args.out, { recursive: true });
  const summaryPath = join(args.out, 'summary.json');
  const historyPath = join(args.out, 'history.json');
  const s = summary(sim);
  const verdict = slaVerdict(sim.sc, s);
  // Whether the promise was kept, and each term's verdict, so anyone can check the balance table.
  const out = { ...s, difficulty: args.difficulty, policy: args.policy ?? null, slaKept: verdict.kept, sla: verdict };
  writeFileSync(summaryPath, JSON.stringify(out, null, 2) + '\n');
  writeFileSync(historyPath, JSON.stringify(exportHistory(sim, sc.presets[args.preset])) + '\n');
  return { summaryPath, historyPath };
}

const isMain = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop()!);
if (isMain) {
  const parsed = parseSimArgs(process.argv.slice(2));
  if (typeof parsed === 'string') {
    console.error(parsed);
    process.exit(2);
  }
  try {
    const out = runSimCli(parsed);
    console.log(`wrote ${out.summaryPath} and ${out.historyPath}`);
  } catch (err) {
    console.error(`could not write the round's files: ${(err as Error).message}`);
    process.exit(1);
  }
}
