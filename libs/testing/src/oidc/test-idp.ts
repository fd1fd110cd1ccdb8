import { randomBytes, randomUUID } from 'node:crypto';
import { DEFAULT_CLAIM_MAPPING, type TrustedIssuer } from '@dispatch/contracts';
import { forgeToken, type TokenFault } from './forge-token';
import { IdpProcess } from './idp-process';
import { generateSigningKeySet, type SigningAlg, type SigningKey } from './signing-keys';

export interface TestIdpOptions {
  /** Audience of tokens issued without one. */
  audience?: string;
  /** Bound on each start (and restart on rotation) of the provider process. */
  startTimeoutMs?: number;
}

export interface IssueTokenOptions {
  /** The token's `sub`. A client_credentials token's subject is its client id, so this names the client. */
  subject?: string;
  /** The `org` claim; omitted when absent. */
  org?: string;
  /** The `groups` claim; omitted when absent. */
  groups?: string[];
  /** The resource the token is requested for, which becomes its `aud`. */
  audience?: string;
  /** Lifetime; zero or negative gives a token (still signed by the IdP) that expired that long ago. */
  expiresInSeconds?: number;
  alg?: SigningAlg;
  /** More claims (e.g. a custom org claim for a claim mapping); `org` and `groups` win over them. */
  claims?: Record<string, unknown>;
}

/** The end-user a device authorization signs in, and what their tokens carry. */
export interface DeviceUser {
  subject: string;
  org?: string;
  groups?: string[];
  claims?: Record<string, unknown>;
  /** Lifetime of their access tokens (default 300 s). */
  expiresInSeconds?: number;
}

/**
 * A real OpenID Provider (oidc-provider in a child process) on loopback.
 *
 * ```ts
 * const idp = await startTestIdp();
 * const trusted = idp.trustedIssuer();                              // what Dispatch is configured with
 * const token = await idp.issueToken({ subject: 'alice', org: 'acme', groups: ['dev'] });
 * const expired = await idp.issueToken({ org: 'acme', expiresInSeconds: -120 });
 * const unsigned = await idp.forgeToken({ alg: 'none' }, { org: 'acme' });
 * await idp.stop();
 * ```
 */
export interface TestIdp {
  /** `http://127.0.0.1:<port>`, the `iss` of its tokens and the base of its discovery document. */
  readonly issuer: string;
  readonly port: number;
  /** The provider process (it changes on rotateKeys), e.g. to simulate a crash. */
  readonly pid: number | undefined;
  readonly jwksUri: string;
  /** Default audience of issued tokens. */
  readonly audience: string;
  /** This IdP as Dispatch trusts it: default claim mapping, JWKS found through discovery. */
  trustedIssuer(overrides?: Partial<TrustedIssuer>): TrustedIssuer;
  /** A JWT access token from a real client_credentials `POST /token` with `resource=<audience>`. */
  issueToken(options?: IssueTokenOptions): Promise<string>;
  /** A token like `issueToken` would give, signed locally with the IdP's key, wrong in one way. */
  forgeToken(fault: TokenFault, options?: IssueTokenOptions): Promise<string>;
  /** Registers a public client (no secret) that may use the device authorization grant and refresh tokens. */
  registerDeviceClient(clientId: string): Promise<void>;
  /**
   * Does what the person at the browser does for a device authorization: opens
   * `verification_uri_complete`, confirms the code on the provider's own pages, and (as `user`)
   * signs in and consents. Resolves once the provider shows its success page.
   */
  approveDevice(verificationUriComplete: string, user: DeviceUser): Promise<void>;
  /** Signs new tokens with new keys (new kids) while still publishing the previous ones. */
  rotateKeys(): Promise<void>;
  /** kids the IdP signs with now, one per algorithm (RS256, ES256, EdDSA). */
  signingKeyIds(): string[];
  /** What the provider process printed. */
  output(): string;
  stop(): Promise<void>;
}

export const DEFAULT_TEST_AUDIENCE = 'https://dispatch.test/api';
const DEFAULT_SUBJECT = 'test-user';
const DEFAULT_LIFETIME_SECONDS = 300;

class RunningTestIdp implements TestIdp {
  readonly issuer: string;
  readonly jwksUri: string;
  // Calls run one at a time: a token request depends on the client profile registered just before it.
  private queue: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    private proc: IdpProcess,
    private current: SigningKey[],
    readonly audience: string,
    private readonly secrets: { clientSecret: string; adminToken: string },
    private readonly startTimeoutMs: number,
  ) {
    this.issuer = `http://127.0.0.1:${proc.port}`;
    this.jwksUri = `${this.issuer}/jwks`;
  }

  get port(): number {
    return this.proc.port;
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  trustedIssuer(overrides: Partial<TrustedIssuer> = {}): TrustedIssuer {
    return { issuer: this.issuer, audience: this.audience, claims: { ...DEFAULT_CLAIM_MAPPING }, ...overrides };
  }

  issueToken(options: IssueTokenOptions = {}): Promise<string> {
    return this.serial(async () => {
      const subject = options.subject ?? DEFAULT_SUBJECT;
      const profile = {
        org: options.org,
        groups: options.groups,
        claims: options.claims,
        expiresInSeconds: options.expiresInSeconds,
        alg: options.alg,
      };
      await this.call(`/__test/clients/${encodeURIComponent(subject)}`, 204, {
        method: 'PUT',
        headers: { authorization: `Bearer ${this.secrets.adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(profile),
      });
      const response = await this.call('/token', 200, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: subject,
          client_secret: this.secrets.clientSecret,
          resource: options.audience ?? this.audience,
        }),
      });
      const body = (await response.json()) as { access_token?: unknown };
      if (typeof body.access_token !== 'string') throw new Error(`the test IdP answered without an access_token: ${JSON.stringify(body)}`);
      return body.access_token;
    });
  }

  registerDeviceClient(clientId: string): Promise<void> {
    return this.serial(async () => {
      await this.call(`/__test/device-clients/${encodeURIComponent(clientId)}`, 204, {
        method: 'PUT',
        headers: { authorization: `Bearer ${this.secrets.adminToken}`, 'content-type': 'application/json' },
        body: '{}',
      });
    });
  }

  approveDevice(verificationUriComplete: string, user: DeviceUser): Promise<void> {
    return this.serial(async () => {
      await this.call('/__test/device-user', 204, {
        method: 'PUT',
        headers: { authorization: `Bearer ${this.secrets.adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(user),
      });
      const browser = new CookieBrowser();
      // The code page auto-posts the code, which answers the confirm form; posting that starts sign-in.
      let page = await browser.open(verificationUriComplete);
      page = await browser.submit(page);
      page = await browser.submit(page);
      if (!/Sign-in Success/.test(page.body))
        throw new Error(`the device authorization did not succeed:\n${page.body}\n${this.proc.output()}`);
    });
  }

  async forgeToken(fault: TokenFault, options: IssueTokenOptions = {}): Promise<string> {
    const alg = options.alg ?? 'RS256';
    const signer = this.current.find((k) => k.alg === alg);
    if (!signer) throw new Error(`the test IdP has no ${alg} key`);
    const subject = options.subject ?? DEFAULT_SUBJECT;
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      ...options.claims,
      ...(options.org === undefined ? {} : { org: options.org }),
      ...(options.groups === undefined ? {} : { groups: options.groups }),
      jti: randomUUID(),
      sub: subject,
      client_id: subject,
      iss: this.issuer,
      aud: options.audience ?? this.audience,
      iat: now,
      exp: now + (options.expiresInSeconds ?? DEFAULT_LIFETIME_SECONDS),
    };
    return forgeToken(fault, claims, signer);
  }

  rotateKeys(): Promise<void> {
    return this.serial(async () => {
      const fresh = await generateSigningKeySet();
      await this.proc.stop();
      // New keys first: oidc-provider signs with the first key of each type and publishes all, so
      // tokens signed before the rotation still verify; keys two rotations old are dropped.
      this.proc = await IdpProcess.start(
        { port: this.proc.port, keys: [...fresh, ...this.current].map((k) => k.privateJwk), ...this.secrets },
        this.startTimeoutMs,
      );
      this.current = fresh;
    });
  }

  signingKeyIds(): string[] {
    return this.current.map((k) => k.kid);
  }

  output(): string {
    return this.proc.output();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.proc.stop();
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(() => {
      if (this.stopped) throw new Error('the test IdP was stopped');
      this.proc.assertRunning();
      return work();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** A request to the provider; if it fails because the process died, the error carries its output. */
  private async call(pathname: string, expectedStatus: number, init: RequestInit): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(`${this.issuer}${pathname}`, { ...init, signal: AbortSignal.timeout(10_000) });
    } catch (err) {
      if (await this.proc.exitsWithin(1_000)) this.proc.assertRunning();
      throw new Error(`request to the test IdP failed (${pathname}): ${(err as Error).message}`);
    }
    if (response.status !== expectedStatus) {
      throw new Error(`the test IdP answered ${pathname} with ${response.status}: ${await response.text()}\n${this.proc.output()}`);
    }
    return response;
  }
}

/** Starts a real OpenID Provider on 127.0.0.1 (a free port), signing with fresh RS256/ES256/EdDSA keys. */
export async function startTestIdp(options: TestIdpOptions = {}): Promise<TestIdp> {
  const startTimeoutMs = options.startTimeoutMs ?? 20_000;
  const keys = await generateSigningKeySet();
  const secrets = { clientSecret: randomBytes(24).toString('base64url'), adminToken: randomBytes(24).toString('base64url') };
  const proc = await IdpProcess.start({ port: 0, keys: keys.map((k) => k.privateJwk), ...secrets }, startTimeoutMs);
  return new RunningTestIdp(proc, keys, options.audience ?? DEFAULT_TEST_AUDIENCE, secrets, startTimeoutMs);
}

interface Page {
  url: string;
  body: string;
}

/** Just enough of a browser for the provider's device pages: cookies, redirects, and posting a page's one form. */
class CookieBrowser {
  private readonly cookies = new Map<string, string>();

  open(url: string): Promise<Page> {
    return this.follow(url, { method: 'GET' });
  }

  /** Posts the page's form with its hidden inputs, as its script (or its Continue button) would. */
  submit(page: Page): Promise<Page> {
    const action = /<form[^>]*action="([^"]+)"/.exec(page.body)?.[1];
    if (!action) throw new Error(`no form on ${page.url}:\n${page.body}`);
    const fields = new URLSearchParams();
    for (const m of page.body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/>/g)) fields.append(m[1], unescapeHtml(m[2]));
    return this.follow(new URL(unescapeHtml(action), page.url).href, { method: 'POST', body: fields });
  }

  private async follow(url: string, init: RequestInit): Promise<Page> {
    for (let hop = 0; hop < 10; hop++) {
      const response = await fetch(url, {
        ...init,
        redirect: 'manual',
        headers: { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
        signal: AbortSignal.timeout(10_000),
      });
      for (const line of response.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const eq = pair.indexOf('=');
        const value = pair.slice(eq + 1);
        if (value && !/expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.set(pair.slice(0, eq), value);
        else this.cookies.delete(pair.slice(0, eq));
      }
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        url = new URL(location, url).href;
        init = { method: 'GET' };
        continue;
      }
      const body = await response.text();
      if (!response.ok) throw new Error(`${init.method} ${url} answered ${response.status}:\n${body}`);
      return { url, body };
    }
    throw new Error(`more than 10 redirects from ${url}`);
  }
}

function unescapeHtml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
