import type { DataSource } from 'typeorm';

/**
 * SQL TypeORM would still run to make the database match the entities of `dataSource`. Run
 * after the migrations on a fresh database: empty means entities and migrations agree.
 */
export async function pendingSchemaChanges(dataSource: DataSource): Promise<string[]> {
  const sql = await dataSource.driver.createSchemaBuilder().log();
  return sql.upQueries.map((q) => q.query);
}
