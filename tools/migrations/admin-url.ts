/** The server the migration tools connect to; scratch databases are created next to this database. */
export function adminDatabaseUrl(): string {
  return process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}
