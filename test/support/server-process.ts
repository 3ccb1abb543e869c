// The game server as its own Node process, started the way `npm run serve` starts it, for
// tests that kill it or run several side by side. Resolves once it says it is listening.
import type { ChildProcess } from 'node:child_process';
import { freePort, spawnServer, untilListening } from '../../server/cli/spawn-server.js';

const started: ChildProcess[] = [];

export { freePort };

export async function startServerProcess(port: number, env: Record<string, string>): Promise<ChildProcess> {
  const child = spawnServer(port, env);
  started.push(child);
  await untilListening(child);
  return child;
}

/** Kill every server process a test started (afterAll). */
export function killServerProcesses(): void {
  for (const c of started) if (c.exitCode === null) c.kill('SIGKILL');
}

export async function stopServerProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await exited;
}
