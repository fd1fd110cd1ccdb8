import { createPrivateKey } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { soloCredentialsOf } from '@dispatch/contracts';
import { waitFor } from './wait-for';

/**
 * A token of the bootstrap admin a solo server writes to `<DISPATCH_HOME>/config.json` for the CLI:
 * an RS256 JWT signed with the service account's key, `iss` = `<org>/<account>`. The file is
 * written just after the API starts answering, so this waits for it.
 */
export async function soloAdminToken(home: string, lifetime = '1h'): Promise<string> {
  const file = join(home, 'config.json');
  await waitFor(() => existsSync(file), { what: `the CLI credentials in ${file}` });
  const cli = soloCredentialsOf(JSON.parse(await readFile(file, 'utf8')));
  if (!cli) throw new Error(`${file} holds no solo credentials`);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuer(`${cli.organization}/${cli.serviceAccount}`)
    .setIssuedAt()
    .setExpirationTime(lifetime)
    .sign(createPrivateKey(cli.privateKey));
}
