import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { soloCredentialsOf } from '@dispatch/contracts';
import { freePort, soloAdminToken, startSoloServer, startTestIdp, type SoloServer, type TestIdp } from '@dispatch/testing';
import { cli, CLI, type Ran } from './run-cli';

/** The built CLI, with its stderr watched while it runs: the device flow prints its link and waits. */
function startCli(env: Record<string, string>, args: string[]) {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  const link = new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      const match = /open (\S+) in a browser/.exec(stderr);
      if (match) resolve(match[1]);
    });
    child.once('close', () => reject(new Error(`dispatch ${args.join(' ')} ended before it showed a link:\n${stderr}`)));
  });
  const done = new Promise<Ran>((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  void done.then(() => clearTimeout(timer));
  return { link, done };
}

describe('dispatch login with the OIDC device flow of a real IdP', () => {
  let solo: SoloServer;
  let idp: TestIdp;
  let dir: string;
  let env: Record<string, string>;
  let org: string;

  beforeAll(async () => {
    [solo, idp] = await Promise.all([startSoloServer(), startTestIdp()]);
    await idp.registerDeviceClient('dispatch-cli');
    dir = await mkdtemp(join(tmpdir(), 'dispatch-cli-oidc-'));
    env = { DISPATCH_CONFIG: join(dir, 'config.json'), DISPATCH_HOME: solo.home, HOME: dir };
    org = soloCredentialsOf(JSON.parse(await readFile(join(solo.home, 'config.json'), 'utf8')))!.organization;
    // The org trusts the IdP, and its user dana may read.
    const admin = await soloAdminToken(solo.home);
    const post = async (path: string, body: unknown) => {
      const r = await fetch(`${solo.api}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (r.status !== 201) throw new Error(`${path}: ${r.status} ${await r.text()}`);
    };
    await post('/v1/iam/issuers', { name: 'corp-sso', issuer: idp.issuer, audience: idp.audience });
    await post('/v1/iam/policies', { name: 'dana-viewer', role: 'viewer', subjects: [{ kind: 'user', name: 'dana' }] });
  }, 180_000);

  afterAll(async () => {
    await Promise.all([solo?.process.stop(), idp?.stop()]);
    if (solo) await rm(solo.home, { recursive: true, force: true });
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const login = (...extra: string[]) =>
    startCli(env, ['login', '--server', solo.api, '--issuer', idp.issuer, '--audience', idp.audience, '--context', 'sso', ...extra]);

  it('shows a link and code, waits for the approval, and saves a context that works', async () => {
    const running = login();
    const link = await running.link;
    expect(link).toMatch(new RegExp(`^${idp.issuer}/device\\?user_code=`));
    await idp.approveDevice(link, { subject: 'dana', org, groups: [] });
    const result = await running.done;
    expect(result.stderr).toMatch(/confirm the code \w{4}-\w{4}/);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Logged in to ${solo.api} as dana (org ${org}); context "sso" is current`);

    const contexts = JSON.parse((await cli(env, ['context', 'list', '-o', 'json'])).stdout) as { name: string; auth: string }[];
    expect(contexts).toEqual([expect.objectContaining({ name: 'sso', auth: `oidc ${idp.issuer}` })]);
    const functions = await cli(env, ['get', 'function', '-o', 'json']);
    expect(functions.code).toBe(0);
    expect(JSON.parse(functions.stdout)).toEqual([]);
    // dana is a viewer: the server decides with her identity, not the CLI's.
    const denied = await cli(env, ['delete', 'secret', 'anything']);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/error: FORBIDDEN/);
  }, 90_000);

  it('refreshes an expired token with the refresh token and keeps the new one', async () => {
    const running = login();
    await idp.approveDevice(await running.link, { subject: 'dana', org, groups: [], expiresInSeconds: 2 });
    expect((await running.done).code).toBe(0);
    const saved = async () =>
      (JSON.parse(await readFile(env.DISPATCH_CONFIG, 'utf8')) as { contexts: { auth: { token: string; oidc: { expiresAt: number } } }[] })
        .contexts[0].auth;
    const before = await saved();
    // Within the refresh margin from the start: the first call refreshes.
    expect(before.oidc.expiresAt - Date.now()).toBeLessThan(30_000);
    const listed = await cli(env, ['get', 'function']);
    expect(listed.stderr).toBe('');
    expect(listed.code).toBe(0);
    const after = await saved();
    expect(after.token).not.toBe(before.token);

    // Commands at once take turns at the refresh: each uses the refresh token the previous one
    // saved, since the IdP revokes the whole grant when a used one comes back.
    const together = await Promise.all([1, 2, 3].map(() => cli(env, ['get', 'function'])));
    expect(together.map((r) => [r.code, r.stderr])).toEqual([
      [0, ''],
      [0, ''],
      [0, ''],
    ]);
    expect((await cli(env, ['get', 'function'])).code).toBe(0);
  }, 90_000);

  it('names the IdP when it does not answer, and asks for the audience', async () => {
    const noAudience = await cli(env, ['login', '--server', solo.api, '--issuer', idp.issuer, '--context', 'x']);
    expect(noAudience.code).toBe(2);
    expect(noAudience.stderr).toContain('--audience');
    const nobody = `http://127.0.0.1:${await freePort()}`;
    const down = await cli(env, ['login', '--server', solo.api, '--issuer', nobody, '--audience', 'a', '--context', 'x']);
    expect(down.code).toBe(1);
    expect(down.stderr).toContain(`the identity provider ${nobody} does not answer`);
  });
});
