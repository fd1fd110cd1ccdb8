import { randomBytes } from 'node:crypto';
import { chmod, readFile, writeFile } from 'node:fs/promises';

/**
 * Returns the cluster's superuser password, generating it on first use. The file is written
 * exclusively (flag wx) so two concurrent first starts cannot end up with different passwords.
 */
export async function readOrCreatePassword(file: string): Promise<string> {
  const existing = await readPassword(file);
  if (existing) return existing;
  const password = randomBytes(24).toString('base64url');
  try {
    await writeFile(file, `${password}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const raced = await readPassword(file);
    if (raced) return raced;
    throw new Error(`password file ${file} exists but is empty`);
  }
  // The umask can only remove bits; chmod makes 0600 hold regardless of it.
  await chmod(file, 0o600);
  return password;
}

async function readPassword(file: string): Promise<string | undefined> {
  try {
    return (await readFile(file, 'utf8')).trim() || undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
