// Fuzz a real game server with hostile messages from every kind of client:
//   npm run fuzz -- [--seed N] [--messages N] [--server ws://host:port]
// Without --server it starts one (its own process, data in a temporary folder) and reads its
// error output. Prints a table of what was sent and how the server answered; exits 1 on a
// crash, a lost room, a silent socket or a stalled round (fuzz-report.ts), 2 on bad arguments.

import { splitArgs } from './args.js';
import { FuzzRun, type Finding, type SentFrame } from './fuzz-run.js';
import { describeFrame } from './fuzz-frames.js';
import { classifyServerLine, formatReport, verdict } from './fuzz-report.js';
import { healthy, startServerProcess, type ServerProcess } from './fuzz-server.js';

const USAGE = 'usage: npm run fuzz -- [--seed N] [--messages N] [--batch N] [--server ws://host:port]';

export interface FuzzArgs {
  seed: number;
  messages: number;
  batch: number;
  /** ws:// address of a server to fuzz; null starts one. */
  server: string | null;
}

/** Parse and check the arguments; a problem comes back as its message. */
export function parseFuzzArgs(argv: string[]): FuzzArgs | string {
  const split = splitArgs(argv, [], USAGE);
  if (typeof split === 'string') return split;
  const raw = split.values;
  for (const k of Object.keys(raw)) if (!['seed', 'messages', 'batch', 'server'].includes(k)) return `unknown option --${k}\n${USAGE}`;
  const seed = Number(raw.seed ?? '1');
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) return '--seed must be an integer from 0 to 4294967295';
  const messages = Number(raw.messages ?? '100000');
  if (!Number.isInteger(messages) || messages < 1 || messages > 100_000_000) return '--messages must be a positive integer';
  const batch = Number(raw.batch ?? '32');
  if (!Number.isInteger(batch) || batch < 1 || batch > 1000) return '--batch must be an integer from 1 to 1000';
  const server = raw.server ?? null;
  if (server !== null && !/^wss?:\/\/[^/\s]+\/?$/.test(server)) return '--server must look like ws://host:port';
  return { seed, messages, batch, server };
}

async function main(): Promise<number> {
  const args = parseFuzzArgs(process.argv.slice(2));
  if (typeof args === 'string') {
    console.error(args);
    return 2;
  }
  let proc: ServerProcess | null = null;
  const endpoint = args.server?.replace(/\/$/, '') ?? (proc = await startServerProcess()).ws;
  const http = endpoint.replace(/^ws/, 'http');
  const run = new FuzzRun({
    endpoint,
    seed: args.seed,
    messages: args.messages,
    batch: args.batch,
    progress: (sent, total) => process.stderr.write(`\r  ${sent} / ${total} messages sent`),
  });
  // Uncaught errors: each one's candidates (every lane's last frames) are sent again alone after the run.
  let uncaught = 0;
  let pinpointing = false;
  const candidates = new Map<Finding, SentFrame[]>();
  proc?.onErrorLine((line) => {
    const what = classifyServerLine(line);
    if (what === 'uncaught') uncaught++;
    if (what === null || pinpointing) return;
    const finding: Finding = { what, text: line, recent: run.recent() };
    run.findings.push(finding);
    if (what === 'uncaught') candidates.set(finding, run.recentSent());
  });
  proc?.onExit((how) => run.abort({ what: 'crash', text: `the server process ${how}`, recent: run.recent() }));
  console.log(`fuzzing ${endpoint} with seed ${args.seed}, ${args.messages} messages${proc !== null ? ' (server started for this run)' : " (its output is not read here: check the server's log for uncaught errors)"}`);
  try {
    const result = await run.run();
    process.stderr.write('\n');
    // Give a last error line time to arrive.
    await new Promise((r) => setTimeout(r, 500));
    pinpointing = true;
    for (const [finding, sent] of [...candidates].slice(0, 3)) {
      if (proc?.exit) break;
      const hit = await run.pinpoint(sent, () => uncaught);
      finding.text += hit !== null
        ? `\n-> reproduced alone by ${hit.kind} (${hit.lane}): ${describeFrame(hit.frame, 2000)}`
        : '\n-> no single frame sent just before reproduces it (it needs what came before, or the room\'s state)';
    }
    const server = { exit: proc?.exit ?? null, healthz: await healthy(http) };
    const v = verdict(result, server);
    console.log(formatReport(result, server, v));
    return v.ok ? 0 : 1;
  } catch (err) {
    console.error(`\nfuzz: the run could not go on: ${(err as Error).stack ?? err}`);
    if (proc?.exit) console.error(`the server process ${proc.exit}`);
    return 1;
  } finally {
    await proc?.stop();
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop()!);
// Exit once reported: a bot's long timers must not hold the process.
if (isMain) process.exit(await main());
