// npx tsx test/bench/closing.bench.ts — for every scenario, a 10-minute round of the round
// model (every seat a bot, normal chaos) as a server room runs it: the simulation state's
// size (JSON) halfway and at the end of the live phase (aim: at most 5 MB at the end, with
// every preset; the largest is printed last), then the closing (heal, converge,
// final reads and judging, summary with its state hash, debrief) run the way the room runs
// it — steps in slices of CLOSING_BUDGET_MS, paced as a room paces them — printing the longest step and
// the longest slice. Wall-clock times on a shared machine are noisy (another process may
// hold the core mid-step), so each step's CPU time is printed beside its wall time. Each
// scenario first plays an unmeasured 20 s round (its code compiled, as on a server that has
// been running).
//   BENCH_SCENARIOS (all), BENCH_PRESET (ap,cp: a list; a scenario without one plays cp),
//   BENCH_SECONDS (600), BENCH_SEED (7: a list plays each seed)

import { RoundModel, type RoundInput } from '../../shared/round/model.js';
import { CHECKPOINT_EVERY_TICKS, checkpointHash } from '../../shared/replay/recording.js';
import { TICK_MS } from '../../shared/round/runner.js';
import { getScenario, SCENARIO_IDS } from '../../shared/scenarios/index.js';
import type { Scenario } from '../../shared/scenarios/types.js';
import { CLOSING_BUDGET_MS, ClosingSlices } from '../../server/rooms/closing-slices.js';

const ids = (process.env.BENCH_SCENARIOS ?? SCENARIO_IDS.join(',')).split(',');
const presets = (process.env.BENCH_PRESET ?? 'ap,cp').split(',').map((x) => x.trim());
const seconds = Number(process.env.BENCH_SECONDS ?? 600);
const seeds = (process.env.BENCH_SEED ?? '7').split(',').map((x) => Number(x.trim()));
if (seeds.some((x) => !Number.isInteger(x) || x < 0)) throw new Error('BENCH_SEED must be whole numbers, separated by commas');
if (presets.some((x) => x === '')) throw new Error('BENCH_PRESET must name presets, separated by commas');
/** The state's aim at the end of a 10-minute round (issue 13). */
const AIM_MB = 5;
if (!Number.isInteger(seconds) || seconds < 10 || seconds > 3600) throw new Error('BENCH_SECONDS must be a whole number from 10 to 3600');

const mb = (S: unknown): number => JSON.stringify(S).length / 1e6;
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

console.log(`closing a ${seconds} s round (presets ${presets.join(', ')}; normal chaos; seeds ${seeds.join(', ')}; every seat a bot), in slices of ${CLOSING_BUDGET_MS} ms paced as a room paces them`);
console.log('scenario    preset           seed   state half-way   state at end (judge)   closing steps   longest step wall / CPU   longest slice   closing in all');
/** A round of the model, opened with one watching player and played to the end of its live phase. */
function model(scenario: Scenario, preset: string, seed: number, roundSeconds: number, halfway: (m: RoundModel) => void): RoundModel {
  const m = new RoundModel({
    scenario, preset, chaos: 'normal', seed, roundSeconds, lobbySeconds: 1, briefingSeconds: 1, setupSeconds: 1,
    debriefSeconds: 60, voteSeconds: 10, inClass: false, checkpoints: { every: CHECKPOINT_EVERY_TICKS, fingerprint: checkpointHash },
  });
  m.handle({ type: 'open' });
  m.handle({ type: 'join', key: 'watcher', nickname: 'watcher', bot: false, playerKey: null });
  let half = false;
  while (!m.isClosing && m.phase !== 'debrief') {
    m.handle({ type: 'time', ms: TICK_MS });
    if (!half && m.phase === 'live' && m.sim.S.now >= (roundSeconds * 1000) / 2) {
      half = true;
      halfway(m);
    }
  }
  return m;
}

let largest = { mb: 0, what: '' };
for (const id of ids) {
  const scenario = getScenario(id);
  if (scenario === undefined) throw new Error(`BENCH_SCENARIOS: unknown scenario '${id}'`);
  // A preset the scenario lacks plays cp, once.
  const played = [...new Set(presets.map((p) => (scenario.presets[p] !== undefined ? p : 'cp')))];
  const warm = model(scenario, played[0]!, seeds[0]!, 20, () => {});
  while (warm.isClosing) warm.handle({ type: 'closing-step' });
  for (const preset of played) for (const seed of seeds) closeOne(scenario, preset, seed);
}
// The aim is for a 10-minute round: a shorter or longer one only shows the largest.
const verdict = seconds === 600 ? `; aim ≤ ${AIM_MB} MB: ${largest.mb <= AIM_MB ? 'met' : 'missed'}` : '';
console.log(`largest state at the end: ${largest.mb.toFixed(2)} MB (${largest.what})${verdict}`);

/** One round played to its closing, then closed in slices, printed as a row. */
function closeOne(scenario: Scenario, preset: string, seed: number): void {
  const id = scenario.id;
  let half = 0;
  const m = model(scenario, preset, seed, seconds, (x) => {
    half = mb(x.sim.S);
  });
  const send = (i: RoundInput): void => void m.handle(i);
  const end = mb(m.sim.S);
  const judge = mb(m.sim.S.judge);
  let steps = 0;
  let longestWall = 0;
  let longestCpu = 0;
  let longestSlice = 0;
  let total = 0;
  const slices = new ClosingSlices();
  while (m.isClosing) {
    const slice = slices.run(() => {
      const w0 = performance.now();
      const c0 = cpuMs();
      send({ type: 'closing-step' });
      longestCpu = Math.max(longestCpu, cpuMs() - c0);
      longestWall = Math.max(longestWall, performance.now() - w0);
      steps++;
      return m.isClosing;
    });
    longestSlice = Math.max(longestSlice, slice);
    total += slice;
  }
  if (m.phase !== 'debrief') throw new Error(`${id}: the round did not reach its debrief`);
  if (end > largest.mb) largest = { mb: end, what: `${id}, ${preset}, seed ${seed}` };
  console.log(
    `${id.padEnd(11)} ${preset.padEnd(15)} ${String(seed).padStart(4)}   ${`${half.toFixed(2)} MB`.padStart(13)}   ${`${end.toFixed(2)} MB (${judge.toFixed(2)})`.padStart(20)}   ${String(steps).padStart(13)}   ${`${longestWall.toFixed(1)} / ${longestCpu.toFixed(1)} ms`.padStart(23)}   ${`${longestSlice.toFixed(1)} ms`.padStart(13)}   ${`${total.toFixed(0)} ms`.padStart(14)}`,
  );
}
