import { createHash } from 'node:crypto';
import type { AuthzSnapshot } from '@dispatch/contracts';
import type { IdentitySnapshot } from './identity-snapshot';
import { TokenAuthenticator } from './token-authenticator';

type ApiKey = AuthzSnapshot['apiKeys'][number];

const KEY = `dsp_abcdefghijkl_${'k'.repeat(43)}`;
const record = (overrides: Partial<ApiKey> = {}): ApiKey => ({
  org: 'acme',
  name: 'ci-key',
  prefix: 'abcdefghijkl',
  sha256: createHash('sha256').update(KEY).digest('hex'),
  role: 'invoker',
  expiresAt: null,
  ...overrides,
});

/** The part of the identity snapshot API keys are checked against: its keys and its revision. */
function snapshotWith(key: ApiKey | undefined) {
  const identity = {
    revision: 1,
    key,
    apiKey: (prefix: string) => (identity.key?.prefix === prefix ? identity.key : undefined),
    trustedIssuers: () => [],
    serviceAccountKey: () => undefined,
  };
  return identity;
}

describe('TokenAuthenticator: API keys', () => {
  afterEach(() => jest.useRealTimers());

  it('hands out the same principal for the same key, so the Authorizer finds its decisions by it', async () => {
    const identity = snapshotWith(record());
    const auth = new TokenAuthenticator(identity as unknown as IdentitySnapshot);
    const first = await auth.authenticate(KEY);
    expect(first).toEqual({ org: 'acme', subject: 'ci-key', groups: [], kind: 'apikey' });
    expect(await auth.authenticate(KEY)).toBe(first);
  });

  it('refuses a revoked key at the first request after the snapshot moves', async () => {
    const identity = snapshotWith(record());
    const auth = new TokenAuthenticator(identity as unknown as IdentitySnapshot);
    await auth.authenticate(KEY);
    identity.key = undefined;
    identity.revision = 2;
    await expect(auth.authenticate(KEY)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('builds a new principal when the snapshot moves but the key stays', async () => {
    const identity = snapshotWith(record());
    const auth = new TokenAuthenticator(identity as unknown as IdentitySnapshot);
    const before = await auth.authenticate(KEY);
    identity.key = record({ name: 'renamed-key' });
    identity.revision = 2;
    const after = await auth.authenticate(KEY);
    expect(after).not.toBe(before);
    expect(after).toMatchObject({ subject: 'renamed-key' });
  });

  it('stops serving a cached key when it expires', async () => {
    jest.useFakeTimers({ now: Date.parse('2030-01-01T00:00:00Z') });
    const identity = snapshotWith(record({ expiresAt: '2030-01-01T00:01:00Z' }));
    const auth = new TokenAuthenticator(identity as unknown as IdentitySnapshot);
    const first = await auth.authenticate(KEY);
    jest.setSystemTime(Date.parse('2030-01-01T00:00:59Z'));
    expect(await auth.authenticate(KEY)).toBe(first);
    jest.setSystemTime(Date.parse('2030-01-01T00:01:00Z'));
    await expect(auth.authenticate(KEY)).rejects.toThrow(/expired at 2030-01-01T00:01:00/);
  });

  it('serves from the cache only the exact key: another secret under the same prefix is refused', async () => {
    const auth = new TokenAuthenticator(snapshotWith(record()) as unknown as IdentitySnapshot);
    await auth.authenticate(KEY);
    await expect(auth.authenticate(`${KEY.slice(0, -1)}x`)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('refuses a key whose expiry cannot be read rather than trusting it forever', async () => {
    const auth = new TokenAuthenticator(snapshotWith(record({ expiresAt: 'not a time' })) as unknown as IdentitySnapshot);
    await expect(auth.authenticate(KEY)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
