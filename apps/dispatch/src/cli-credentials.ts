import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { soloCredentialsOf, type SoloCredentials } from '@dispatch/contracts';
import type { ServiceAccountService } from '@dispatch/identity-manager';

export const BOOTSTRAP_ACCOUNT = 'admin';

/**
 * Makes sure the platform org has the bootstrap admin service account and that the CLI config in
 * `home` holds its private key (mode 0600), so the first CLI command works. An existing config
 * keeps its key: the account is re-registered with it if the database was reset.
 */
export async function ensureCliCredentials(accounts: ServiceAccountService, home: string, org: string, apiUrl: string): Promise<string> {
  const path = join(home, 'config.json');
  const file = await readJson(path);
  const existing = readConfig(file);
  const privateKey =
    existing?.organization === org && existing.serviceAccount === BOOTSTRAP_ACCOUNT
      ? existing.privateKey
      : generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const publicKey = createPublicKey(createPrivateKey(privateKey)).export({ format: 'pem', type: 'spki' }).toString();
  await accounts.ensureAdmin(org, BOOTSTRAP_ACCOUNT, publicKey);
  const config: SoloCredentials = { apiUrl, organization: org, serviceAccount: BOOTSTRAP_ACCOUNT, privateKey };
  const own = (c: SoloCredentials | undefined) => JSON.stringify([c?.apiUrl, c?.organization, c?.serviceAccount, c?.privateKey]);
  if (own(existing) !== own(config)) {
    // The CLI keeps its contexts in the same file by default (~/.dispatch/config.json): its other fields stay.
    // Written aside then renamed, so a crash never leaves half a key behind.
    await writeFile(`${path}.tmp`, `${JSON.stringify({ ...file, ...config }, null, 2)}\n`, { mode: 0o600 });
    await rename(`${path}.tmp`, path);
  }
  return path;
}

/** The file's JSON object (the CLI's contexts may share it), or undefined when missing or unreadable. */
async function readJson(path: string): Promise<Record<string, unknown> | undefined> {
  try {
    const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function readConfig(file: Record<string, unknown> | undefined): SoloCredentials | undefined {
  const credentials = soloCredentialsOf(file);
  try {
    if (credentials) createPrivateKey(credentials.privateKey); // unreadable keys are replaced, not kept
    return credentials;
  } catch {
    return undefined;
  }
}
