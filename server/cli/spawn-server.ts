// The game server as its own Node process, started the way `npm run serve` starts it, for
// the tools and tests that need a real process (the fuzzer, the crash and scale-out tests):
// a free port, the spawn with the embedded defaults unless told otherwise, and the wait
// until it says it is listening.

import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => resolve(typeof addr === 'object' && addr !== null ? addr.port : 0));
    });
  });
}

/**
 * server/main.ts on `port` (127.0.0.1), no client, no database server, no Redis, unless `env`
 * says otherwise. With `ipc`, the process also answers the load test's probes (server/load-probe.ts).
 */
export function spawnServer(port: number, env: Record<string, string>, opts: { ipc?: boolean } = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', CLIENT_DIR: '', DATABASE_URL: '', REDIS_URL: '', PUBLIC_ADDRESS: '', ...env },
    stdio: opts.ipc === true ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
}

/** Resolves once the process says it is listening; rejects if it exits first or takes over 30 s. */
export function untilListening(child: ChildProcess): Promise<void> {
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
