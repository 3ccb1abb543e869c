// npm run loadtest -- [--rooms N] [--players M] [--ramp K] [--duration S] [--scenario ID] [--chaos LEVEL] [--processes 1|2|both] [--redis URL] [--past-capacity]
//
// How many rounds one server process holds: rooms of M bot clients (server/bots) added K at
// a time, up to N rooms a process, on one server process and then on two sharing Redis
// (REDIS_URL, or --redis). At each step it measures S seconds and prints joins and failed
// joins, tick p50/p99, event-loop lag, CPU and memory of each process, and the bytes each
// client received; the capacity of a process is the room count at which its tick p99 first
// passes 50 ms (the ramp stops there unless --past-capacity). Runs locally, starting its
// own server processes; the figures are only as quiet as the machine.

import { getScenario, SCENARIO_IDS } from '../../shared/scenarios/index.js';
import { CHAOS_LEVELS } from '../../shared/scenarios/chaos-types.js';
import { splitArgs } from './args.js';
import { formatLoadReport } from './loadtest-report.js';
import { runLoadTest, type LoadTestOptions } from './loadtest-run.js';

const USAGE = 'usage: npm run loadtest -- [--rooms N] [--players M] [--ramp K] [--duration S] [--scenario ID] [--chaos none|normal|heavy] [--processes 1|2|both] [--redis URL] [--past-capacity]';
const OPTIONS = ['rooms', 'players', 'ramp', 'duration', 'scenario', 'chaos', 'processes', 'redis'];
export const LOADTEST_DEFAULTS = { rooms: 60, players: 3, ramp: 10, duration: 10, scenario: 'bank', chaos: 'normal', processes: 'both' } as const;

/** Parse and check the arguments; returns a message instead of throwing. */
export function parseLoadTestArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): LoadTestOptions | string {
  const split = splitArgs(argv, ['--past-capacity'], USAGE);
  if (typeof split === 'string') return split;
  const raw = split.values;
  for (const k of Object.keys(raw)) if (!OPTIONS.includes(k)) return `unknown option --${k}\n${USAGE}`;
  const scenario = raw.scenario ?? LOADTEST_DEFAULTS.scenario;
  const sc = getScenario(scenario);
  if (sc === undefined) return `--scenario must be one of: ${SCENARIO_IDS.join(', ')}`;
  const seats = sc.topology.nodesPerRegion.reduce((a, b) => a + b, 0);
  const chaos = raw.chaos ?? LOADTEST_DEFAULTS.chaos;
  if (!(CHAOS_LEVELS as readonly string[]).includes(chaos)) return `--chaos must be one of: ${CHAOS_LEVELS.join(', ')}`;
  const rooms = intArg(raw.rooms ?? String(LOADTEST_DEFAULTS.rooms), '--rooms', 1, 500);
  if (typeof rooms === 'string') return rooms;
  const players = intArg(raw.players ?? String(Math.min(LOADTEST_DEFAULTS.players, seats)), '--players', 1, seats);
  if (typeof players === 'string') return `${players} (the ${scenario} scenario has ${seats} seats)`;
  const ramp = intArg(raw.ramp ?? String(Math.min(LOADTEST_DEFAULTS.ramp, rooms)), '--ramp', 1, rooms);
  if (typeof ramp === 'string') return `${ramp} (rooms added a step, at most --rooms)`;
  const duration = intArg(raw.duration ?? String(LOADTEST_DEFAULTS.duration), '--duration', 1, 600);
  if (typeof duration === 'string') return duration;
  const which = raw.processes ?? LOADTEST_DEFAULTS.processes;
  const processes = which === 'both' ? [1, 2] : which === '1' ? [1] : which === '2' ? [2] : null;
  if (processes === null) return `--processes must be 1, 2 or both, got '${which}'`;
  const redis = (raw.redis ?? env.REDIS_URL ?? '').trim();
  if (redis !== '' && !/^rediss?:\/\//.test(redis)) return `--redis (or REDIS_URL) must be a redis:// URL, got '${redis}'`;
  if (which === '2' && redis === '') return '--processes 2 needs Redis: set REDIS_URL or --redis redis://127.0.0.1:6379';
  return {
    scenario, chaos, players, ramp, maxRooms: rooms, durationS: duration, processes,
    redisUrl: redis === '' ? null : redis, pastCapacity: split.flags.has('--past-capacity'),
  };
}

function intArg(v: string, name: string, min: number, max: number): number | string {
  if (!/^\d+$/.test(v)) return `${name} must be a whole number from ${min} to ${max}, got '${v}'`;
  const n = Number(v);
  return n < min || n > max ? `${name} must be from ${min} to ${max}, got ${n}` : n;
}

const isMain = process.argv[1] !== undefined && /cli[/\\]loadtest\.(ts|js)$/.test(process.argv[1]);
if (isMain) {
  const opts = parseLoadTestArgs(process.argv.slice(2));
  if (typeof opts === 'string') {
    console.error(opts);
    process.exit(2);
  }
  const report = await runLoadTest({ ...opts, log: (line) => console.log(`  ${line}`) });
  console.log('');
  for (const line of formatLoadReport(report)) console.log(line);
  const broken = report.stages.some((s) => s.ended.startsWith('stopped by an error'));
  process.exit(broken ? 1 : 0);
}
