// Configuration from environment variables, each checked with a clear message.
// The defaults run a complete server on one port with nothing else installed.

import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { MAX_TRUSTED_HOPS } from './client-address.js';

export interface ServerConfig {
  port: number;
  host: string;
  /** The built browser client to serve, or null when it has not been built. */
  clientDir: string | null;
  /** Basic-auth password for the Colyseus monitor at /colyseus; null keeps it off. */
  monitorPassword: string | null;
  monitorUser: string;
  /** PostgreSQL URL for the round store; null stores rounds in SQLite under dataDir. */
  databaseUrl: string | null;
  /** The PostgreSQL schema the tables live in (default public). */
  databaseSchema: string;
  /** Where the SQLite file goes (created if missing). */
  dataDir: string;
  /** Scale-out through Redis (presence + matchmaking), or null for one process. */
  redis: { url: string; publicAddress: string } | null;
  /** Rooms one address may create per minute; undefined keeps the server's default (ROOMS_PER_MINUTE). */
  roomsPerMinute?: number;
  /** Proxies of the operator's in front of the server (their X-Forwarded-For is believed); 0 believes no such header. */
  trustProxy: number;
}

export const ENV_HELP = `environment variables:
  PORT              port to listen on, 1-65535 (default 2567)
  HOST              address to bind (default 0.0.0.0)
  CLIENT_DIR        built client to serve (default dist/client)
  MONITOR_PASSWORD  turns on the Colyseus monitor at /colyseus, behind basic auth (at least 8 characters)
  MONITOR_USER      the monitor's user name (default admin)
  DATABASE_URL      postgres://user@host:5432/db to store recorded rounds in PostgreSQL (default: SQLite under DATA_DIR)
  DATABASE_SCHEMA   the PostgreSQL schema for those tables (default public; created if missing)
  DATA_DIR          where the SQLite file of recorded rounds goes (default ./data)
  REDIS_URL         redis://host:6379 to share rooms and classroom sessions between server processes
  PUBLIC_ADDRESS    host:port other processes and clients reach this one at (required with REDIS_URL)
  ROOMS_PER_MINUTE  rooms one address may create per minute (default 30)
  TRUST_PROXY       proxies of yours in front of the server, 0-10 (default 0: a client's own address
                    is the socket's; 1 behind one reverse proxy that appends to X-Forwarded-For)`;

/** Read and check the environment; returns the problems found instead of throwing. */
export function readConfig(env: NodeJS.ProcessEnv, cwd: string = process.cwd()): ServerConfig | { errors: string[] } {
  const errors: string[] = [];
  const port = parsePort(env.PORT, errors);
  const host = (env.HOST ?? '0.0.0.0').trim();
  if (host === '' || host.length > 255 || /\s/.test(host)) errors.push(`HOST must be a host name or address, got ${JSON.stringify(env.HOST)}`);
  let clientDir: string | null = resolve(cwd, env.CLIENT_DIR ?? 'dist/client');
  if (env.CLIENT_DIR !== undefined && !existsSync(clientDir)) errors.push(`CLIENT_DIR ${JSON.stringify(env.CLIENT_DIR)} does not exist`);
  if (!existsSync(resolve(clientDir, 'index.html'))) clientDir = null;
  const pw = env.MONITOR_PASSWORD;
  let monitorPassword: string | null = null;
  if (pw !== undefined && pw !== '') {
    if (pw.length < 8) errors.push('MONITOR_PASSWORD must be at least 8 characters');
    else monitorPassword = pw;
  }
  const monitorUser = env.MONITOR_USER ?? 'admin';
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(monitorUser)) errors.push('MONITOR_USER must be 1-64 letters, digits, dots, dashes or underscores');
  const databaseUrl = parseDatabaseUrl(env.DATABASE_URL, errors);
  const databaseSchema = (env.DATABASE_SCHEMA ?? '').trim() || 'public';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(databaseSchema)) errors.push('DATABASE_SCHEMA must be a lower-case PostgreSQL name: letters, digits and underscores, up to 63');
  if (env.DATABASE_SCHEMA !== undefined && env.DATABASE_SCHEMA.trim() !== '' && databaseUrl === null) errors.push('DATABASE_SCHEMA only means something with a PostgreSQL DATABASE_URL');
  const dataDir = resolve(cwd, env.DATA_DIR === undefined || env.DATA_DIR === '' ? 'data' : env.DATA_DIR);
  if (existsSync(dataDir) && !statSync(dataDir).isDirectory()) errors.push(`DATA_DIR ${JSON.stringify(env.DATA_DIR)} is a file, not a directory`);
  const redis = parseRedis(env.REDIS_URL, env.PUBLIC_ADDRESS, errors);
  const roomsPerMinute = parseRoomsPerMinute(env.ROOMS_PER_MINUTE, errors);
  const trustProxy = parseTrustProxy(env.TRUST_PROXY, errors);
  if (errors.length > 0) return { errors };
  return { port, host, clientDir, monitorPassword, monitorUser, databaseUrl, databaseSchema, dataDir, redis, trustProxy, ...(roomsPerMinute === undefined ? {} : { roomsPerMinute }) };
}

function parseRoomsPerMinute(raw: string | undefined, errors: string[]): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw.trim());
  if (!/^\d{1,6}$/.test(raw.trim()) || n < 1) errors.push(`ROOMS_PER_MINUTE must be a whole number from 1 to 999999, got ${JSON.stringify(raw)}`);
  return n;
}

function parseTrustProxy(raw: string | undefined, errors: string[]): number {
  if (raw === undefined || raw.trim() === '') return 0;
  const t = raw.trim();
  if (!/^\d{1,2}$/.test(t) || Number(t) > MAX_TRUSTED_HOPS) {
    errors.push(`TRUST_PROXY must be the number of your proxies in front of the server, from 0 to ${MAX_TRUSTED_HOPS}, got ${JSON.stringify(raw)}`);
    return 0;
  }
  return Number(t);
}

function parsePort(raw: string | undefined, errors: string[]): number {
  if (raw === undefined || raw === '') return 2567;
  if (!/^\d{1,5}$/.test(raw.trim())) {
    errors.push(`PORT must be a whole number from 1 to 65535, got ${JSON.stringify(raw)}`);
    return 0;
  }
  const port = Number(raw.trim());
  if (port < 1 || port > 65535) errors.push(`PORT must be from 1 to 65535, got ${port}`);
  return port;
}

function parseDatabaseUrl(raw: string | undefined, errors: string[]): string | null {
  if (raw === undefined || raw.trim() === '') return null;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    errors.push('DATABASE_URL must be a URL like postgres://user@host:5432/database');
    return null;
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    errors.push(`DATABASE_URL must start with postgres:// or postgresql:// (got ${url.protocol}//); leave it unset to use SQLite`);
    return null;
  }
  if (url.hostname === '' || url.pathname.length <= 1) errors.push('DATABASE_URL needs a host and a database name, like postgres://user@host:5432/database');
  return raw.trim();
}

function parseRedis(rawUrl: string | undefined, rawAddress: string | undefined, errors: string[]): ServerConfig['redis'] {
  if (rawUrl === undefined || rawUrl.trim() === '') {
    if (rawAddress !== undefined && rawAddress.trim() !== '') errors.push('PUBLIC_ADDRESS only means something with REDIS_URL');
    return null;
  }
  let url: URL;
  try {
    url = new URL(rawUrl.trim());
  } catch {
    errors.push('REDIS_URL must be a URL like redis://127.0.0.1:6379');
    return null;
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') errors.push(`REDIS_URL must start with redis:// or rediss:// (got ${url.protocol}//)`);
  const address = (rawAddress ?? '').trim();
  // Colyseus tells clients (and other processes) to reach this process there: without it,
  // a seat reserved here cannot be taken (STACK.md).
  if (!/^[A-Za-z0-9.-]{1,253}(:\d{1,5})?(\/[\w./-]*)?$/.test(address)) errors.push('PUBLIC_ADDRESS must be host:port (this process, as clients reach it) when REDIS_URL is set');
  return { url: rawUrl.trim(), publicAddress: address };
}
