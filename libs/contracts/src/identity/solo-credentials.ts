/**
 * What a solo server writes to `<DISPATCH_HOME>/config.json` so the CLI (and tests) can call it as
 * its bootstrap admin: a service account of the platform org whose key signs short-lived RS256
 * tokens (`iss` = `<organization>/<serviceAccount>`). The CLI may keep its contexts in the same file.
 */
export interface SoloCredentials {
  apiUrl: string;
  organization: string;
  serviceAccount: string;
  /** PKCS#8 PEM. */
  privateKey: string;
}

/** Solo's credentials among a config file's fields, or undefined when the file holds none. */
export function soloCredentialsOf(file: unknown): SoloCredentials | undefined {
  if (!file || typeof file !== 'object') return undefined;
  const f = file as Record<string, unknown>;
  const fields = ['apiUrl', 'organization', 'serviceAccount', 'privateKey'] as const;
  if (!fields.every((k) => typeof f[k] === 'string')) return undefined;
  return {
    apiUrl: f.apiUrl as string,
    organization: f.organization as string,
    serviceAccount: f.serviceAccount as string,
    privateKey: f.privateKey as string,
  };
}
