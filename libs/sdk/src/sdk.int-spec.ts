import { generateKeyPairSync } from 'node:crypto';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { startSoloServer, type SoloServer } from '@dispatch/testing';
import { createDispatchClient, DispatchApiError, serviceAccountTokenProvider, type DispatchClient } from './index';

/** The SDK against a real solo server over HTTP: nothing below the API is faked. */
describe('@dispatch/sdk against a solo server', () => {
  let solo: SoloServer;
  let client: DispatchClient;
  const requests: Request[] = [];
  const recordingFetch = (input: Request) => {
    requests.push(input.clone());
    return fetch(input);
  };

  beforeAll(async () => {
    solo = await startSoloServer();
    const token = solo.admin.authorization.replace(/^Bearer /, '');
    client = createDispatchClient({ baseUrl: solo.api, token, fetch: recordingFetch as typeof fetch });
  }, 180_000);

  afterAll(async () => {
    await solo?.process.stop();
    if (solo) await rm(solo.home, { recursive: true, force: true });
  });

  it('checked-in types match the OpenAPI document the server serves (else: npm run sdk:generate)', async () => {
    // The generator runs from the build (openapi-typescript loads ESM-only modules jest cannot): `npm test` builds first.
    const root = join(__dirname, '../../..');
    const script = join(root, 'dist/libs/sdk/scripts/generate.js');
    if (!existsSync(script)) throw new Error(`${script} is missing: run \`npm run build\` (npm test does it first)`);
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((done) =>
      execFile(process.execPath, [script, '--check', '--api', solo.api], { cwd: root }, (error, _stdout, stderr) =>
        done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stderr }),
      ),
    );
    if (code !== 0) throw new Error(stderr);
  });

  it('creates secrets and iterates every item of a list across pages', async () => {
    const names = Array.from({ length: 7 }, (_, i) => `sdk-page-${i}`);
    for (const name of names) {
      const { response } = await client.POST('/v1/secret', { body: { name, secrets: { password: `p${name}` } } });
      expect(response.status).toBe(201);
    }
    requests.length = 0;
    const seen: string[] = [];
    for await (const item of client.pages('/v1/secret', { query: { pageSize: 3 } })) seen.push((item as { name: string }).name);

    expect(seen.filter((n) => n.startsWith('sdk-page-')).sort()).toEqual(names);
    expect(new Set(seen).size).toBe(seen.length);
    const listed = requests.filter((r) => new URL(r.url).pathname === '/v1/secret');
    expect(listed.length).toBe(Math.ceil(seen.length / 3));
    expect(new URL(listed[0].url).searchParams.get('pageToken')).toBeNull();
    expect(new URL(listed[1].url).searchParams.get('pageToken')).toBeTruthy();
    expect(listed.every((r) => r.headers.get('authorization')?.startsWith('Bearer '))).toBe(true);
  });

  it('throws a DispatchApiError with the error body on a 404', async () => {
    const error = await client.GET('/v1/secret/{name}', { params: { path: { name: 'sdk-missing' } } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DispatchApiError);
    expect(error).toMatchObject({ status: 404, code: 'NOT_FOUND', requestId: expect.stringMatching(/.+/) });
    expect((error as DispatchApiError).message).toContain('sdk-missing');
  });

  it('throws UNAUTHENTICATED without a token', async () => {
    const anonymous = createDispatchClient({ baseUrl: solo.api });
    await expect(anonymous.GET('/v1/secret')).rejects.toMatchObject({ name: 'DispatchApiError', status: 401, code: 'UNAUTHENTICATED' });
  });

  it('authenticates as a service account with tokens it signs and refreshes before they expire', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const publicKeyPem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
    const privateKeyPem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    await client.POST('/v1/iam/serviceaccounts', { body: { name: 'sdk-ci', publicKey: publicKeyPem } });
    await client.POST('/v1/iam/policies', {
      body: { name: 'sdk-ci-viewer', role: 'viewer', subjects: [{ kind: 'serviceaccount', name: 'sdk-ci' }] },
    });

    const tokens: string[] = [];
    const ci = createDispatchClient({
      baseUrl: solo.api,
      tokenProvider: serviceAccountTokenProvider({
        org: 'default',
        name: 'sdk-ci',
        privateKeyPem,
        lifetimeSeconds: 4,
        refreshBeforeSeconds: 2,
      }),
      fetch: ((request: Request) => {
        tokens.push(request.headers.get('authorization') ?? '');
        return fetch(request);
      }) as typeof fetch,
    });

    expect((await ci.GET('/v1/iam/policies')).response.status).toBe(200);
    expect((await ci.GET('/v1/iam/policies')).response.status).toBe(200);
    expect(tokens[1]).toBe(tokens[0]);
    await new Promise((r) => setTimeout(r, 2_500));
    expect((await ci.GET('/v1/iam/policies')).response.status).toBe(200);
    expect(tokens[2]).not.toBe(tokens[0]);
    // The viewer role it was bound to holds: a write is refused as forbidden, not unauthenticated.
    await expect(
      ci.POST('/v1/iam/policies', { body: { name: 'x', role: 'viewer', subjects: [{ kind: 'user', name: 'y' }] } }),
    ).rejects.toMatchObject({
      status: 403,
      code: 'FORBIDDEN',
    });
  });
});
