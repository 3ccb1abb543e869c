// The server under fuzzing as its own process, started the way `npm run serve` starts it
// (its own port, its SQLite file in a temporary folder), with its output read line by line:
// a "[process] uncaught" line is a finding even when the process lives on.

import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, spawnServer, untilListening } from './spawn-server.js';

export interface ServerProcess {
  ws: string;
  http: string;
  /** Null while it runs; its exit code (or signal) once it stopped. */
  readonly exit: string | null;
  /** Every line it wrote to stderr is passed here (stack lines folded into the line they belong to). */
  onErrorLine(listener: (line: string) => void): void;
  /** Called once if the process ends before stop(). */
  onExit(listener: (how: string) => void): void;
  stop(): Promise<void>;
}

export async function startServerProcess(): Promise<ServerProcess> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'split-brain-fuzz-'));
  const child = spawnServer(port, { DATA_DIR: dataDir, MONITOR_PASSWORD: '' });
  let exit: string | null = null;
  let stopping = false;
  const exitListeners: ((how: string) => void)[] = [];
  child.once('exit', (code, signal) => {
    exit = signal !== null ? `was killed by ${signal}` : `exited with code ${code}`;
    if (!stopping) for (const l of exitListeners) l(exit);
  });
  const listeners: ((line: string) => void)[] = [];
  foldLines(child, (line) => {
    for (const l of listeners) l(line);
  });
  await untilListening(child);
  return {
    ws: `ws://127.0.0.1:${port}`,
    http: `http://127.0.0.1:${port}`,
    get exit() {
      return exit;
    },
    onErrorLine: (l) => void listeners.push(l),
    onExit: (l) => void exitListeners.push(l),
    async stop() {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) {
        const gone = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await gone;
        clearTimeout(t);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Whether the server answers /healthz with 200 right now. */
export async function healthy(http: string): Promise<boolean> {
  try {
    const res = await fetch(`${http}/healthz`, { signal: AbortSignal.timeout(5000) });
    return res.status === 200;
  } catch {
    return false;
  }
}

/** The server's stderr as lines; a stack's "    at …" lines join the line they belong to. */
function foldLines(child: ChildProcess, emit: (line: string) => void): void {
  let buffer = '';
  let pending: string | null = null;
  let flushTimer: ReturnType<typeof setTimeout> | null = null;
  const flush = () => {
    if (pending !== null) emit(pending);
    pending = null;
  };
  child.stderr!.on('data', (b: Buffer) => {
    buffer += b.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop()!;
    for (const line of lines) {
      if (pending !== null && /^\s+at |^\s*\{|^\s*\}|^\s+\w+: /.test(line)) pending += `\n${line}`;
      else {
        flush();
        pending = line;
      }
    }
    if (flushTimer !== null) clearTimeout(flushTimer);
    flushTimer = setTimeout(flush, 50);
  });
  child.stdout!.on('data', () => {});
}
