import { execFile } from 'node:child_process';
import { chmod, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export interface OsUser {
  name: string;
  uid: number;
  gid: number;
  /** Primary and supplementary groups. */
  groups: number[];
}

export async function lookupOsUser(name: string): Promise<OsUser | undefined> {
  try {
    const [uid, gid, groups] = await Promise.all(
      ['-u', '-g', '-G'].map(async (flag) => (await execFileAsync('id', [flag, name])).stdout.trim()),
    );
    return { name, uid: Number(uid), gid: Number(gid), groups: groups.split(/\s+/).map(Number) };
  } catch {
    return undefined;
  }
}

/** Whether `user` may search (traverse) a directory with the given owner and mode. */
export function canTraverse(user: OsUser, dir: { uid: number; gid: number; mode: number }): boolean {
  if (user.uid === 0) return true;
  if (dir.uid === user.uid) return (dir.mode & 0o100) !== 0;
  if (user.groups.includes(dir.gid)) return (dir.mode & 0o010) !== 0;
  return (dir.mode & 0o001) !== 0;
}

/** Every directory from the filesystem root down to `dir` itself. */
export function ancestorsOf(dir: string): string[] {
  const chain: string[] = [];
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    chain.unshift(current);
    if (path.dirname(current) === current) return chain;
  }
}

/**
 * Adds o+x (search only, never read) to each directory on the way to `dir` that `user` cannot
 * traverse, and returns what it changed. PostgreSQL runs as that user and must reach its data
 * directory, which may live under e.g. /root (mode 700).
 */
export async function makeTraversable(dir: string, user: OsUser): Promise<string[]> {
  const changed: string[] = [];
  for (const ancestor of ancestorsOf(dir)) {
    const st = await stat(ancestor);
    if (canTraverse(user, st)) continue;
    await chmod(ancestor, (st.mode & 0o7777) | 0o001);
    changed.push(ancestor);
  }
  return changed;
}
