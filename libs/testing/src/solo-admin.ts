import { createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SignJWT } from 'jose';

/**
 * A token of solo mode's bootstrap admin (a platform admin), signed with the service-account key
 * solo writes to `<home>/config.json` on first start, as the CLI signs its own.
 */
export async function soloAdminToken(home: string, lifetime = '10m'): Promise<string> {
  const cli = JSON.parse(await readFile(join(home, 'config.json'), 'utf8')) as { organization: string; serviceAccount: string; privateKey: string };
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuer(`${cli.organization}/${cli.serviceAccount}`)
    .setIssuedAt()
    .setExpirationTime(lifetime)
    .sign(createPrivateKey(cli.privateKey));
}
