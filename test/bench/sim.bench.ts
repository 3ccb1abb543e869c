// npm run bench:sim — simulated client operations per CPU-second, for every scenario and
// its cp and ap presets at normal chaos. Each figure is the median of several runs, after
// one unmeasured warm-up round of the same configuration (so the JIT has compiled the code
// path, as it has on a server that has been running); CPU time, not wall time, so a busy
// machine skews it less.

import { runHeadless } from '../../shared/round/headless.js';
import { SCENARIOS, SCENARIO_IDS } from '../../shared/scenarios/index.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 120_000);

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

console.log(`simulated client operations per CPU-second (median of ${RUNS} runs after a warm-up, ${DURATION_MS / 1000} s rounds, chaos normal)`);
console.log('scenario    preset   ops/round   ops per CPU-s');
for (const id of SCENARIO_IDS) {
  for (const preset of ['cp', 'ap']) {
    if (SCENARIOS[id].presets[preset] === undefined) continue;
    const rates: number[] = [];
    let ops = 0;
    runHeadless({ scenario: id, preset, chaos: 'normal', seed: 999, durationMs: Math.min(DURATION_MS, 30_000), recordHistory: false });
    for (let r = 0; r < RUNS; r++) {
      const t0 = cpuSeconds();
      const sim = runHeadless({ scenario: id, preset, chaos: 'normal', seed: 1000 + r, durationMs: DURATION_MS, recordHistory: false });
      const spent = cpuSeconds() - t0;
      ops = sim.S.nextOp;
      rates.push(ops / spent);
    }
    console.log(`${id.padEnd(11)} ${preset.padEnd(8)} ${String(ops).padStart(9)}   ${Math.round(median(rates)).toLocaleString('en-US').padStart(13)}`);
  }
}
