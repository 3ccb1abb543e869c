// The database's shape, as in-code migrations: the server runs under tsx and the tests under
// vitest, where a migration folder read from disk would resolve differently; a list in code
// is the same everywhere. Migrations are append-only: never edit one that has shipped, add
// the next. Every column type here means the same in SQLite and PostgreSQL.

import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

const MIGRATIONS: Record<string, Migration> = {
  '0001_rounds': {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('rounds')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('format', 'text', (c) => c.notNull())
        .addColumn('room_id', 'text', (c) => c.notNull())
        .addColumn('scenario', 'text', (c) => c.notNull())
        .addColumn('preset', 'text', (c) => c.notNull())
        .addColumn('chaos', 'text', (c) => c.notNull())
        // Seeds are unsigned 32-bit, beyond PostgreSQL's integer.
        .addColumn('seed', 'bigint', (c) => c.notNull())
        .addColumn('duration_ms', 'integer', (c) => c.notNull())
        .addColumn('tick_ms', 'integer', (c) => c.notNull())
        // 0/1 rather than boolean: one representation in both databases.
        .addColumn('is_public', 'integer', (c) => c.notNull())
        .addColumn('session_id', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        // Set by finish: a round closed by its own server takes no more writes.
        .addColumn('ended_at', 'bigint')
        .addColumn('last_tick', 'integer', (c) => c.notNull())
        // The next round_log sequence number, reserved under the row's lock by each append.
        .addColumn('next_seq', 'integer', (c) => c.notNull())
        .addColumn('players', 'text', (c) => c.notNull())
        .addColumn('header', 'text', (c) => c.notNull())
        .addColumn('summary', 'text')
        .addColumn('score', 'double precision')
        .addColumn('availability', 'double precision')
        .addColumn('stale_reads', 'integer')
        .addColumn('lost_writes', 'integer')
        .execute();
      // The three lists (public, a session's, a player's) and the sweep for abandoned rounds.
      await db.schema.createIndex('rounds_public').on('rounds').columns(['is_public', 'created_at']).execute();
      await db.schema.createIndex('rounds_session').on('rounds').columns(['session_id', 'created_at']).execute();
      await db.schema.createIndex('rounds_live').on('rounds').columns(['status', 'updated_at']).execute();

      await db.schema
        .createTable('round_log')
        .addColumn('round_id', 'text', (c) => c.notNull().references('rounds.id').onDelete('cascade'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('tick', 'integer', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('round_log_pk', ['round_id', 'seq'])
        .execute();

      await db.schema
        .createTable('round_players')
        .addColumn('round_id', 'text', (c) => c.notNull().references('rounds.id').onDelete('cascade'))
        .addColumn('player_hash', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('round_players_pk', ['round_id', 'player_hash'])
        .execute();
      await db.schema.createIndex('round_players_player').on('round_players').columns(['player_hash', 'round_id']).execute();
    },
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('round_players').execute();
      await db.schema.dropTable('round_log').execute();
      await db.schema.dropTable('rounds').execute();
    },
  },
};

/**
 * Bring the database to the latest shape; a database already there is left alone. For
 * PostgreSQL, `schema` is where the tables (and Kysely's own bookkeeping tables) live; it
 * is created when missing.
 *
 * Several processes may start at once on one empty database (a deployment's servers, two
 * `npm start` on one data directory). Each attempt is atomic: on PostgreSQL Kysely runs each
 * migration in a transaction under an advisory lock and tolerates a schema another process
 * created meanwhile; on SQLite, where Kysely takes no lock, the whole attempt runs in one
 * write transaction. An attempt that lost a race (the other process held the write lock, or
 * made the schema first) is simply made again, and then finds the work done.
 */
export async function migrateToLatest(db: Kysely<any>, dialect: 'sqlite' | 'postgres', schema?: string): Promise<void> {
  let lastError: unknown;
  for (let attempt = 0; attempt < MIGRATION_ATTEMPTS; attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, MIGRATION_RETRY_MS));
    try {
      await (dialect === 'sqlite' ? migrateSqliteOnce(db) : migrateOnce(db, schema));
      return;
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}

/** Enough for a few processes migrating in turn; a database that keeps failing is reported. */
const MIGRATION_ATTEMPTS = 20;
const MIGRATION_RETRY_MS = 100;

async function migrateSqliteOnce(db: Kysely<any>): Promise<void> {
  // One connection (the store's), so every statement of the migrator runs inside this
  // transaction; IMMEDIATE takes the write lock at once, so two processes never interleave.
  await sql`begin immediate`.execute(db);
  try {
    await migrateOnce(db, undefined);
    await sql`commit`.execute(db);
  } catch (err) {
    await sql`rollback`.execute(db).catch(() => undefined);
    throw err;
  }
}

async function migrateOnce(db: Kysely<any>, schema: string | undefined): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: inCode,
    // Named, so Kysely looks for (and creates) its bookkeeping tables in this schema only.
    ...(schema !== undefined ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`round store: migration ${failed ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

const inCode: MigrationProvider = {
  async getMigrations() {
    return MIGRATIONS;
  },
};
