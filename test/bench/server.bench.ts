// npm run bench:server — one room of every scenario (its full size: every node has a seat)
// at normal chaos, every seat held by a real colyseus.js bot client, one room after the
// other on one server. Prints, per scenario, the server's per-tick cost (a tick is one
// simulation interval: its fixed steps and the projection), the share of a core the room
// used, what that makes of rooms a core, the closing's longest slice (on Linux also less the
// time it waited for a core, which a machine shared with other work adds) and the bytes per
// second each client receives during the live phase; then a table of all of them.
//   BENCH_SCENARIOS (all, or a comma-separated list), BENCH_SECONDS (60, 30–600),
//   BENCH_PORT (2590), BENCH_CHAOS (normal)

import { readFileSync } from 'node:fs';
import { startGameServer } from '../../server/app.js';
import { startBotPlayer, type BotPlayer } from '../../server/bots/bot-client.js';
import { countBytes, waitForState } from '../../server/client-util.js';
import { ClusterRoom } from '../../server/rooms/ClusterRoom.js';
import { RoomCosts } from '../../server/rooms/costs.js';
import { getScenario, SCENARIO_IDS } from '../../shared/scenarios/index.js';

const scenarios = (process.env.BENCH_SCENARIOS ?? SCENARIO_IDS.join(',')).split(',').map((s) => s.trim());
const seconds = Number(process.env.BENCH_SECONDS ?? 60);
const port = Number(process.env.BENCH_PORT ?? 2590);
const chaos = process.env.BENCH_CHAOS ?? 'normal';
for (const id of scenarios) if (getScenario(id) === undefined) throw new Error(`BENCH_SCENARIOS: unknown scenario '${id}' (known: ${SCENARIO_IDS.join(', ')})`);
if (!Number.isInteger(seconds) || seconds < 30 || seconds > 600) throw new Error('BENCH_SECONDS must be a whole number from 30 to 600');
if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error('BENCH_PORT must be a port number');

// The aims of issue 13 for one room.
const AIM_TICK_P99_MS = 5;
const AIM_ROOMS_A_CORE = 50;

interface RoomFigures {
  scenario: string;
  seats: number;
  tickP50: number;
  tickP99: number;
  coreShare: number;
  closingLongest: number;
  /** The longest slice less the time it waited for a core (NaN where the platform does not say). */
  closingLongestOnCore: number;
  bytesPerClient: number;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const quantile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
};
const ms = (x: number) => `${x.toFixed(2)} ms`;
const stats = (xs: number[]) =>
  `median ${ms(quantile(xs, 0.5))}, p95 ${ms(quantile(xs, 0.95))}, p99 ${ms(quantile(xs, 0.99))}, max ${ms(Math.max(...xs))}, mean ${ms(mean(xs))} (n=${xs.length})`;

RoomCosts.coreWaitMs = coreWaitClock();
// Started as server/main.ts starts it, closing's code warmed up in the background.
const server = await startGameServer({ port, host: '127.0.0.1', warmUp: true });
const url = `ws://127.0.0.1:${port}`;
console.log(`server benchmark: one room at a time, every seat a bot client, chaos ${chaos}, ${seconds} s live (wall-clock times)`);
const figures: RoomFigures[] = [];
for (const id of scenarios) figures.push(await benchRoom(id));

console.log(`\nscenario    seats  tick p50   tick p99 (aim < ${AIM_TICK_P99_MS})  core share  rooms a core (aim ≥ ${AIM_ROOMS_A_CORE})  closing's longest slice (less waits for a core)  B/s a client`);
for (const f of figures) {
  const closing = `${ms(f.closingLongest)} (${Number.isNaN(f.closingLongestOnCore) ? '–' : ms(f.closingLongestOnCore)})`;
  console.log(
    `${f.scenario.padEnd(11)} ${String(f.seats).padStart(5)}  ${ms(f.tickP50).padStart(8)}  ${ms(f.tickP99).padStart(20)}  ${`${f.coreShare.toFixed(1)} %`.padStart(10)}  ${String(Math.floor(100 / f.coreShare)).padStart(23)}  ${closing.padStart(46)}  ${String(Math.round(f.bytesPerClient)).padStart(12)}`,
  );
}
await server.shutdown();
process.exit(0);

async function benchRoom(scenario: string): Promise<RoomFigures> {
  const sc = getScenario(scenario)!;
  const seats = sc.topology.nodesPerRegion.reduce((a, b) => a + b, 0);
  console.log(`\n${scenario}: ${seats} nodes, ${seats} bot clients`);
  const players: BotPlayer[] = [];
  players.push(await startBotPlayer(url, {
    nickname: 'p0',
    create: { scenario, chaos, roundSeconds: seconds, private: true, lobbySeconds: 60, briefingSeconds: 1, setupSeconds: 1, seed: 7 },
  }));
  for (let i = 1; i < seats; i++) players.push(await startBotPlayer(url, { nickname: `p${i}`, roomId: players[0]!.room.roomId }));
  const counters = players.map((p) => countBytes(p.room));
  const room = [...ClusterRoom.live].find((r) => r.roomId === players[0]!.room.roomId)!;
  for (const p of players) p.hurry(true);

  await waitForState(players[0]!.room, (s) => s.phase === 'live', 30_000, 'the live phase');
  const t0 = performance.now();
  const start = counters.map((c) => c.bytes);
  await waitForState(players[0]!.room, (s) => s.phase === 'debrief', (seconds + 120) * 1000, 'the debrief');
  const wallS = (performance.now() - t0) / 1000;
  const perClient = counters.map((c, i) => (c.bytes - start[i]!) / wallS);
  const debrief = await players[0]!.debrief;

  const { step, projection, interval } = room.costs;
  const coreShare = (100 * (step.reduce((a, b) => a + b, 0) + projection.reduce((a, b) => a + b, 0))) / (wallS * 1000);
  console.log(`  live phase: ${wallS.toFixed(1)} s of wall time for ${seconds} s simulated`);
  console.log(`  simulation step (50 ms simulated, with commands and bots): ${stats(step)}`);
  console.log(`  projection into schema (5 a second):                      ${stats(projection)}`);
  console.log(`  tick = one simulation interval (steps + projection):      ${stats(interval)}`);
  console.log(`  the room used ${coreShare.toFixed(1)} % of one core: ${Math.floor(100 / coreShare)} such rooms a core`);
  const onCore = RoomCosts.coreWaitMs === null ? NaN : room.costs.endLongestSliceOnCoreMs;
  console.log(`  closing the round (finishSim + summary, in slices): ${ms(room.costs.endMs)} in all, longest slice ${ms(room.costs.endLongestSliceMs)}${Number.isNaN(onCore) ? '' : ` (${ms(onCore)} less its waits for a core)`}`);
  console.log(`  bytes received per client during live: mean ${Math.round(mean(perClient))} B/s, max ${Math.round(Math.max(...perClient))} B/s (goal ≤ 4096)`);
  console.log(`  round: score ${debrief.summary.score}, availability ${(100 * debrief.summary.availability).toFixed(3)} %, requests ${debrief.summary.requests}, commands ${debrief.commands}, refused ${players.reduce((n, p) => n + p.errors.length, 0)}`);
  await Promise.all(players.map((p) => p.stop()));
  return {
    scenario, seats, tickP50: quantile(interval, 0.5), tickP99: quantile(interval, 0.99), coreShare,
    closingLongest: room.costs.endLongestSliceMs, closingLongestOnCore: onCore, bytesPerClient: mean(perClient),
  };
}

/**
 * Linux: the time this (main) thread has spent waiting for a core, from the kernel's
 * schedstat (its second field, ns). On a machine shared with other work a closing slice can
 * wait there tens of ms; null elsewhere.
 */
function coreWaitClock(): (() => number) | null {
  const file = `/proc/self/task/${process.pid}/schedstat`;
  const read = (): number => Number(readFileSync(file, 'utf8').split(' ')[1]) / 1e6;
  try {
    return Number.isFinite(read()) ? read : null;
  } catch {
    return null;
  }
}
