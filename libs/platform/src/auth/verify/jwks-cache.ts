import { createRemoteJWKSet, errors as jose, type JWTVerifyGetKey } from 'jose';
import { KeysUnavailableError } from './refusal';

export interface JwksCacheOptions {
  /** Bound on each JWKS fetch. */
  timeoutMs: number;
  /**
   * Least time between two fetches of one key set: a token with an unknown kid triggers a refetch
   * (that is how a rotated key is picked up), and this bounds how often forged kids can make us
   * fetch. It is also how long a failed first load is remembered before it is retried.
   */
  cooldownMs: number;
  /** Age after which a key set is refetched in the background, so revoked keys drop out. */
  refreshMs: number;
}

/**
 * One issuer's key set. Once loaded it is served from memory: a request never waits on the IdP
 * except for an unknown kid. Periodic refreshes run in the background, and a failed one keeps the
 * keys we have rather than failing requests.
 */
class RemoteKeySet {
  private readonly remote: ReturnType<typeof createRemoteJWKSet>;
  private loadedAt?: number;
  private refreshedAt = 0;
  private failedAt?: number;
  private failure?: unknown;

  constructor(
    private readonly url: string,
    private readonly options: JwksCacheOptions,
  ) {
    // cacheMaxAge Infinity: jose would otherwise refetch a stale set in the request path.
    this.remote = createRemoteJWKSet(new URL(url), {
      timeoutDuration: options.timeoutMs,
      cooldownDuration: options.cooldownMs,
      cacheMaxAge: Infinity,
    });
  }

  readonly getKey: JWTVerifyGetKey = async (header, token) => {
    if (this.loadedAt === undefined) await this.load();
    else if (Date.now() - this.refreshedAt > this.options.refreshMs) this.refreshInBackground();
    try {
      return await this.remote(header, token);
    } catch (err) {
      // An unknown kid refetches inside jose; only a failure of that fetch is "unavailable".
      if (err instanceof jose.JWKSNoMatchingKey || err instanceof jose.JWKSMultipleMatchingKeys || err instanceof jose.JOSENotSupported)
        throw err;
      throw new KeysUnavailableError(`the signing keys at ${this.url}`, err);
    }
  };

  private async load(): Promise<void> {
    if (this.failedAt !== undefined && Date.now() - this.failedAt < this.options.cooldownMs) {
      throw new KeysUnavailableError(`the signing keys at ${this.url}`, this.failure);
    }
    try {
      await this.remote.reload();
      this.loadedAt = this.refreshedAt = Date.now();
    } catch (err) {
      this.failedAt = Date.now();
      this.failure = err;
      throw new KeysUnavailableError(`the signing keys at ${this.url}`, err);
    }
  }

  private refreshInBackground(): void {
    this.refreshedAt = Date.now();
    // A failure keeps the current keys; the next refresh or unknown kid tries again.
    this.remote.reload().catch(() => undefined);
  }
}

/** Key sets by JWKS URI, shared by every verification in the process. */
export class JwksCache {
  private readonly sets = new Map<string, RemoteKeySet>();

  constructor(private readonly options: JwksCacheOptions) {}

  keysAt(jwksUri: string): JWTVerifyGetKey {
    let set = this.sets.get(jwksUri);
    if (!set) {
      // A configuration mistake, reported as keys we cannot fetch rather than a crash.
      if (!URL.canParse(jwksUri))
        throw new KeysUnavailableError(`the signing keys at ${JSON.stringify(jwksUri)}`, new Error('it is not a valid URL'));
      set = new RemoteKeySet(jwksUri, this.options);
      this.sets.set(jwksUri, set);
    }
    return set.getKey;
  }
}
