// Finding the PostgreSQL the tests use: TEST_DATABASE_URL, or the standard local one.
import pg from 'pg';

export const TEST_PG_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Null when PostgreSQL answers at `url`; otherwise why not and what to do. Under CI=true a
 * missing PostgreSQL is a failure of `what` (the test that needs it), never a skip.
 */
export async function pgSkipReason(url: string, what: string): Promise<string | null> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.query('select 1');
    return null;
  } catch (err) {
    const why = `PostgreSQL not reachable at ${url} (${(err as Error).message}): install and start PostgreSQL, or set TEST_DATABASE_URL`;
    if (process.env.CI === 'true') throw new Error(`${why} (CI=true: ${what} must run)`);
    return why;
  } finally {
    await c.end().catch(() => {});
  }
}
