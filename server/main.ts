// Start the game server: `npm start` (after building the client) or `npm run dev`.
// Every setting comes from the environment (server/config.ts); a bad one stops the start
// with a message saying what is wrong.

import { ENV_HELP, readConfig } from './config.js';
import { localClusterRooms, startGameServer } from './app.js';
import { answerLoadProbes } from './load-probe.js';
import { openStore } from './store/open.js';

// The last line of defence: an error no room caught (a bug, or input nobody foresaw) is
// logged and the process goes on, so one bad message cannot end every round it holds.
// Rooms catch their own handlers' errors first (onUncaughtException); this is for the rest.
process.on('uncaughtException', (err) => console.error(`[process] uncaught: ${err.stack ?? err.message}`));
process.on('unhandledRejection', (reason) => console.error(`[process] unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`));

const config = readConfig(process.env);
if ('errors' in config) {
  for (const e of config.errors) console.error(`error: ${e}`);
  console.error(ENV_HELP);
  process.exit(2);
}

let store;
try {
  store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, pgSchema: config.databaseSchema });
} catch (err) {
  const where = config.databaseUrl !== null ? 'the PostgreSQL database in DATABASE_URL' : `the SQLite file under ${config.dataDir}`;
  console.error(`error: could not open ${where} for recorded rounds: ${(err as Error).message}`);
  process.exit(1);
}

// An SQLite file belongs to one server process: any round it still calls live was left by
// this server's previous run. (PostgreSQL is shared; there a round is called interrupted
// once nobody has written it for ABANDONED_AFTER_MS.)
if (store.kind === 'sqlite') {
  const n = await store.markAbandoned(Date.now(), 0);
  if (n > 0) console.log(`${n} round${n === 1 ? '' : 's'} cut short by the last stop marked interrupted`);
}

try {
  const server = await startGameServer({ ...config, store, handleSignals: true, warmUp: true, onShutdown: () => store.close() });
  // Only a process started by `npm run loadtest` has an IPC channel to answer on.
  answerLoadProbes(localClusterRooms);
  const where = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${server.port}`;
  console.log(`Split Brain server listening on ${where}`);
  console.log(config.clientDir !== null ? `serving the client from ${config.clientDir}` : 'no built client found (run `npm run build:client`); serving the game only');
  console.log(store.kind === 'postgres' ? 'recording rounds in PostgreSQL (DATABASE_URL)' : `recording rounds in SQLite under ${config.dataDir}`);
  if (config.monitorPassword !== null) console.log(`monitor at ${where}/colyseus (user ${config.monitorUser})`);
} catch (err) {
  const e = err as NodeJS.ErrnoException;
  console.error(e.code === 'EADDRINUSE' ? `error: port ${config.port} is already in use (set PORT to another one)` : `error: could not start: ${e.message}`);
  process.exit(1);
}
