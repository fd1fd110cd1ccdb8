import type { Pool } from 'pg';
import { type DataSource, QueryFailedError } from 'typeorm';

/**
 * Runs a statement the hot path sends again and again as a named prepared statement: each
 * connection of the pool parses and plans it once, not at every call (a third of PostgreSQL's CPU
 * per row for the run record's small batches, measured). `name` must stay bound to one `text`.
 * Errors are TypeORM's QueryFailedError, as from `dataSource.query`, so the same checks apply
 * (isStatementRefused, isStoreUnavailable, isUniqueViolation).
 */
export async function preparedQuery(dataSource: DataSource, name: string, text: string, values: unknown[]): Promise<unknown[]> {
  const pool = (dataSource.driver as unknown as { master: Pool }).master;
  try {
    return (await pool.query({ name, text, values })).rows as unknown[];
  } catch (err) {
    // Wrapped whatever it is, as TypeORM's query runner wraps what a query throws.
    throw new QueryFailedError(text, values, err as Error);
  }
}
