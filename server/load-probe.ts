// What one server process is going through, for `npm run loadtest` (server/cli/loadtest.ts):
// the ticks of its live rounds, event-loop lag, CPU and memory, measured since the previous
// sample. The load test starts the server as a child process with an IPC channel and asks
// over it; the channel exists only then, so nothing of this is reachable from the network.

import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { ClusterRoom } from './rooms/ClusterRoom.js';

/** One process's figures over the window since the previous sample. */
export interface LoadSample {
  /** Wall-clock length of the window, ms. */
  windowMs: number;
  /** Cluster rooms alive now, and those whose round was live at some point of the window. */
  rooms: number;
  liveRooms: number;
  /** Clients connected to those rooms now. */
  clients: number;
  /** Ticks (one simulation interval of one room: its steps and projection), wall-clock ms. */
  ticks: { count: number; p50: number; p99: number; max: number };
  /** How late the event loop ran its callbacks, ms. */
  lag: { p50: number; p99: number; max: number };
  /** Simulated time over wall-clock time, the median over live rooms (1 = real time). */
  speed: number;
  /** CPU time over wall-clock time, % of one core. */
  cpuPercent: number;
  rssMB: number;
  heapMB: number;
}

/** A request the load test sends over IPC, and the answer. */
export interface LoadProbeRequest {
  type: 'load-sample';
  id: number;
}
export interface LoadProbeAnswer {
  type: 'load-sample';
  id: number;
  sample: LoadSample;
}

/** The event-loop lag is sampled by a timer this often, ms. */
const LAG_RESOLUTION_MS = 10;

export class LoadProbe {
  private readonly lagHistogram = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
  private readonly seen = new WeakMap<ClusterRoom, { intervals: number; simMs: number }>();
  private windowStart = performance.now();
  private cpu = process.cpuUsage();

  constructor(private readonly rooms: () => Iterable<ClusterRoom>) {
    this.lagHistogram.enable();
    // Mark where every room is now, so the first sample covers only what follows.
    this.sample();
  }

  /** The figures since the previous call; starts the next window. */
  sample(): LoadSample {
    const now = performance.now();
    const windowMs = now - this.windowStart;
    const ticks: number[] = [];
    const speeds: number[] = [];
    let rooms = 0;
    let liveRooms = 0;
    let clients = 0;
    for (const room of this.rooms()) {
      rooms++;
      const before = this.seen.get(room);
      const intervals = room.costs.intervals;
      const simMs = room.round.phase === 'live' ? room.sim.S.now : 0;
      this.seen.set(room, { intervals, simMs });
      if (before === undefined) continue;
      const fresh = Math.min(intervals - before.intervals, room.costs.interval.length);
      if (fresh <= 0) continue;
      liveRooms++;
      clients += room.clients.length;
      for (const ms of room.costs.interval.slice(-fresh)) ticks.push(ms);
      if (before.simMs > 0 && simMs >= before.simMs && windowMs > 0) speeds.push((simMs - before.simMs) / windowMs);
    }
    const cpu = process.cpuUsage(this.cpu);
    const mem = process.memoryUsage();
    const h = this.lagHistogram;
    // The histogram records each sampling timer's whole wait: the lag is what goes past its resolution.
    const nsToMs = (ns: number) => (Number.isFinite(ns) ? Math.max(0, ns / 1e6 - LAG_RESOLUTION_MS) : 0);
    const out: LoadSample = {
      windowMs,
      rooms,
      liveRooms,
      clients,
      ticks: { count: ticks.length, p50: quantile(ticks, 0.5), p99: quantile(ticks, 0.99), max: quantile(ticks, 1) },
      lag: { p50: h.count > 0 ? nsToMs(h.percentile(50)) : 0, p99: h.count > 0 ? nsToMs(h.percentile(99)) : 0, max: h.count > 0 ? nsToMs(h.max) : 0 },
      speed: quantile(speeds, 0.5),
      cpuPercent: windowMs > 0 ? ((cpu.user + cpu.system) / 1000 / windowMs) * 100 : 0,
      rssMB: mem.rss / 2 ** 20,
      heapMB: mem.heapUsed / 2 ** 20,
    };
    h.reset();
    this.cpu = process.cpuUsage();
    this.windowStart = now;
    return out;
  }
}

/** Answer the load test's requests on this process's IPC channel, when it was started with one. */
export function answerLoadProbes(rooms: () => Iterable<ClusterRoom>): void {
  const send = process.send?.bind(process);
  if (send === undefined) return;
  const probe = new LoadProbe(rooms);
  process.on('message', (m: unknown) => {
    const req = m as Partial<LoadProbeRequest> | null;
    if (req === null || typeof req !== 'object' || req.type !== 'load-sample' || typeof req.id !== 'number') return;
    send({ type: 'load-sample', id: req.id, sample: probe.sample() } satisfies LoadProbeAnswer);
  });
  // The channel must not keep a process that is shutting down alive; and a server the load
  // test started does not outlive it (a load test killed outright leaves no process behind).
  process.channel?.unref();
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}

/** The q-quantile (0..1) of xs by nearest rank; 0 for none. */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}
