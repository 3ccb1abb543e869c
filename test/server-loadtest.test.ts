// npm run loadtest: its arguments, its capacity rule, and one tiny ramp against a real server
// process, checking the report's shape (the figures themselves are the machine's: no timed
// assertion here; the README shows a real run).
import { describe, expect, it } from 'vitest';
import { parseLoadTestArgs } from '../server/cli/loadtest.js';
import { runLoadTest } from '../server/cli/loadtest-run.js';
import { capacityOf, formatLoadReport, TICK_P99_LIMIT_MS, type LoadReport, type StageReport, type StepReport } from '../server/cli/loadtest-report.js';
import type { LoadSample } from '../server/load-probe.js';

describe('npm run loadtest: arguments', () => {
  it('has defaults for everything and refuses what it cannot run, in words', () => {
    const d = parseLoadTestArgs([], {});
    if (typeof d === 'string') throw new Error(d);
    expect(d).toMatchObject({ scenario: 'bank', players: 3, ramp: 10, maxRooms: 60, durationS: 10, processes: [1, 2], redisUrl: null });
    const r = parseLoadTestArgs(['--rooms', '8', '--players', '2', '--ramp', '2', '--duration', '5', '--scenario', 'feed', '--processes', '2'], { REDIS_URL: 'redis://127.0.0.1:6379/3' });
    if (typeof r === 'string') throw new Error(r);
    expect(r).toMatchObject({ scenario: 'feed', players: 2, ramp: 2, maxRooms: 8, durationS: 5, processes: [2], redisUrl: 'redis://127.0.0.1:6379/3' });
    expect(parseLoadTestArgs(['--players', '99'], {})).toMatch(/seats/);
    expect(parseLoadTestArgs(['--rooms', '4', '--ramp', '5'], {})).toMatch(/--ramp/);
    expect(parseLoadTestArgs(['--processes', '3'], {})).toMatch(/1, 2 or both/);
    expect(parseLoadTestArgs(['--processes', '2'], {})).toMatch(/REDIS_URL/);
    expect(parseLoadTestArgs(['--sudo', 'yes'], {})).toMatch(/unknown option --sudo/);
    expect(parseLoadTestArgs(['--scenario', 'nope'], {})).toMatch(/--scenario must be one of/);
  });
});

describe('npm run loadtest: capacity', () => {
  const sample = (liveRooms: number, p99: number): LoadSample => ({
    windowMs: 1000, rooms: liveRooms, liveRooms, clients: liveRooms * 3,
    ticks: { count: 100, p50: 1, p99, max: p99 }, lag: { p50: 0, p99: 0, max: 0 }, speed: 1, cpuPercent: 10, rssMB: 100, heapMB: 50,
  });
  const step = (servers: LoadSample[]): StepReport => ({
    rooms: servers.reduce((n, s) => n + s.liveRooms, 0), liveRooms: 0, clients: 0,
    joins: { attempted: 0, failed: 0, why: {}, p50Ms: 0, p99Ms: 0 }, bytesPerClientPerS: 0, generatorCpuPercent: 0, machineLoad: 0, servers,
  });

  it('is the rooms on the process whose tick p99 first passed the limit, with the last count below it', () => {
    const one: StageReport = { processes: 1, ended: '', steps: [step([sample(5, 3)]), step([sample(10, 20)]), step([sample(15, TICK_P99_LIMIT_MS + 1)])] };
    expect(capacityOf(one)).toEqual({ passedAt: 15, lastBelow: 10 });
    const two: StageReport = { processes: 2, ended: '', steps: [step([sample(5, 3), sample(5, 4)]), step([sample(9, 80), sample(11, 30)])] };
    expect(capacityOf(two)).toEqual({ passedAt: 9, lastBelow: 5 });
    const never: StageReport = { processes: 1, ended: '', steps: [step([sample(5, 3)])] };
    expect(capacityOf(never)).toEqual({ passedAt: null, lastBelow: 5 });
  });
});

describe('npm run loadtest: a tiny ramp against a real server process', () => {
  it('reports joins, ticks, lag, CPU and memory per process and bytes per client, and says why it skipped two processes', async () => {
    const report: LoadReport = await runLoadTest({
      scenario: 'tutorial', chaos: 'normal', players: 1, ramp: 1, maxRooms: 1, durationS: 2, settleS: 1, processes: [1, 2], redisUrl: null,
    });
    expect(report.stages).toHaveLength(1);
    expect(report.skipped.join()).toMatch(/REDIS_URL/);
    const stage = report.stages[0]!;
    expect(stage.ended).toMatch(/top of the ramp|passed/);
    expect(stage.steps).toHaveLength(1);
    const s = stage.steps[0]!;
    expect(s.joins).toMatchObject({ attempted: 1, failed: 0 });
    expect(s).toMatchObject({ rooms: 1, liveRooms: 1, clients: 1 });
    expect(s.bytesPerClientPerS).toBeGreaterThan(0);
    expect(s.servers).toHaveLength(1);
    const p = s.servers[0]!;
    expect(p.liveRooms).toBe(1);
    expect(p.clients).toBe(1);
    expect(p.ticks.count).toBeGreaterThan(0);
    expect(p.ticks.p99).toBeGreaterThanOrEqual(p.ticks.p50);
    expect(p.speed).toBeGreaterThan(0);
    expect(p.rssMB).toBeGreaterThan(10);
    expect(p.cpuPercent).toBeGreaterThan(0);
    const text = formatLoadReport(report).join('\n');
    expect(text).toMatch(/one server process/);
    expect(text).toMatch(/tick p99/);
    expect(text).toMatch(/^capacity: /m);
    expect(text).toMatch(/skipped: 2 processes: set REDIS_URL/);
  }, 120_000);
});
