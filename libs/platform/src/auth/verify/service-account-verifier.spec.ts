import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';
import { ErrorCode } from '@dispatch/contracts';
import { DispatchError } from '../../errors/dispatch-error';
import { ServiceAccountTokenVerifier } from './service-account-verifier';

const now = () => Math.floor(Date.now() / 1000);

describe('ServiceAccountTokenVerifier', () => {
  const account = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ecAccount = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const keys = new Map<string, KeyObject>([
    ['acme/ci', account.publicKey],
    ['acme/ec', ecAccount.publicKey],
  ]);
  const verifier = new ServiceAccountTokenVerifier({ publicKeyOf: (org, name) => keys.get(`${org}/${name}`) });

  function sign(claims: JWTPayload, { key = account.privateKey, alg = 'RS256' }: { key?: KeyObject; alg?: string } = {}): Promise<string> {
    return new SignJWT({ iss: 'acme/ci', iat: now(), exp: now() + 300, ...claims }).setProtectedHeader({ alg }).sign(key);
  }

  async function refusal(token: string, v = verifier): Promise<DispatchError> {
    const err = await v.verify(token).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DispatchError);
    expect((err as DispatchError).code).toBe(ErrorCode.UNAUTHENTICATED);
    // The message explains; it never repeats the credential.
    expect((err as DispatchError).message).not.toContain(token.split('.')[2] || token.split('.')[1]);
    return err as DispatchError;
  }

  it('turns a valid token into the service-account principal', async () => {
    await expect(verifier.verify(await sign({}))).resolves.toEqual({
      org: 'acme',
      subject: 'ci',
      groups: [],
      kind: 'serviceaccount',
      issuer: 'acme/ci',
    });
  });

  it('accepts a key looked up asynchronously and a lifetime of exactly one hour', async () => {
    const asyncVerifier = new ServiceAccountTokenVerifier({ publicKeyOf: async (org, name) => keys.get(`${org}/${name}`) });
    const iat = now();
    await expect(asyncVerifier.verify(await sign({ iat, exp: iat + 3600 }))).resolves.toMatchObject({ subject: 'ci' });
  });

  it('refuses tokens longer-lived than 1 hour', async () => {
    const iat = now();
    expect((await refusal(await sign({ iat, exp: iat + 7200 }))).message).toMatch(/lives 7200 s.*longer-lived than 1 hour are refused/);
  });

  it('refuses an iat in the future, which would stretch the lifetime bound', async () => {
    const iat = now() + 3600;
    expect((await refusal(await sign({ iat, exp: iat + 600 }))).message).toMatch(/issued in the future/);
  });

  it('requires exp and iat', async () => {
    expect((await refusal(await sign({ exp: undefined }))).message).toMatch(/no "exp" claim/);
    expect((await refusal(await sign({ iat: undefined }))).message).toMatch(/no "iat" claim/);
  });

  it('refuses an expired token beyond the skew allowance, and accepts one within it', async () => {
    expect((await refusal(await sign({ iat: now() - 600, exp: now() - 120 }))).message).toMatch(/expired at \d{4}-\d\d-\d\dT/);
    await expect(verifier.verify(await sign({ iat: now() - 600, exp: now() - 30 }))).resolves.toMatchObject({ subject: 'ci' });
  });

  it('refuses a token signed by another key', async () => {
    expect((await refusal(await sign({}, { key: stranger.privateKey }))).message).toMatch(/signature does not verify.*acme\/ci/);
  });

  it('refuses ES256, HS256 (keyed with the public PEM) and alg none before looking at a key', async () => {
    expect((await refusal(await sign({}, { key: ecAccount.privateKey, alg: 'ES256' }))).message).toMatch(
      /must be signed with RS256.*"ES256"/,
    );
    const pem = new TextEncoder().encode(account.publicKey.export({ type: 'spki', format: 'pem' }) as string);
    expect((await refusal(await sign({}, { key: pem as unknown as KeyObject, alg: 'HS256' }))).message).toMatch(/"HS256"/);
    const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
    expect((await refusal(`${b64({ alg: 'none' })}.${b64({ iss: 'acme/ci', iat: now(), exp: now() + 60 })}.`)).message).toMatch(/"none"/);
  });

  it('refuses an unknown account and a malformed issuer', async () => {
    expect((await refusal(await sign({ iss: 'acme/ghost' }))).message).toMatch(/"ghost" is not registered in org "acme"/);
    expect((await refusal(await sign({ iss: 'https://idp.test' }))).message).toMatch(/not "<org>\/<account>"/);
    expect((await refusal(await sign({ iss: 'acme/ci/x' }))).message).toMatch(/not "<org>\/<account>"/);
    expect((await refusal(await sign({ iss: undefined }))).message).toMatch(/not "<org>\/<account>"/);
  });

  it('refuses when the registered key is not RSA', async () => {
    expect((await refusal(await sign({ iss: 'acme/ec' }))).message).toMatch(/no RSA public key/);
  });

  it('checks a configured audience', async () => {
    const withAudience = new ServiceAccountTokenVerifier({
      publicKeyOf: (org, name) => keys.get(`${org}/${name}`),
      audience: 'https://dispatch.test',
    });
    await expect(withAudience.verify(await sign({ aud: 'https://dispatch.test' }))).resolves.toMatchObject({ subject: 'ci' });
    expect((await refusal(await sign({ aud: 'https://other.test' }), withAudience)).message).toMatch(
      /audience "https:\/\/other.test" is not "https:\/\/dispatch.test"/,
    );
    expect((await refusal(await sign({}), withAudience)).message).toMatch(/no "aud" claim/);
  });

  it('honours a shorter maximum lifetime', async () => {
    const strict = new ServiceAccountTokenVerifier({ publicKeyOf: (org, name) => keys.get(`${org}/${name}`), maxLifetimeSec: 600 });
    const iat = now();
    expect((await refusal(await sign({ iat, exp: iat + 900 }), strict)).message).toMatch(/longer-lived than 600 s/);
  });
});
