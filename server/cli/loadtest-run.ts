// The ramp behind `npm run loadtest`: start the server as real processes (spawn-server.ts,
// each with its own SQLite file in a temporary folder and an IPC channel for its figures),
// then add rooms step by step — each room created by one bot client (server/bots) and
// joined by the others, all playing through the real protocol — and at each step measure a
// window: the servers' ticks, event-loop lag, CPU and memory (server/load-probe.ts) and the
// bytes each client received. One stage on one process, then one on two sharing Redis.

import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBotPlayer, type BotPlayer } from '../bots/bot-client.js';
import { countBytes, sleep, waitForState } from '../client-util.js';
import type { LoadProbeAnswer, LoadProbeRequest, LoadSample } from '../load-probe.js';
import { quantile } from '../load-probe.js';
import { freePort, spawnServer, untilListening } from './spawn-server.js';
import { TICK_P99_LIMIT_MS, worstTickP99, type JoinCounts, type LoadReport, type LoadTestSettings, type StageReport, type StepReport } from './loadtest-report.js';

export interface LoadTestOptions extends LoadTestSettings {
  /** Which stages to run: 1 (one process), 2 (two with Redis), or both, in that order. */
  processes: number[];
  /** Redis for the two-process stage; null skips it. */
  redisUrl: string | null;
  /** Keep ramping after a process passed the tick limit (default: stop there). */
  pastCapacity?: boolean;
  /** Seconds a step waits after its rooms went live before measuring (default SETTLE_S). */
  settleS?: number;
  /** Progress lines while it runs. */
  log?: (line: string) => void;
}

/** Seconds a step waits once its rooms are live before it measures: joins and a fresh process's first rounds settle. */
const SETTLE_S = 5;
/** Longest a room may take to go live after its players joined. */
const LIVE_TIMEOUT_MS = 60_000;

export async function runLoadTest(opts: LoadTestOptions): Promise<LoadReport> {
  const { scenario, chaos, players, ramp, maxRooms, durationS } = opts;
  const report: LoadReport = {
    settings: { scenario, chaos, players, ramp, maxRooms, durationS },
    machine: { cpus: cpus().length, loadAverageBefore: loadavg() },
    stages: [],
    skipped: [],
  };
  for (const n of opts.processes) {
    if (n > 1 && opts.redisUrl === null) {
      report.skipped.push(`${n} processes: set REDIS_URL (or --redis) to a Redis the processes can share`);
      continue;
    }
    report.stages.push(await runStage(n, opts));
  }
  return report;
}

// ---------------------------------------------------------------------------------

interface ServerProcess {
  ws: string;
  child: ChildProcess;
  sample(): Promise<LoadSample>;
  stop(): Promise<void>;
}

interface PlayedRoom {
  players: BotPlayer[];
  bytes: { readonly bytes: number }[];
}

async function runStage(processes: number, opts: LoadTestOptions): Promise<StageReport> {
  const log = opts.log ?? (() => {});
  const servers: ServerProcess[] = [];
  const rooms: PlayedRoom[] = [];
  const stage: StageReport = { processes, steps: [], ended: '' };
  try {
    const ports = await Promise.all(Array.from({ length: processes }, () => freePort()));
    for (const port of ports) {
      const redis: Record<string, string> = processes > 1 ? { REDIS_URL: opts.redisUrl!, PUBLIC_ADDRESS: `127.0.0.1:${port}` } : {};
      servers.push(await startServer(port, redis));
    }
    log(`${processes} server process${processes === 1 ? '' : 'es'} listening`);
    for (let perProcess = opts.ramp; perProcess <= opts.maxRooms; perProcess += opts.ramp) {
      const target = perProcess * processes;
      const joins = newJoins();
      const adding = Array.from({ length: target - rooms.length }, (_, k) => rooms.length + k);
      // Every client asks the first process; with Redis it places each new room on the process
      // with the fewest (scale-out.ts counts the ones it has just placed), and the client then
      // connects to the process that holds its room.
      const added = await Promise.all(adding.map((i) => playRoom(servers[0]!.ws, i, opts, joins)));
      rooms.push(...added);
      const live = rooms.filter(isLive).length;
      await sleep((opts.settleS ?? SETTLE_S) * 1000);
      // A fresh window on every process and for the bytes, then the measured one.
      await Promise.all(servers.map((s) => s.sample()));
      const clients = rooms.flatMap((r) => r.bytes);
      const before = clients.map((c) => c.bytes);
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      await sleep(opts.durationS * 1000);
      const samples = await Promise.all(servers.map((s) => s.sample()));
      const wallMs = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      const received = clients.reduce((n, c, i) => n + (c.bytes - before[i]!), 0);
      const step: StepReport = {
        rooms: target,
        liveRooms: live,
        clients: clients.length,
        joins: summarize(joins),
        bytesPerClientPerS: clients.length > 0 ? received / clients.length / (wallMs / 1000) : 0,
        generatorCpuPercent: ((cpu.user + cpu.system) / 1000 / wallMs) * 100,
        machineLoad: loadavg()[0]!,
        servers: samples,
      };
      stage.steps.push(step);
      log(`${target} rooms (${live} live): tick p99 ${samples.map((s) => s.ticks.p99.toFixed(1)).join(' / ')} ms, lag p99 ${samples.map((s) => s.lag.p99.toFixed(1)).join(' / ')} ms, CPU ${samples.map((s) => s.cpuPercent.toFixed(0)).join(' / ')} %`);
      if (worstTickP99(step) > TICK_P99_LIMIT_MS && opts.pastCapacity !== true) {
        stage.ended = `a process's tick p99 passed ${TICK_P99_LIMIT_MS} ms at the step of ${perProcess} rooms a process`;
        break;
      }
    }
    if (stage.ended === '') stage.ended = `the top of the ramp (${opts.maxRooms} rooms a process)`;
  } catch (err) {
    stage.ended = `stopped by an error: ${(err as Error).message}`;
  } finally {
    await Promise.all(rooms.flatMap((r) => r.players.map((p) => Promise.race([p.stop(), sleep(5000)]).catch(() => {}))));
    await Promise.all(servers.map((s) => s.stop()));
  }
  return stage;
}

/** One room: its first bot client creates it (private, a long round, no waiting once all are in), the others join it. */
async function playRoom(endpoint: string, index: number, opts: LoadTestOptions, joins: Joins): Promise<PlayedRoom> {
  const room: PlayedRoom = { players: [], bytes: [] };
  const join = async (p: number): Promise<boolean> => {
    const t0 = performance.now();
    joins.attempted++;
    try {
      const player = p === 0
        ? await startBotPlayer(endpoint, {
            nickname: `load${index}-${p}`,
            // The longest round there is, so no room ends while the ramp goes on; a seed each, fixed.
            create: { scenario: opts.scenario, chaos: opts.chaos, roundSeconds: 600, private: true, lobbySeconds: 120, briefingSeconds: 0, setupSeconds: 0, seed: index + 1 },
          })
        : await startBotPlayer(endpoint, { nickname: `load${index}-${p}`, roomId: room.players[0]!.room.roomId });
      joins.ms.push(performance.now() - t0);
      room.players.push(player);
      room.bytes.push(countBytes(player.room));
      return true;
    } catch (err) {
      joins.failed++;
      const why = (err as Error).message.slice(0, 120);
      joins.why[why] = (joins.why[why] ?? 0) + 1;
      return false;
    }
  };
  if (!(await join(0))) return room;
  for (let p = 1; p < opts.players; p++) await join(p);
  // Everyone is in: the lobby ends at once and the empty seats go to the server's bots.
  for (const p of room.players) p.hurry(true);
  await waitForState(room.players[0]!.room, (s) => s.phase === 'live', LIVE_TIMEOUT_MS, 'the live phase').catch(() => {});
  return room;
}

function isLive(room: PlayedRoom): boolean {
  const first = room.players[0];
  return first !== undefined && first.room.connection.isOpen && first.room.state?.phase === 'live';
}

interface Joins {
  attempted: number;
  failed: number;
  why: Record<string, number>;
  ms: number[];
}

function newJoins(): Joins {
  return { attempted: 0, failed: 0, why: {}, ms: [] };
}

function summarize(j: Joins): JoinCounts {
  return { attempted: j.attempted, failed: j.failed, why: j.why, p50Ms: quantile(j.ms, 0.5), p99Ms: quantile(j.ms, 0.99) };
}

/** A server process with its own SQLite file, no cap on room creation (every room comes from one address), and a probe channel. */
async function startServer(port: number, env: Record<string, string>): Promise<ServerProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'split-brain-load-'));
  const child = spawnServer(port, { DATA_DIR: dataDir, MONITOR_PASSWORD: '', ROOMS_PER_MINUTE: '999999', ...env }, { ipc: true });
  try {
    await untilListening(child);
  } catch (err) {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  let nextId = 0;
  return {
    ws: `ws://127.0.0.1:${port}`,
    child,
    sample: () =>
      new Promise<LoadSample>((resolve, reject) => {
        const id = ++nextId;
        const timer = setTimeout(() => {
          child.off('message', onMessage);
          reject(new Error(`the server process on port ${port} did not report its figures within 30 s`));
        }, 30_000);
        const onMessage = (m: unknown) => {
          const a = m as Partial<LoadProbeAnswer> | null;
          if (a === null || typeof a !== 'object' || a.type !== 'load-sample' || a.id !== id || a.sample === undefined) return;
          clearTimeout(timer);
          child.off('message', onMessage);
          resolve(a.sample);
        };
        child.on('message', onMessage);
        child.send({ type: 'load-sample', id } satisfies LoadProbeRequest);
      }),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const gone = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await gone;
        clearTimeout(t);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
