import { KeysUnavailableError, quoted, unauthenticated } from './refusal';

export interface DiscoveryOptions {
  timeoutMs: number;
  /** After a failed discovery, requests fail fast (no fetch) for this long before it is retried. */
  retryAfterMs: number;
}

interface Entry {
  jwksUri: Promise<string>;
  failedAt?: number;
}

/**
 * Finds each issuer's `jwks_uri` through OIDC discovery, once per issuer: the answer is cached
 * for the life of the process (issuers do not move their key sets; key rotation happens inside
 * the set). Concurrent callers share one request.
 */
export class IssuerDiscovery {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly options: DiscoveryOptions) {}

  jwksUriOf(issuer: string): Promise<string> {
    const known = this.entries.get(issuer);
    if (known && (known.failedAt === undefined || Date.now() - known.failedAt < this.options.retryAfterMs)) return known.jwksUri;
    const entry: Entry = { jwksUri: this.discover(issuer) };
    entry.jwksUri.catch(() => (entry.failedAt = Date.now()));
    this.entries.set(issuer, entry);
    return entry.jwksUri;
  }

  private async discover(issuer: string): Promise<string> {
    // OIDC Discovery §4: strip a trailing slash, append the well-known path.
    const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
    const source = `the discovery document of ${issuer}`;
    let document: unknown;
    try {
      const response = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(this.options.timeoutMs) });
      if (response.status !== 200) throw new Error(`HTTP ${response.status} from ${url}`);
      document = await response.json();
    } catch (err) {
      throw new KeysUnavailableError(source, err);
    }
    const { issuer: named, jwks_uri: jwksUri } = (document ?? {}) as { issuer?: unknown; jwks_uri?: unknown };
    // OIDC Discovery §4.3: the document must name exactly the issuer it was fetched for, or a host
    // could vouch for keys under another issuer's name.
    if (named !== issuer) {
      throw unauthenticated(
        `the discovery document of ${issuer} names issuer ${quoted(named)}; a trusted issuer must be configured with the exact issuer string its tokens carry`,
      );
    }
    if (typeof jwksUri !== 'string' || !URL.canParse(jwksUri)) {
      throw new KeysUnavailableError(source, new Error(`it has no valid jwks_uri (${quoted(jwksUri)})`));
    }
    return jwksUri;
  }
}
