// npm run bench:sim — CPU-seconds per simulated minute and simulated client operations per
// CPU-second, for every scenario and its cp and ap presets at normal chaos (the whole round:
// the live phase with its seat bots, then the closing). Each figure is the median of several runs, after
// unmeasured warm-up rounds of the same configuration (so the JIT has compiled the code path,
// as it has on a server that has been running: in a fresh process the first rounds cost
// several times a later one while the engine compiles the code and throws compiled code away,
// and one short round was not enough); CPU time, not wall time, so a busy machine skews it less.

import { runHeadless } from '../../shared/round/headless.js';
import { SCENARIOS, SCENARIO_IDS } from '../../shared/scenarios/index.js';
import { meanPending, queueMicrosPerOp } from './event-floor.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 120_000);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 5);

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

// The aims of issue 13: what lets one core hold a whole school's rounds.
const AIM_CPU_S_PER_MIN = 0.25;
const AIM_OPS_PER_CPU_S = 1_000_000;

console.log(`CPU cost of a round (median of ${RUNS} runs after ${WARMUP} warm-up rounds, ${DURATION_MS / 1000} s rounds, chaos normal, seat bots playing)`);
console.log(`scenario    preset   ops/round   ops per CPU-s   CPU-s per simulated minute (aim ≤ ${AIM_CPU_S_PER_MIN})`);
// Beside each row: its events per operation and what the event queue alone costs them.
const floors: string[] = [];
// BENCH_SCENARIOS picks some (a comma-separated list), for a quick look at one scenario.
const picked = (process.env.BENCH_SCENARIOS ?? SCENARIO_IDS.join(',')).split(',').map((x) => x.trim());
for (const id of picked) if (!(SCENARIO_IDS as readonly string[]).includes(id)) throw new Error(`BENCH_SCENARIOS: unknown scenario '${id}' (known: ${SCENARIO_IDS.join(', ')})`);
for (const id of SCENARIO_IDS.filter((x) => picked.includes(x))) {
  for (const preset of ['cp', 'ap']) {
    if (SCENARIOS[id].presets[preset] === undefined) continue;
    const rates: number[] = [];
    const perMinute: number[] = [];
    let ops = 0;
    let eventsPerOp = 0;
    for (let w = 0; w < WARMUP; w++) runHeadless({ scenario: id, preset, chaos: 'normal', seed: 999 - w, durationMs: DURATION_MS, recordHistory: false });
    for (let r = 0; r < RUNS; r++) {
      const t0 = cpuSeconds();
      const sim = runHeadless({ scenario: id, preset, chaos: 'normal', seed: 1000 + r, durationMs: DURATION_MS, recordHistory: false });
      const spent = cpuSeconds() - t0;
      ops = sim.S.nextOp;
      // The queue numbers every event it is given: messages, service slots, replies, timers.
      eventsPerOp = sim.S.events.seq / ops;
      rates.push(ops / spent);
      perMinute.push(spent / (DURATION_MS / 60_000));
    }
    const cost = median(perMinute);
    const verdict = cost <= AIM_CPU_S_PER_MIN ? 'meets the aim' : `${(cost / AIM_CPU_S_PER_MIN).toFixed(1)}× the aim`;
    console.log(`${id.padEnd(11)} ${preset.padEnd(8)} ${String(ops).padStart(9)}   ${Math.round(median(rates)).toLocaleString('en-US').padStart(13)}   ${cost.toFixed(3).padStart(6)} (${verdict}, spread ${Math.min(...perMinute).toFixed(3)}–${Math.max(...perMinute).toFixed(3)})`);
    const pending = meanPending(id, preset, 1000, DURATION_MS);
    const queueUs = queueMicrosPerOp(pending, eventsPerOp);
    const roundUs = 1e6 / median(rates);
    const share = `(${Math.round((100 * queueUs) / roundUs)} %)`;
    floors.push(`${id.padEnd(11)} ${preset.padEnd(8)} ${eventsPerOp.toFixed(2).padStart(9)}   ${pending.toFixed(0).padStart(6)}   ${roundUs.toFixed(2).padStart(11)}   ${queueUs.toFixed(2).padStart(6)} ${share.padEnd(6)}   ${Math.round(1e6 / queueUs).toLocaleString('en-US').padStart(18)}`);
  }
}

console.log('');
console.log(`Where an operation's CPU goes, against the aim of ${AIM_OPS_PER_CPU_S.toLocaleString('en-US')} ops per CPU-s (${(1e6 / AIM_OPS_PER_CPU_S).toFixed(2)} µs an operation):`);
console.log('events per operation (every message, service slot, reply and timer through the event queue; the closing included);');
console.log('the queue\'s mean size (a round without players); CPU µs an operation in the round; the queue alone for that many');
console.log('events at that size (the median of 3 runs of 500,000 operations); the ops per CPU-s the queue alone would allow.');
console.log('scenario    preset   events/op   queued   round µs/op   queue µs/op   queue-only ceiling');
for (const line of floors) console.log(line);
