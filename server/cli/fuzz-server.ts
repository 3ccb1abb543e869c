// The server under fuzzing as its own process, started the way `npm run serve` starts it
// (its own port, its SQLite file in a temporary folder), with its output read line by line:
// a "[process] uncaught" line is a finding even when the process lives on.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

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

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export async function startServerProcess(): Promise<ServerProcess> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'split-brain-fuzz-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, CLIENT_DIR: '', DATABASE_URL: '', REDIS_URL: '', PUBLIC_ADDRESS: '', MONITOR_PASSWORD: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
  await listening(child);
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

function listening(child: ChildProcess): Promise<void> {
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start in 30 s:\n${output}`)), 30_000);
    const onData = (b: Buffer) => {
      output += b.toString();
      if (output.includes('listening on')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with ${code} before listening:\n${output}`));
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => resolve(typeof addr === 'object' && addr !== null ? addr.port : 0));
    });
  });
}
