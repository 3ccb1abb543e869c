// What `npm run loadtest` found, and how it prints it: one table per stage (one process,
// then two sharing Redis), a row per ramp step and server process, and the capacity line —
// the room count at which a process's tick p99 first passed TICK_P99_LIMIT_MS.

import type { LoadSample } from '../load-probe.js';

/** A process is at capacity once its ticks' p99 passes this (a tick is due every 50 ms). */
export const TICK_P99_LIMIT_MS = 50;

export interface LoadTestSettings {
  scenario: string;
  chaos: string;
  /** Bot clients in each room (the other seats are the server's own bots). */
  players: number;
  /** Rooms added per process at each step, and the most rooms per process. */
  ramp: number;
  maxRooms: number;
  /** Seconds measured at each step. */
  durationS: number;
}

export interface JoinCounts {
  /** Clients that tried to take a seat, and those that failed (with why: message → count). */
  attempted: number;
  failed: number;
  why: Record<string, number>;
  /** Wall-clock ms from asking for a seat to holding it, over the successful joins. */
  p50Ms: number;
  p99Ms: number;
}

export interface StepReport {
  /** Rooms asked for in all, and those that reached their live round. */
  rooms: number;
  liveRooms: number;
  clients: number;
  /** Joins during this step (the rooms it added). */
  joins: JoinCounts;
  /** Bytes each bot client received per second over the measured window (mean over clients). */
  bytesPerClientPerS: number;
  /** The load generator's own CPU (it shares the machine with the servers), % of one core. */
  generatorCpuPercent: number;
  /** The machine's 1-minute load average at the end of the window (other work on a shared machine shows here). */
  machineLoad: number;
  /** Each server process over the measured window, in order (A, B…). */
  servers: LoadSample[];
}

export interface StageReport {
  processes: number;
  steps: StepReport[];
  /** Why the ramp ended: the top was reached, or a process passed the tick limit, or an error. */
  ended: string;
}

export interface LoadReport {
  settings: LoadTestSettings;
  machine: { cpus: number; loadAverageBefore: number[] };
  stages: StageReport[];
  /** Stages not run, and why (two processes without REDIS_URL). */
  skipped: string[];
}

/** The worst tick p99 of a step over its processes. */
export function worstTickP99(step: StepReport): number {
  return Math.max(0, ...step.servers.map((s) => s.ticks.p99));
}

/**
 * A stage's capacity per process: the live rooms of the process whose tick p99 first passed
 * the limit (null: none did, up to the last step), and the most rooms a process held below it.
 */
export function capacityOf(stage: StageReport): { passedAt: number | null; lastBelow: number | null } {
  let lastBelow: number | null = null;
  for (const step of stage.steps) {
    const over = step.servers.filter((s) => s.ticks.p99 > TICK_P99_LIMIT_MS);
    if (over.length > 0) return { passedAt: Math.min(...over.map((s) => s.liveRooms)), lastBelow };
    lastBelow = Math.max(0, ...step.servers.map((s) => s.liveRooms));
  }
  return { passedAt: null, lastBelow };
}

export function formatLoadReport(r: LoadReport): string[] {
  const s = r.settings;
  const out: string[] = [];
  out.push(`load test: ${s.scenario}, chaos ${s.chaos}, ${s.players} bot client${s.players === 1 ? '' : 's'} a room, ${s.ramp} room${s.ramp === 1 ? '' : 's'} more per process each step up to ${s.maxRooms}, ${s.durationS} s measured a step`);
  out.push(`machine: ${r.machine.cpus} CPU${r.machine.cpus === 1 ? '' : 's'}, load average ${r.machine.loadAverageBefore.map((x) => x.toFixed(2)).join(' / ')} (1/5/15 min) before the run; the load generator runs on the same machine`);
  for (const stage of r.stages) {
    out.push('');
    out.push(stage.processes === 1 ? 'one server process' : `${stage.processes} server processes sharing Redis`);
    const head = ['rooms', 'live', 'clients', 'joins', 'failed', 'join p50/p99 ms', 'B/s a client', 'process', 'its rooms', 'tick p50', 'tick p99', 'tick max', 'lag p50', 'lag p99', 'lag max', 'speed', 'CPU %', 'RSS MB', 'generator CPU %', 'machine load'];
    const rows: string[][] = [];
    for (const step of stage.steps) {
      step.servers.forEach((p, i) => {
        const first = i === 0;
        rows.push([
          first ? String(step.rooms) : '', first ? String(step.liveRooms) : '', first ? String(step.clients) : '',
          first ? String(step.joins.attempted) : '', first ? String(step.joins.failed) : '',
          first ? `${step.joins.p50Ms.toFixed(0)}/${step.joins.p99Ms.toFixed(0)}` : '',
          first ? step.bytesPerClientPerS.toFixed(0) : '',
          String.fromCharCode(65 + i), String(p.liveRooms),
          p.ticks.p50.toFixed(2), p.ticks.p99.toFixed(2), p.ticks.max.toFixed(1),
          p.lag.p50.toFixed(1), p.lag.p99.toFixed(1), p.lag.max.toFixed(1),
          `${p.speed.toFixed(2)}×`, p.cpuPercent.toFixed(0), p.rssMB.toFixed(0),
          first ? step.generatorCpuPercent.toFixed(0) : '', first ? step.machineLoad.toFixed(1) : '',
        ]);
      });
    }
    out.push(...table(head, rows));
    const failures = stage.steps.flatMap((st) => Object.entries(st.joins.why));
    for (const [why, n] of failures) out.push(`  failed join ×${n}: ${why}`);
    const cap = capacityOf(stage);
    out.push(stage.steps.length === 0
      ? 'capacity: not measured (no step completed)'
      : cap.passedAt !== null
      ? `capacity: tick p99 passed ${TICK_P99_LIMIT_MS} ms at ${cap.passedAt} rooms a process${cap.lastBelow !== null ? ` (below it at ${cap.lastBelow})` : ' (already at the first step)'}`
      : `capacity: tick p99 stayed under ${TICK_P99_LIMIT_MS} ms up to ${cap.lastBelow ?? 0} rooms a process (the top of this ramp)`);
    out.push(`ramp ended: ${stage.ended}`);
  }
  for (const why of r.skipped) out.push('', `skipped: ${why}`);
  out.push('', 'tick: one simulation interval of one room (its fixed steps and the projection), wall-clock ms; lag: how late the event loop ran;');
  out.push('speed: simulated over wall-clock time, median room (1.00× = real time); CPU: % of one core; B/s a client: bytes each bot client received;');
  out.push(`machine load: the 1-minute load average at the step's end (above ${r.machine.cpus}, processes were waiting for a CPU).`);
  return out;
}

function table(head: string[], rows: string[][]): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ').trimEnd();
  return [line(head), ...rows.map(line)];
}
