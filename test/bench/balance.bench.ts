// npm run bench:balance — BALANCE.md's table: every scenario × difficulty × policy played
// headlessly over the same seeds, then whether each balance target holds. Rounds run in
// parallel child processes (one a core by default); every round is deterministic, so the
// table depends only on the options, never on the machine.
//
//   npm run bench:balance -- [--seeds 20] [--scenario bank,feed] [--difficulty normal]
//                            [--policy expert,idle] [--duration SECONDS] [--jobs N]
//
// The targets (BALANCE.md) are judged at normal difficulty; a heavy-chaos row of the expert
// is played for every scenario too.

import { fork } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { POLICIES, type Policy } from '../../shared/bots/policies.js';
import { runHeadless } from '../../shared/round/headless.js';
import type { ChaosLevel } from '../../shared/scenarios/chaos-types.js';
import { DIFFICULTIES, type Difficulty } from '../../shared/scenarios/difficulty.js';
import { SCENARIO_IDS, type ScenarioId } from '../../shared/scenarios/index.js';
import { slaVerdict } from '../../shared/sim/sla.js';
import { summary } from '../../shared/sim/summary.js';

interface Job {
  scenario: ScenarioId;
  difficulty: Difficulty;
  policy: Policy;
  chaos: ChaosLevel;
  seed: number;
  durationMs?: number;
}

interface Result extends Job {
  kept: boolean;
  score: number;
  availability: number;
  p99: number;
  staleReads: number;
  lostWrites: number;
  cost: number;
  cpuMs: number;
}

function play(job: Job): Result {
  const t0 = process.cpuUsage();
  const sim = runHeadless({
    scenario: job.scenario, policy: job.policy, difficulty: job.difficulty, chaos: job.chaos, seed: job.seed, recordHistory: false,
    ...(job.durationMs !== undefined ? { durationMs: job.durationMs } : {}),
  });
  const s = summary(sim);
  const u = process.cpuUsage(t0);
  return {
    ...job, kept: slaVerdict(sim.sc, s).kept, score: s.score, availability: s.availability, p99: s.p99, staleReads: s.staleReads,
    lostWrites: s.lostWrites, cost: s.cost, cpuMs: Math.round((u.user + u.system) / 1000),
  };
}


function listArg(argv: string[], name: string, all: readonly string[]): string[] {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return [...all];
  const picked = (argv[i + 1] ?? '').split(',').filter((x) => x.length > 0);
  const unknown = picked.filter((x) => !all.includes(x));
  if (picked.length === 0 || unknown.length > 0) {
    console.error(`--${name} takes a comma-separated list of: ${all.join(', ')}`);
    process.exit(2);
  }
  return picked;
}

function numberArg(argv: string[], name: string, fallback: number | undefined, min: number, max: number): number | undefined {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const n = Number(argv[i + 1]);
  if (!Number.isInteger(n) || n < min || n > max) {
    console.error(`--${name} must be an integer from ${min} to ${max}`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const scenarios = listArg(argv, 'scenario', SCENARIO_IDS.filter((id) => id !== 'tutorial')) as ScenarioId[];
  const difficulties = listArg(argv, 'difficulty', DIFFICULTIES) as Difficulty[];
  const policies = listArg(argv, 'policy', POLICIES) as Policy[];
  const seeds = numberArg(argv, 'seeds', 20, 1, 1000)!;
  const durationS = numberArg(argv, 'duration', undefined, 10, 3600);
  const jobsN = numberArg(argv, 'jobs', availableParallelism(), 1, 64)!;
  const jobs: Job[] = [];
  const at = durationS !== undefined ? { durationMs: durationS * 1000 } : {};
  for (const scenario of scenarios) {
    for (const difficulty of difficulties) for (const policy of policies) for (let seed = 1; seed <= seeds; seed++) jobs.push({ scenario, difficulty, policy, chaos: 'normal', seed, ...at });
    if (difficulties.includes('normal') && policies.includes('expert')) for (let seed = 1; seed <= seeds; seed++) jobs.push({ scenario, difficulty: 'normal', policy: 'expert', chaos: 'heavy', seed, ...at });
  }
  const started = Date.now();
  const results = await runAll(jobs, jobsN);
  console.log(`balance: ${jobs.length} rounds (${seeds} seeds each), ${((Date.now() - started) / 1000).toFixed(0)} s wall on ${jobsN} processes, ${(results.reduce((s, r) => s + r.cpuMs, 0) / 1000).toFixed(0)} CPU-s\n`);
  printTable(results);
  console.log('');
  printTargets(results, scenarios, seeds);
}

async function runAll(jobs: Job[], n: number): Promise<Result[]> {
  const results: Result[] = [];
  let next = 0;
  const self = fileURLToPath(import.meta.url);
  await Promise.all(
    Array.from({ length: Math.min(n, jobs.length) }, () =>
      new Promise<void>((resolve, reject) => {
        const child = fork(self, [], { env: { ...process.env, BALANCE_WORKER: '1' }, execArgv: ['--import', 'tsx'] });
        const feed = () => {
          if (next >= jobs.length) {
            child.kill();
            resolve();
            return;
          }
          child.send(jobs[next++]!);
        };
        child.on('message', (r: Result) => {
          results.push(r);
          if (results.length % 20 === 0) process.stderr.write(`  ${results.length}/${jobs.length} rounds\n`);
          feed();
        });
        child.on('error', reject);
        child.on('exit', (code) => (next < jobs.length && code !== 0 ? reject(new Error(`a worker exited with ${code}`)) : resolve()));
        feed();
      }),
    ),
  );
  return results;
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const i = (s.length - 1) * q;
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return s[lo]! + (s[hi]! - s[lo]!) * (i - lo);
}

const median = (xs: number[]) => quantile(xs, 0.5);

function rowsOf(results: Result[]): Map<string, Result[]> {
  const rows = new Map<string, Result[]>();
  for (const r of results) {
    const key = `${r.scenario}|${r.difficulty}${r.chaos === 'heavy' ? ' (heavy chaos)' : ''}|${r.policy}`;
    rows.set(key, [...(rows.get(key) ?? []), r]);
  }
  return rows;
}

function printTable(results: Result[]): void {
  console.log('| scenario | difficulty | policy | SLA kept | score p25 / p50 / p75 | availability p50 | p99 ms p50 | stale reads p50 | lost writes p50 | cost p50 |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const [key, rs] of rowsOf(results)) {
    const [scenario, difficulty, policy] = key.split('|');
    const scores = rs.map((r) => r.score);
    const pct = (x: number) => `${(100 * x).toFixed(2)} %`;
    console.log(
      `| ${scenario} | ${difficulty} | ${policy} | ${rs.filter((r) => r.kept).length} of ${rs.length} | ${quantile(scores, 0.25).toFixed(0)} / ${median(scores).toFixed(0)} / ${quantile(scores, 0.75).toFixed(0)} | ` +
        `${pct(median(rs.map((r) => r.availability)))} | ${median(rs.map((r) => r.p99)).toFixed(0)} | ${median(rs.map((r) => r.staleReads)).toFixed(0)} | ${median(rs.map((r) => r.lostWrites)).toFixed(0)} | ${median(rs.map((r) => r.cost)).toFixed(0)} |`,
    );
  }
}

/** BALANCE.md's targets at normal difficulty, per scenario: holds, misses, or not played. */
function printTargets(results: Result[], scenarios: ScenarioId[], seeds: number): void {
  console.log('| scenario | expert keeps SLA ≥ 60 %, median ≥ 850 | idle keeps ≤ 10 %, ≥ 250 below expert | novice between | wrong ≥ 150 below | expert heavy median ≥ 650 |');
  console.log('|---|---|---|---|---|---|');
  const pick = (sc: string, policy: Policy, chaos: ChaosLevel = 'normal') => results.filter((r) => r.scenario === sc && r.difficulty === 'normal' && r.policy === policy && r.chaos === chaos);
  for (const sc of scenarios) {
    const [expert, idle, novice, wrong, heavy] = [pick(sc, 'expert'), pick(sc, 'idle'), pick(sc, 'novice'), pick(sc, 'wrong'), pick(sc, 'expert', 'heavy')];
    const m = (rs: Result[]) => median(rs.map((r) => r.score));
    const kept = (rs: Result[]) => rs.filter((r) => r.kept).length / Math.max(1, rs.length);
    const verdict = (rs: Result[][], ok: boolean, figures: string) => (rs.some((x) => x.length === 0) ? 'not played' : `${ok ? 'holds' : 'MISSES'} (${figures})`);
    const cells = [
      verdict([expert], kept(expert) >= 0.6 && m(expert) >= 850, `${Math.round(100 * kept(expert))} %, ${m(expert).toFixed(0)}`),
      verdict([idle, expert], kept(idle) <= 0.1 && m(expert) - m(idle) >= 250, `${Math.round(100 * kept(idle))} %, ${(m(expert) - m(idle)).toFixed(0)} below`),
      verdict([novice, idle, expert], m(novice) >= m(idle) && m(novice) <= m(expert), `${m(novice).toFixed(0)}`),
      verdict([wrong, expert], m(expert) - m(wrong) >= 150, `${(m(expert) - m(wrong)).toFixed(0)} below`),
      verdict([heavy], m(heavy) >= 650, `${m(heavy).toFixed(0)}`),
    ];
    console.log(`| ${sc} | ${cells.join(' | ')} |`);
  }
  console.log(`\n(${seeds} seeds a row; targets judged at normal difficulty, normal chaos unless marked)`);
}

// A child process plays the jobs its parent sends, one at a time.
if (process.env.BALANCE_WORKER === '1') {
  process.on('message', (job: Job) => process.send!(play(job)));
} else {
  await main();
}
