// npm start: build the browser client (when there is one) and start the server on one port.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const hasClient = existsSync('vite.config.ts') || existsSync('client/index.html');
if (hasClient && process.env.SKIP_CLIENT_BUILD !== '1') {
  console.log('building the client (vite build)…');
  const vite = join(dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');
  const r = spawnSync(process.execPath, [vite, 'build'], { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('error: the client build failed (see above); fix it, or set SKIP_CLIENT_BUILD=1 to start without rebuilding');
    process.exit(r.status ?? 1);
  }
}
await import('./main.js');
