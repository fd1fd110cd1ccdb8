import { execFileSync, spawn } from 'node:child_process';
import { generateKeyPair } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cli, CLI } from './run-cli';
import { startSoloServer, type SoloServer } from '@dispatch/testing';

type Json = Record<string, unknown>;

/** A new RSA key pair: the public key in a PEM file, the private key as PEM text. */
async function keyPair(dir: string, name: string): Promise<{ publicKeyFile: string; privateKey: string }> {
  const { publicKey, privateKey } = await promisify(generateKeyPair)('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const publicKeyFile = join(dir, `${name}.pub.pem`);
  await writeFile(publicKeyFile, publicKey);
  return { publicKeyFile, privateKey };
}

/**
 * Runs `dispatch get ... --watch` until it has printed `prints` states; `between` runs once the first state is out,
 * to make the change the second one shows.
 */
function watch(env: Record<string, string>, args: string[], between: () => Promise<unknown>): Promise<string> {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let changed: Promise<unknown> | undefined;
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
    changed ??= between();
  });
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((done, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`dispatch ${args.join(' ')} did not print twice:\n${stdout}\n${stderr}`));
    }, 30_000);
    child.once('close', (code) => {
      clearTimeout(timer);
      void Promise.resolve(changed).then(() => (code === 0 ? done(stdout) : fail(new Error(`exit ${code}: ${stderr}`))));
    });
  });
}

/** The JSON documents --watch -o json printed one after another (each ends with a closing bracket at a line's start). */
function jsonStates<T>(out: string): T[] {
  return out
    .split(/(?<=^[\]}]|^\[\])\n/m)
    .filter((s) => s.trim())
    .map((s) => JSON.parse(s) as T);
}

describe('dispatch identity commands against a solo server', () => {
  let solo: SoloServer;
  let dir: string;
  let env: Record<string, string>;
  const run = (...args: string[]) => cli(env, args);
  const json = async <T = Json>(...args: string[]): Promise<T> => {
    const ran = await run(...args, '-o', 'json');
    if (ran.code !== 0) throw new Error(`dispatch ${args.join(' ')}: exit ${ran.code}: ${ran.stderr}`);
    return JSON.parse(ran.stdout) as T;
  };
  const names = (items: Json[]) => items.map((i) => i.name);

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` (npm test does it first)`);
    solo = await startSoloServer();
    dir = await mkdtemp(join(tmpdir(), 'dispatch-cli-iam-'));
    env = { DISPATCH_CONFIG: join(dir, 'cli', 'config.json'), DISPATCH_HOME: solo.home, HOME: dir };
    expect((await run('login', '--context', 'platform')).code).toBe(0);
  }, 180_000);

  afterAll(async () => {
    await solo?.process.stop();
    if (solo) await rm(solo.home, { recursive: true, force: true });
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('creates an organization with its first service account, whose key logs in and administers it', async () => {
    const bot = await keyPair(dir, 'bot');
    const created = await run('create', 'organization', 'acme', '--admin-serviceaccount', 'bot', '--public-key', bot.publicKeyFile);
    expect(created).toMatchObject({ code: 0, stdout: 'Created organization: acme\n' });
    const [all, one] = await Promise.all([json<Json[]>('get', 'organizations'), json('get', 'org', 'acme')]);
    expect(names(all)).toContain('acme');
    expect(one).toMatchObject({ name: 'acme', status: 'READY' });

    const keyFile = join(dir, 'bot.json');
    await writeFile(keyFile, JSON.stringify({ org: 'acme', name: 'bot', privateKey: bot.privateKey }));
    const login = await run('login', '--key-file', keyFile, '--context', 'acme');
    expect(login.stderr).toBe('');
    expect(login.stdout).toContain('as bot (org acme)');
    // Its org's admin: it reads the binding the create made, and manages the org's service accounts.
    expect(await json('get', 'policy', 'org-admins')).toMatchObject({ role: 'admin', subjects: [{ kind: 'serviceaccount', name: 'bot' }] });
    const second = await keyPair(dir, 'second');
    expect((await run('create', 'serviceaccount', 'second', '--public-key', second.publicKeyFile)).code).toBe(0);
    expect(names(await json<Json[]>('get', 'serviceaccounts'))).toEqual(['bot', 'second']);
    expect((await run('context', 'use', 'platform')).code).toBe(0);
    // The platform's own org does not see acme's accounts.
    expect(names(await json<Json[]>('get', 'sa'))).not.toContain('second');
  });

  it('creates, gets, updates and deletes a service account; platform admins create one in another org', async () => {
    const [first, rotated] = await Promise.all([keyPair(dir, 'ci-1'), keyPair(dir, 'ci-2')]);
    expect((await run('create', 'serviceaccount', 'ci', '--public-key', first.publicKeyFile)).stdout).toBe('Created serviceaccount: ci\n');
    const [before, table] = await Promise.all([json('get', 'serviceaccount', 'ci'), run('get', 'serviceaccount')]);
    expect(before.publicKey).toContain('BEGIN PUBLIC KEY');
    expect(table.stdout).toMatch(/│ ci\s+│ READY\s+│ \d{4}-/);
    expect((await run('update', 'serviceaccount', 'ci', '--public-key', rotated.publicKeyFile)).stdout).toBe(
      'Updated serviceaccount: ci\n',
    );
    const after = await json('get', 'serviceaccount', 'ci');
    expect(after.publicKey).not.toBe(before.publicKey);
    expect((await run('delete', 'serviceaccount', 'ci')).stdout).toBe('Deleted serviceaccount: ci\n');
    const gone = await run('get', 'serviceaccount', 'ci');
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/^error: \w*NOT_FOUND: /m);

    expect((await run('create', 'serviceaccount', 'deployer', '--org', 'acme', '--public-key', first.publicKeyFile)).code).toBe(0);
    expect(names(await json<Json[]>('get', 'serviceaccount', '--context', 'acme'))).toContain('deployer');
  });

  it('creates an API key whose secret is shown once and works, and revokes it', async () => {
    const created = await run('create', 'apikey', 'reader', '--role', 'viewer', '--expires-in-days', '7');
    expect(created.code).toBe(0);
    const key = /^Key: (dsp_\S+)$/m.exec(created.stdout)?.[1];
    expect(key).toBeDefined();
    expect(created.stderr).toContain('only time the key is shown');
    const listed = await run('get', 'apikeys');
    expect(listed.stdout).toMatch(/│ reader\s+│ viewer\s+│ \w+\s+│ active\s+│/);
    expect(listed.stdout).not.toContain(key);

    expect((await run('login', '--token', key as string, '--context', 'by-key')).code).toBe(0);
    expect((await run('context', 'use', 'platform')).code).toBe(0);
    expect((await run('get', 'function', '--context', 'by-key')).code).toBe(0);

    expect((await run('revoke', 'apikey', 'reader')).stdout).toBe('Revoked apikey: reader\n');
    expect(await json('get', 'apikey', 'reader')).toMatchObject({ name: 'reader', revokedTime: expect.any(String) });
    const refused = await run('get', 'function', '--context', 'by-key');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('log in again');
    expect((await run('delete', 'apikey', 'reader')).code).toBe(0);
    expect(names(await json<Json[]>('get', 'apikey'))).not.toContain('reader');
  });

  it('creates, gets, updates and deletes a role and a policy that grants it', async () => {
    expect((await run('create', 'role', 'fn-reader', '--rule', 'function:get,list', '--rule', 'run:list')).code).toBe(0);
    expect(await json('get', 'role', 'fn-reader')).toMatchObject({
      rules: [
        { resources: ['function'], actions: ['get', 'list'] },
        { resources: ['run'], actions: ['list'] },
      ],
    });
    expect((await run('update', 'role', 'fn-reader', '--rule', 'function,secret:get')).code).toBe(0);
    expect((await run('get', 'roles')).stdout).toMatch(/│ fn-reader\s+│ function,secret:get\s+│/);

    expect((await run('create', 'policy', 'readers', '--role', 'fn-reader', '--subject', 'user:alice,group:ops')).stdout).toBe(
      'Created policy: readers\n',
    );
    expect(await json('get', 'rolebinding', 'readers')).toMatchObject({
      role: 'fn-reader',
      subjects: [
        { kind: 'user', name: 'alice' },
        { kind: 'group', name: 'ops' },
      ],
    });
    expect((await run('update', 'policy', 'readers', '--subject', 'serviceaccount:ci')).code).toBe(0);
    expect((await run('get', 'policies')).stdout).toMatch(/│ readers\s+│ fn-reader\s+│ serviceaccount:ci\s+│/);
    expect((await run('delete', 'policy', 'readers')).stdout).toBe('Deleted policy: readers\n');
    expect((await run('delete', 'role', 'fn-reader')).stdout).toBe('Deleted role: fn-reader\n');
    expect(names(await json<Json[]>('get', 'roles'))).not.toContain('fn-reader');
  });

  it("keeps Dispatch's `dispatch iam` forms: create serviceaccount --public-key, create policy --subject --action --resource", async () => {
    const key = await keyPair(dir, 'legacy');
    expect((await run('iam', 'create', 'serviceaccount', 'legacy', '--public-key', key.publicKeyFile)).stdout).toBe(
      'Created serviceaccount: legacy\n',
    );
    expect(names(await json<Json[]>('iam', 'get', 'serviceaccount'))).toContain('legacy');

    const policy = await run(
      'iam',
      'create',
      'policy',
      'legacy-readers',
      '--subject',
      'legacy@example.com',
      '--action',
      'get',
      '--resource',
      'function,base-image',
    );
    expect(policy).toMatchObject({ code: 0, stdout: 'Created policy: legacy-readers\n' });
    // The rule became a role of the policy's name; Dispatch's `-w` is --wide there and prints it.
    expect(await json('get', 'role', 'legacy-readers')).toMatchObject({
      rules: [{ resources: ['function', 'baseimage'], actions: ['get', 'list'] }],
    });
    const wide = await run('iam', 'get', 'policy', '-w');
    expect(wide.stdout).toMatch(/RULES/);
    expect(wide.stdout).toMatch(/│ legacy-readers\s+│ legacy-readers\s+│ user:legacy@example.com\s+│ function,baseimage:get,list\s+│/);
    expect((await run('iam', 'delete', 'policy', 'legacy-readers')).code).toBe(0);
    expect((await run('get', 'role', 'legacy-readers')).code).toBe(1);
    expect((await run('iam', 'delete', 'serviceaccount', 'legacy')).code).toBe(0);
    const global = await run('iam', 'create', 'policy', 'everywhere', '--subject', 'a', '--action', 'get', '--resource', '*', '--global');
    expect(global.code).toBe(2);
    expect(global.stderr).toContain('--global');
  });

  it('creates, gets, updates and deletes a trusted issuer', async () => {
    const created = await run('create', 'issuer', 'corp', '--issuer', 'https://idp.example.com', '--audience', 'dispatch');
    expect(created.stdout).toBe('Created issuer: corp\n');
    expect(await json('get', 'issuer', 'corp')).toMatchObject({ issuer: 'https://idp.example.com', audience: 'dispatch' });
    expect(
      (
        await run(
          'update',
          'issuer',
          'corp',
          '--audience',
          'dispatch-2',
          '--claim-org',
          'tenant',
          '--claim-subject',
          'email',
          '--claim-groups',
          'roles',
        )
      ).code,
    ).toBe(0);
    expect(await json('get', 'issuers', 'corp')).toMatchObject({
      issuer: 'https://idp.example.com',
      audience: 'dispatch-2',
      claims: { org: 'tenant', subject: 'email', groups: 'roles' },
    });
    expect((await run('delete', 'issuer', 'corp')).code).toBe(0);
    expect(names(await json<Json[]>('get', 'issuers'))).not.toContain('corp');
  });

  it("sets an org's quota, which that org reads, and shows usage", async () => {
    const set = await json('update', 'quota', 'acme', '--max-functions', '7');
    expect(set).toMatchObject({ org: 'acme', limits: { maxFunctions: 7 } });
    expect(await json('get', 'quota', '--context', 'acme')).toMatchObject({ org: 'acme', limits: { maxFunctions: 7 } });
    expect((await run('get', 'quota', '--context', 'acme')).stdout).toMatch(/│ acme\s+│ 7\s+│/);

    const usage = await json<{ org: string; usage: { runs: number; since: string } }>('get', 'usage', '--since', '2026-01-01');
    expect(usage.usage).toMatchObject({ runs: expect.any(Number), since: '2026-01-01' });
    expect((await run('get', 'usage')).stdout).toMatch(/ORG[\s│]+SINCE[\s│]+RUNS/);
  });

  it('shows the changes just made in the audit log, filtered', async () => {
    const events = await json<Json[]>('get', 'audit', '--resource', 'policy', '--action', 'create', '--since', '10m');
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(events.every((e) => e.resource === 'policy' && e.action === 'create')).toBe(true);
    expect(events.map((e) => e.route)).toContain('/v1/iam/policies');
    expect(await json<Json[]>('get', 'audit', '--limit', '3')).toHaveLength(3);
    expect((await run('get', 'audit', '--resource', 'apikey', '--limit', '5')).stdout).toMatch(/│ update\s+│ apikey\s+│ POST /);
  });

  it('says what is wrong: an unreadable key file exits 2 naming it; a refusal exits 1 with its code', async () => {
    const missing = join(dir, 'missing.pem');
    const unreadable = await run('create', 'serviceaccount', 'x', '--public-key', missing);
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr).toContain(`cannot read the public key file ${missing}`);
    const noRole = await run('create', 'apikey', 'k', '--role', 'no-such-role');
    expect(noRole.code).toBe(1);
    expect(noRole.stderr).toMatch(/^error: ROLE_NOT_FOUND: role "no-such-role" does not exist/m);
    const badRule = await run('create', 'role', 'r', '--rule', 'gizmo:get');
    expect(badRule.code).toBe(2);
    expect(badRule.stderr).toContain('unknown resource "gizmo"');
  });

  it('--watch prints again when the watched list or item changes', async () => {
    const file = join(dir, 'secret.json');
    await writeFile(file, JSON.stringify({ a: 'b' }));
    const lists = await watch(env, ['get', 'secret', '-o', 'json', '--watch', '--interval', '0.2', '--watch-count', '2'], () =>
      run('create', 'secret', 'watched', file),
    );
    const [before, after] = jsonStates<Json[]>(lists);
    expect(names(before)).not.toContain('watched');
    expect(names(after)).toContain('watched');

    expect((await run('create', 'apikey', 'watched-key', '--role', 'viewer')).code).toBe(0);
    const states = await watch(env, ['get', 'apikey', 'watched-key', '-o', 'json', '-w', '--interval', '0.2', '--watch-count', '2'], () =>
      run('revoke', 'apikey', 'watched-key'),
    );
    const printed = jsonStates<Json>(states);
    expect(printed).toHaveLength(2);
    expect(printed[0].revokedTime).toBeNull();
    expect(printed[1].revokedTime).toEqual(expect.any(String));
  }, 60_000);

  it('completes commands in bash from the built CLI', () => {
    const complete = (words: string) =>
      execFileSync('bash', [
        '-c',
        `source <(node ${CLI} completion bash); COMP_WORDS=(${words}); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _dispatch; echo "\${COMPREPLY[*]}"`,
      ])
        .toString()
        .trim();
    expect(complete('dispatch ge')).toBe('get');
    expect(complete('dispatch iam get serv')).toBe('serviceaccount serviceaccounts');
    expect(complete('dispatch get apikey --wat')).toBe('--watch');
  });
});
