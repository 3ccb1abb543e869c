// npm run bench:server — one room of 9 nodes (the feed scenario) at normal chaos, every
// seat held by a real colyseus.js bot client. Prints the server's per-tick cost (fixed
// simulation steps + projection, per simulation interval) and the bytes per second each
// client receives during the live phase.
//   BENCH_SCENARIO (feed), BENCH_SECONDS (60, 30–600), BENCH_PORT (2590), BENCH_CHAOS (normal)

import { startGameServer } from '../../server/app.js';
import { startBotPlayer, type BotPlayer } from '../../server/bots/bot-client.js';
import { countBytes, waitForState } from '../../server/client-util.js';
import { ClusterRoom } from '../../server/rooms/ClusterRoom.js';
import { getScenario } from '../../shared/scenarios/index.js';

const scenario = process.env.BENCH_SCENARIO ?? 'feed';
const seconds = Number(process.env.BENCH_SECONDS ?? 60);
const port = Number(process.env.BENCH_PORT ?? 2590);
const chaos = process.env.BENCH_CHAOS ?? 'normal';
const sc = getScenario(scenario);
if (sc === undefined) throw new Error(`BENCH_SCENARIO: unknown scenario '${scenario}'`);
if (!Number.isInteger(seconds) || seconds < 30 || seconds > 600) throw new Error('BENCH_SECONDS must be a whole number from 30 to 600');
if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error('BENCH_PORT must be a port number');
const seats = sc.topology.nodesPerRegion.reduce((a, b) => a + b, 0);

const server = await startGameServer({ port, host: '127.0.0.1' });
const url = `ws://127.0.0.1:${port}`;
console.log(`server benchmark: ${scenario}, ${seats} nodes, ${seats} bot clients, chaos ${chaos}, ${seconds} s live`);

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

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const ms = (x: number) => `${x.toFixed(2)} ms`;
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return `median ${ms(q(0.5))}, p95 ${ms(q(0.95))}, p99 ${ms(q(0.99))}, max ${ms(s[s.length - 1]!)}, mean ${ms(mean(s))} (n=${s.length})`;
};
const { step, projection, interval } = room.costs;
console.log(`live phase: ${wallS.toFixed(1)} s of wall time for ${seconds} s simulated`);
console.log(`simulation step (50 ms simulated, with commands and bots): ${stats(step)}`);
console.log(`projection into schema (5 a second):                      ${stats(projection)}`);
console.log(`tick = one simulation interval (steps + projection):      ${stats(interval)}`);
console.log(`  the room uses ${((100 * (step.reduce((a, b) => a + b, 0) + projection.reduce((a, b) => a + b, 0))) / (wallS * 1000)).toFixed(1)} % of one core`);
console.log(`closing the round (finishSim + summary, in slices): ${ms(room.costs.endMs)} in all, longest slice ${ms(room.costs.endLongestSliceMs)}`);
console.log(`bytes received per client during live: mean ${Math.round(mean(perClient))} B/s, max ${Math.round(Math.max(...perClient))} B/s (goal ≤ 4096)`);
console.log(`round: score ${debrief.summary.score}, availability ${(100 * debrief.summary.availability).toFixed(3)} %, requests ${debrief.summary.requests}, commands ${debrief.commands}, refused ${players.reduce((n, p) => n + p.errors.length, 0)}`);

await Promise.all(players.map((p) => p.stop()));
await server.shutdown();
process.exit(0);
