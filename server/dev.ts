// npm run dev: the game server with reload on change (tsx watch) beside Vite's dev server.
// In development the page comes from Vite, whose /colyseus proxy forwards matchmaking and
// WebSockets to the game server on PORT (GAME_SERVER tells vite.config.ts where); Ctrl-C
// stops both.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { readConfig, ENV_HELP } from './config.js';

const config = readConfig(process.env);
if ('errors' in config) {
  for (const e of config.errors) console.error(`error: ${e}`);
  console.error(ENV_HELP);
  process.exit(2);
}

const require = createRequire(import.meta.url);
const children: ChildProcess[] = [];
const run = (name: string, args: string[], env: NodeJS.ProcessEnv = process.env) => {
  const child = spawn(process.execPath, args, { stdio: 'inherit', env });
  child.on('exit', (code, signal) => {
    console.log(`${name} stopped (${signal ?? code})`);
    shutdown(code ?? 0);
  });
  children.push(child);
};

run('server', [require.resolve('tsx/cli'), 'watch', '--clear-screen=false', 'server/main.ts']);
if (existsSync('vite.config.ts') || existsSync('client/index.html')) {
  const host = config.host === '0.0.0.0' ? 'localhost' : config.host;
  run('vite', [join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js')], { ...process.env, GAME_SERVER: `http://${host}:${config.port}` });
} else {
  console.log('no client yet (client/index.html): running the server only');
}

let stopping = false;
function shutdown(code: number): void {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  setTimeout(() => process.exit(code), 3000).unref();
}
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));
