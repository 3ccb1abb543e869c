// npm run bench:replay — what watching a recording costs, on 10-minute rounds at normal chaos
// with a few commands: playing it through once (wall-clock ms per simulated minute), seeking
// to seeded-random moments with the snapshot cache warm (after the play-through), cold (a
// fresh player that never played through), after the viewer's look-ahead (a fresh player
// that filled its cache while idle) and after a first jump followed by idle time, and that
// first jump in a process that has not run the simulation before (a new worker); the
// cache's size, the recording's size per minute of play, and the size of the operation
// history the server exports. Each scenario runs in a process of its own, as each replay
// runs in a worker of its own in the viewer (BENCH_ONE_PROCESS=1: all in this one).
// Wall-clock figures on a shared machine: read them as orders of magnitude, and compare
// runs made on the same machine.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { gzipSync } from 'node:zlib';
import type { ScenarioId } from '../../shared/scenarios/types.js';
import { SCENARIO_IDS } from '../../shared/scenarios/index.js';
import { TICK_MS, type Recording } from '../../shared/replay/recording.js';
import { ReplayPlayer } from '../../shared/replay/player.js';
import { parseRecordingText, serializeRecording } from '../../shared/replay/file.js';
import { historyOf } from '../../shared/replay/history.js';
import { gzipHistory } from '../../server/history-gzip.js';
import { mulberry32 } from '../support/prng.js';
import { recordRound } from '../support/record-round.js';

const SCENARIOS = (process.env.BENCH_SCENARIOS ?? SCENARIO_IDS.join(',')).split(',') as ScenarioId[];
const SECONDS = Number(process.env.BENCH_SECONDS ?? 600);
const SEEKS = Number(process.env.BENCH_SEEKS ?? 200);

// The heap before and after, with garbage collected, to check the cache's own estimate.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
function heapMb(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 1e6;
}

/** The recording's size when bots on every seat act as in a real room (most rounds have some). */
function withBots(id: ScenarioId): string {
  const rec = recordRound(id, 11, SECONDS, true);
  const json = serializeRecording(rec);
  const minutes = SECONDS / 60;
  return `with a bot on every seat: ${rec.commands.length} commands, ${(json.length / minutes / 1024).toFixed(1)} KiB JSON, ${(gzipSync(json).length / minutes / 1024).toFixed(1)} KiB gzip per minute`;
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!;
}

function seekTimes(player: ReplayPlayer, ticks: number[]): number[] {
  return ticks.map((t) => {
    const t0 = performance.now();
    player.seek(t);
    return performance.now() - t0;
  });
}

const ms = (x: number) => x.toFixed(x < 10 ? 1 : 0);
const mb = (x: number) => (x / 1e6).toFixed(1);
/** A tick as minutes of the round, for the first jump's label. */
const minutesAt = (tick: number) => ((tick * TICK_MS) / 60_000).toFixed(1);

// The viewer gives each replay a worker of its own, so each scenario is measured in a process
// of its own: the engine's compiled code then knows that round only, as the viewer's does.
// BENCH_ONE_PROCESS=1 runs them all in this one, one after another.
const oneProcess = process.env.BENCH_ONE_PROCESS === '1' || process.env.BENCH_REPLAY_CHILD === '1';
if (process.env.BENCH_REPLAY_CHILD !== '1') {
  console.log(`replay player: ${SECONDS / 60}-minute rounds, chaos normal, ${SEEKS} seeded-random seeks (wall clock, ${oneProcess ? 'every scenario in one process' : 'each scenario in a fresh process'})`);
}
if (oneProcess) {
  // One function per scenario, so nothing of the one before is still held when the heap is read.
  for (const id of SCENARIOS) await benchScenario(id);
} else {
  // The round is recorded here and handed over as a file, as the viewer is handed one: the
  // child's first jump then runs code the engine has not compiled yet, as in a fresh worker.
  const dir = mkdtempSync(join(tmpdir(), 'bench-replay-'));
  try {
    for (const id of SCENARIOS) {
      const file = join(dir, `${id}.json`);
      writeFileSync(file, serializeRecording(recordRound(id, 11, SECONDS)));
      const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
        stdio: 'inherit',
        env: { ...process.env, BENCH_SCENARIOS: id, BENCH_REPLAY_CHILD: '1', BENCH_REPLAY_FILE: file },
      });
      if (child.status !== 0) throw new Error(`bench:replay: ${id} failed (exit ${child.status})`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
if (process.env.BENCH_REPLAY_CHILD !== '1') {
  console.log('\nEstimated bytes: 8 bytes per array element and object field, array and object headers, 16 per boxed double;');
  console.log('versions are shared with the live state and counted where a snapshot holds them anew.');
}

async function benchScenario(id: ScenarioId): Promise<void> {
  const minutes = SECONDS / 60;
  const endTick = (SECONDS * 1000) / TICK_MS;
  const rand = mulberry32(42);
  const targets = Array.from({ length: SEEKS }, () => Math.floor(rand() * (endTick + 1)));
  // Handed a recorded round (a process of its own): first, the jump a viewer makes in a fresh
  // worker, the engine's code not compiled yet. Every figure after it is of an engine warmed up
  // by recording the same round here again, as this benchmark has always measured them.
  const file = process.env.BENCH_REPLAY_FILE;
  let freshJump = '';
  if (file !== undefined) {
    const read = parseRecordingText(readFileSync(file, 'utf8'));
    if (!read.ok) throw new Error(`bench:replay: ${file}: ${read.error}`);
    const t0 = performance.now();
    new ReplayPlayer(read.value).seek(targets[0]!);
    freshJump = `  first jump, fresh     to ${minutesAt(targets[0]!)} min in a process that had not run the simulation yet: ${ms(performance.now() - t0)} ms`;
  }
  const rec = recordRound(id, 11, SECONDS);
  const json = serializeRecording(rec);
  const gz = gzipSync(json).length;
  console.log(`\n${id}: ${rec.commands.length} commands, ${rec.chaosEvents.length} scheduled chaos events, ${rec.checkpoints.length} checkpoints`);
  console.log(`  recording             ${(json.length / minutes / 1024).toFixed(1)} KiB JSON, ${(gz / minutes / 1024).toFixed(1)} KiB gzip per minute of play (${(json.length / 1024).toFixed(0)} KiB, ${(gz / 1024).toFixed(0)} KiB in all)`);
  console.log(`                        ${withBots(id)}`);
  if (freshJump !== '') console.log(freshJump);

  // The live simulation alone, without snapshots: the baseline for time and heap.
  const base = heapMb();
  let straight: ReplayPlayer | null = new ReplayPlayer(rec, { snapshotEveryTicks: Number.MAX_SAFE_INTEGER });
  const s0 = performance.now();
  straight.stepTo(endTick);
  const straightMs = performance.now() - s0;
  const simOnly = heapMb() - base;
  straight = null;

  const player = new ReplayPlayer(rec);
  const p0 = performance.now();
  player.stepTo(endTick);
  const playMs = performance.now() - p0;
  const cacheHeap = heapMb() - base - simOnly;
  const v = player.verification;
  const afterPlay = player.cacheStats;
  console.log(`  play through once     ${ms(playMs / minutes)} ms per simulated minute, ${v.matched}/${v.checked} checkpoints verified (without snapshots: ${ms(straightMs / minutes)} ms/min)`);
  console.log(`  snapshot cache        ${afterPlay.snapshots} snapshots, ${mb(afterPlay.bytes)} MB estimated; ${cacheHeap.toFixed(0)} MB of heap measured (gc'd, beyond the live simulation's ${simOnly.toFixed(0)} MB)`);

  const warm = seekTimes(player, targets);
  const afterWarm = player.cacheStats;
  console.log(`  seek, warm cache      median ${ms(percentile(warm, 0.5))} ms, p99 ${ms(percentile(warm, 0.99))} ms, max ${ms(Math.max(...warm))} ms; under 100 ms: ${warm.filter((t) => t < 100).length}/${SEEKS}`);
  console.log(`                        cache then ${afterWarm.snapshots} snapshots, ${mb(afterWarm.bytes)} MB; peak ${mb(afterWarm.peakBytes)} MB estimated`);
  const cold = seekTimes(new ReplayPlayer(rec), targets);
  console.log(`  seek, cold (fresh)    median ${ms(percentile(cold, 0.5))} ms, p99 ${ms(percentile(cold, 0.99))} ms, max ${ms(Math.max(...cold))} ms; under 100 ms: ${cold.filter((t) => t < 100).length}/${SEEKS}`);
  // What the viewer does while nobody asks it for anything: simulate the rest of the round on a
  // copy and keep its snapshots, so that a seek after that is no longer cold.
  const ahead = new ReplayPlayer(rec);
  const a0 = performance.now();
  ahead.lookAhead();
  const aheadMs = performance.now() - a0;
  const aheadStats = ahead.cacheStats;
  const afterAhead = seekTimes(ahead, targets);
  console.log(`  look-ahead (idle)     covers the round in ${(aheadMs / 1000).toFixed(1)} s (${aheadStats.snapshots} snapshots, ${mb(aheadStats.bytes)} MB); seeks after it: median ${ms(percentile(afterAhead, 0.5))} ms, p99 ${ms(percentile(afterAhead, 0.99))} ms; under 100 ms: ${afterAhead.filter((t) => t < 100).length}/${SEEKS}`);
  // A first jump far into the round, then idle time (the viewer's look-ahead runs to the end and
  // fills in what the jump stepped through), then the seeks.
  const jumped = new ReplayPlayer(rec);
  const j0 = performance.now();
  jumped.seek(targets[0]!);
  const jumpMs = performance.now() - j0;
  jumped.lookAhead();
  const afterJump = seekTimes(jumped, targets.slice(1));
  console.log(`  first jump, then idle the jump to ${minutesAt(targets[0]!)} min took ${ms(jumpMs)} ms; seeks after the idle time: median ${ms(percentile(afterJump, 0.5))} ms, p99 ${ms(percentile(afterJump, 0.99))} ms; under 100 ms: ${afterJump.filter((t) => t < 100).length}/${afterJump.length}`);
  await historySize(rec, minutes);
}

/**
 * The operation history the server exports for this round (HISTORY.md): every client
 * operation and the final reads, as JSON text and as the gzip the server keeps and sends.
 */
async function historySize(rec: Recording, minutes: number): Promise<void> {
  const t0 = performance.now();
  const history = historyOf(rec);
  const made = performance.now() - t0;
  let chars = 0;
  for (const op of history.ops) chars += JSON.stringify(op).length + 1;
  const t1 = performance.now();
  const gz = await gzipHistory(history);
  const zipped = performance.now() - t1;
  console.log(`  history export        ${history.ops.length.toLocaleString('en-US')} operations: ${mb(chars / minutes)} MB JSON, ${mb(gz.length / minutes)} MB gzip per minute of play (${mb(gz.length)} MB gzip in all; re-run ${(made / 1000).toFixed(1)} s, serialised and compressed in slices ${(zipped / 1000).toFixed(1)} s)`);
}
