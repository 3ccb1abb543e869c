// Opening the round store: no database URL means the embedded SQLite file in the data
// directory (nothing to install or configure); a postgres:// URL means PostgreSQL, for
// several server processes sharing one store. Either way the tables are brought up to date
// before the store is handed out.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { KyselyRoundStore } from './kysely-store.js';
import { migrateToLatest } from './migrations.js';
import type { Tables } from './rows.js';
import type { RoundStore } from './types.js';

export interface OpenStoreOptions {
  /** null (or empty): SQLite in `dataDir`; `postgres://…` or `postgresql://…`: PostgreSQL. */
  databaseUrl: string | null;
  /** Where the SQLite file goes; created when missing. Unused with PostgreSQL. */
  dataDir: string;
  /** Wall-clock milliseconds (default Date.now); tests move it to age rounds. */
  now?: () => number;
  /** PostgreSQL only: the schema that holds the tables (default `public`), created when missing. */
  pgSchema?: string;
}

export const SQLITE_FILE_NAME = 'splitbrain.sqlite';
/**
 * How long a SQLite writer waits for another connection's lock before failing. SQLite waits
 * synchronously, so every round of the process stands still meanwhile: short, since the file
 * belongs to this process and a failed write is simply carried by the next one (a second later).
 */
const SQLITE_BUSY_TIMEOUT_MS = 50;
/** A few connections: writes are small and one process runs at most a few hundred rounds. */
const PG_POOL_SIZE = 4;
const PG_CONNECT_TIMEOUT_MS = 5000;
/** A query a dead connection never answers fails after this long (the recording writer waits on each in turn). */
const PG_QUERY_TIMEOUT_MS = 10_000;

/** The SQLite file the store uses for a data directory. */
export function sqliteFile(dataDir: string): string {
  return join(dataDir, SQLITE_FILE_NAME);
}

export async function openStore(opts: OpenStoreOptions): Promise<RoundStore> {
  const now = opts.now ?? Date.now;
  const url = opts.databaseUrl ?? '';
  if (url === '') return openSqlite(opts.dataDir, now);
  if (/^postgres(ql)?:\/\//i.test(url)) return openPostgres(url, opts.pgSchema ?? 'public', now);
  // Only the scheme: the rest of a URL may hold a password.
  throw new Error(`round store: unsupported database URL scheme '${url.split(':')[0]}' (use postgres:// or postgresql://, or none for SQLite)`);
}

async function openSqlite(dataDir: string, now: () => number): Promise<RoundStore> {
  mkdirSync(dataDir, { recursive: true });
  const database = new Database(sqliteFile(dataDir), { timeout: SQLITE_BUSY_TIMEOUT_MS });
  // WAL lets readers (another process, a list request) proceed while a round appends;
  // synchronous=NORMAL in WAL mode survives a killed process (only an OS crash could lose
  // the last commits), which is the failure the store is designed for.
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database }) });
  return ready(db, 'sqlite', now, undefined);
}

async function openPostgres(url: string, schema: string, now: () => number): Promise<RoundStore> {
  const pool = postgresPool(url);
  const db = new Kysely<Tables>({
    dialect: new PostgresDialect({
      pool,
      // Every connection resolves unqualified table names in the store's schema only.
      onCreateConnection: async (conn) => {
        await conn.executeQuery(CompiledQuery.raw('select set_config($1, $2, false)', ['search_path', quoteIdent(schema)]));
      },
    }),
  });
  return ready(db, 'postgres', now, schema);
}

/** The store's connection pool: a few connections, timeouts, and a listener on every connection's errors. */
export function postgresPool(url: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: PG_POOL_SIZE, connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS, query_timeout: PG_QUERY_TIMEOUT_MS, idleTimeoutMillis: 30_000 });
  // An idle connection dropped by the server emits 'error' on the pool; unhandled, it would
  // take the game server down. The next query simply gets a fresh connection.
  pool.on('error', (err) => console.warn(`round store: idle PostgreSQL connection lost: ${err.message}`));
  // The pool listens only to idle connections: one checked out between two queries (inside a
  // transaction, say) that loses its server emits 'error' with nobody listening, which Node
  // turns into an uncaught exception. Heard here, the connection is simply dropped: its next
  // query fails (the store's callers retry) and the pool does not take it back.
  pool.on('connect', (client) => {
    client.on('error', (err) => console.warn(`round store: PostgreSQL connection lost: ${err.message}`));
  });
  return pool;
}

async function ready(db: Kysely<Tables>, kind: RoundStore['kind'], now: () => number, schema: string | undefined): Promise<RoundStore> {
  try {
    await migrateToLatest(db, kind, schema);
  } catch (err) {
    await db.destroy().catch(() => undefined);
    throw err;
  }
  return new KyselyRoundStore({ kind, db, now });
}

/** A schema name as a search_path entry: quoted, so any name means exactly itself. */
function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
