// npm run bots -- --server ws://HOST:PORT --rooms N --players M --scenario ID --seconds T
// npm run bots -- --server ws://HOST:PORT --class --students N --teams K --scenario ID --seconds T --csv FILE
//
// Plays whole rounds through a running server: in each of N rooms, M colyseus.js clients
// each hold a node and operate it with shared/bots/node-bot.ts on the state they receive,
// sending commands exactly as a browser would; empty seats are the server's bots. Prints
// each room's outcome. Exit status 0 when every room reached its debrief. With --class it
// runs a classroom session instead (server/bots/class.ts) and writes the results CSV.

import { getScenario, SCENARIO_IDS } from '../../shared/scenarios/index.js';
import { CHAOS_LEVELS, type ChaosLevel } from '../../shared/scenarios/chaos-types.js';
import { ROUND_SECONDS } from '../rooms/options.js';
import { startBotPlayer, type BotPlayer } from './bot-client.js';
import { formatClass, playClass, type ClassArgs } from './class.js';
import { splitArgs } from '../cli/args.js';
import { MAX_TEAMS } from '../../shared/session/teams.js';
import { MAX_STUDENTS } from '../rooms/SessionRoom.js';
import type { ErrorMessage } from '../../shared/protocol/messages.js';

export interface BotsArgs {
  server: string;
  rooms: number;
  players: number;
  scenario: string;
  seconds: number;
  chaos: ChaosLevel;
  seed: number | undefined;
}

const USAGE = `usage: npm run bots -- --server ws://HOST:PORT --rooms N --players M --scenario ID --seconds T [--chaos none|normal|heavy] [--seed S]
       npm run bots -- --server ws://HOST:PORT --class --students N --teams K --scenario ID --seconds T [--chaos LEVEL] [--csv FILE]`;
const ROOM_OPTIONS = ['server', 'rooms', 'players', 'scenario', 'seconds', 'chaos', 'seed'];
const CLASS_OPTIONS = ['server', 'students', 'teams', 'scenario', 'seconds', 'chaos', 'csv'];
const MAX_ROOMS = 50;

/** Parse and check the arguments; returns an error message instead of throwing. */
export function parseBotsArgs(argv: string[]): BotsArgs | ClassArgs | string {
  const split = splitArgs(argv, ['--class'], USAGE);
  if (typeof split === 'string') return split;
  const raw = split.values;
  const asClass = split.flags.has('--class');
  const known = asClass ? CLASS_OPTIONS : ROOM_OPTIONS;
  for (const k of Object.keys(raw)) if (!known.includes(k)) return `unknown option --${k}${asClass ? ' with --class' : ''}\n${USAGE}`;
  const server = raw.server ?? 'ws://localhost:2567';
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    return `--server must be a URL such as ws://localhost:2567, got '${server}'`;
  }
  if (!['ws:', 'wss:', 'http:', 'https:'].includes(url.protocol)) return `--server must start with ws://, wss://, http:// or https://, got '${server}'`;
  const scenario = raw.scenario ?? 'bank';
  const sc = getScenario(scenario);
  if (sc === undefined) return `--scenario must be one of: ${SCENARIO_IDS.join(', ')}`;
  const seats = sc.topology.nodesPerRegion.reduce((a, b) => a + b, 0);
  const seconds = intArg(raw.seconds ?? String(ROUND_SECONDS.min), '--seconds', ROUND_SECONDS.min, ROUND_SECONDS.max);
  if (typeof seconds === 'string') return seconds;
  const chaos = raw.chaos ?? 'normal';
  if (!(CHAOS_LEVELS as readonly string[]).includes(chaos)) return `--chaos must be one of: ${CHAOS_LEVELS.join(', ')}`;
  const ws = server.replace(/^http/, 'ws');
  if (asClass) {
    const students = intArg(raw.students ?? '30', '--students', 1, MAX_STUDENTS);
    if (typeof students === 'string') return students;
    const teams = intArg(raw.teams ?? '6', '--teams', 1, MAX_TEAMS);
    if (typeof teams === 'string') return teams;
    const csv = raw.csv ?? null;
    if (csv !== null && (csv.trim() === '' || csv.length > 500)) return '--csv must be a file name';
    return { server: ws, students, teams, scenario, seconds, chaos: chaos as ChaosLevel, csv };
  }
  const rooms = intArg(raw.rooms ?? '1', '--rooms', 1, MAX_ROOMS);
  if (typeof rooms === 'string') return rooms;
  const players = intArg(raw.players ?? '1', '--players', 1, seats);
  if (typeof players === 'string') return `${players} (the ${scenario} scenario has ${seats} seats)`;
  let seed: number | undefined;
  if (raw.seed !== undefined) {
    const s = intArg(raw.seed, '--seed', 0, 0xffffffff);
    if (typeof s === 'string') return s;
    seed = s;
  }
  return { server: ws, rooms, players, scenario, seconds, chaos: chaos as ChaosLevel, seed };
}

function intArg(v: string, name: string, min: number, max: number): number | string {
  if (!/^\d+$/.test(v)) return `${name} must be a whole number from ${min} to ${max}, got '${v}'`;
  const n = Number(v);
  return n < min || n > max ? `${name} must be from ${min} to ${max}, got ${n}` : n;
}

export interface RoomOutcome {
  room: number;
  roomId: string;
  ok: boolean;
  error?: string;
  score?: number;
  availability?: number;
  staleReads?: number;
  lostWrites?: number;
  commands?: number;
  /** Refusals the bot clients received, and the first few of them. */
  errors: number;
  errorSamples: ErrorMessage[];
}

/** Play one room's round with `players` bot clients. */
export async function playRoom(args: BotsArgs, index: number): Promise<RoomOutcome> {
  const players: BotPlayer[] = [];
  try {
    const first = await startBotPlayer(args.server, {
      nickname: `r${index}-p0`,
      create: {
        scenario: args.scenario, chaos: args.chaos, roundSeconds: args.seconds, private: true,
        ...(args.seed !== undefined ? { seed: args.seed + index } : {}),
        lobbySeconds: 60, briefingSeconds: 5, setupSeconds: 5, debriefSeconds: 30,
      },
    });
    players.push(first);
    for (let p = 1; p < args.players; p++) players.push(await startBotPlayer(args.server, { nickname: `r${index}-p${p}`, roomId: first.room.roomId }));
    // Everyone is seated: stop waiting.
    for (const p of players) p.hurry(true);
    const debrief = await first.debrief;
    const s = debrief.summary;
    return {
      room: index, roomId: first.room.roomId, ok: true, score: s.score, availability: s.availability, staleReads: s.staleReads,
      lostWrites: s.lostWrites, commands: debrief.commands, ...refusals(players),
    };
  } catch (err) {
    return { room: index, roomId: players[0]?.room.roomId ?? '', ok: false, error: (err as Error).message, ...refusals(players) };
  } finally {
    await Promise.all(players.map((p) => p.stop().catch(() => {})));
  }
}

function refusals(players: BotPlayer[]): { errors: number; errorSamples: ErrorMessage[] } {
  const all = players.flatMap((p) => p.errors);
  return { errors: all.length, errorSamples: all.slice(0, 5) };
}

export function formatOutcome(o: RoomOutcome): string {
  if (!o.ok) return `room ${o.room} (${o.roomId || 'not created'}): FAILED — ${o.error}`;
  return `room ${o.room} (${o.roomId}): score ${o.score}, availability ${(100 * o.availability!).toFixed(3)} %, stale reads ${o.staleReads}, lost writes ${o.lostWrites}, commands ${o.commands}, refused ${o.errors}`;
}

const isMain = process.argv[1] !== undefined && /bots[/\\]cli\.(ts|js)$/.test(process.argv[1]);
if (isMain) {
  const args = parseBotsArgs(process.argv.slice(2));
  if (typeof args === 'string') {
    console.error(args);
    process.exit(2);
  }
  if ('students' in args) {
    console.log(`a class of ${args.students} students in ${args.teams} teams, ${args.scenario}, ${args.seconds} s round, chaos ${args.chaos}, on ${args.server}`);
    const outcome = await playClass(args, (line) => console.log(line));
    for (const line of formatClass(outcome)) console.log(line);
    if (outcome.ok && args.csv !== null) console.log(`results written to ${args.csv}`);
    process.exit(outcome.ok ? 0 : 1);
  }
  console.log(`${args.rooms} room(s) of ${args.scenario}, ${args.players} bot client(s) each, ${args.seconds} s rounds, chaos ${args.chaos}, on ${args.server}`);
  const outcomes = await Promise.all(Array.from({ length: args.rooms }, (_, i) => playRoom(args, i)));
  for (const o of outcomes) console.log(formatOutcome(o));
  process.exit(outcomes.every((o) => o.ok) ? 0 : 1);
}
