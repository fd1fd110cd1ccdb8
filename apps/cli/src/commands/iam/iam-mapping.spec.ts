import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../../output';
import { apiKeyState } from './apikey';
import { timeFlag } from '../../time-flag';
import { auditQuery } from './audit';
import { commaList as list } from '../../command-kit';
import { claimsOf } from './issuer';
import { organizationBody } from './organization';
import { parseSubject, POLICY_ROLE_TAG, policyRequests } from './policy';
import { quotaChanges } from './quota';
import { parseRule, rulesText } from './role';
import { usageSince } from './usage';

describe('policy mapping', () => {
  it('reads subjects by kind; a bare name is a user, as in Dispatch', () => {
    expect(parseSubject('serviceaccount:ci')).toEqual({ kind: 'serviceaccount', name: 'ci' });
    expect(parseSubject('sa:ci')).toEqual({ kind: 'serviceaccount', name: 'ci' });
    expect(parseSubject('group:ops')).toEqual({ kind: 'group', name: 'ops' });
    expect(parseSubject('me@example.com')).toEqual({ kind: 'user', name: 'me@example.com' });
    // An unknown prefix is part of the name.
    expect(parseSubject('auth0:123')).toEqual({ kind: 'user', name: 'auth0:123' });
    expect(() => parseSubject('user:')).toThrow(UsageError);
  });

  it('binds a role to subjects', () => {
    expect(policyRequests('devs', { role: 'developer', subject: ['user:a', 'group:b'] })).toEqual({
      policy: {
        name: 'devs',
        role: 'developer',
        subjects: [
          { kind: 'user', name: 'a' },
          { kind: 'group', name: 'b' },
        ],
        tags: [],
      },
    });
  });

  it("turns Dispatch's rule flags into a role of the policy's name, tagged to go with it; get grants list too", () => {
    const { role, policy } = policyRequests('readers', {
      subject: ['me@example.com'],
      action: ['get'],
      resource: ['function', 'base-image'],
    });
    expect(role).toEqual({
      name: 'readers',
      rules: [{ resources: ['function', 'baseimage'], actions: ['get', 'list'] }],
      tags: [{ key: POLICY_ROLE_TAG, value: 'readers' }],
    });
    expect(policy).toMatchObject({ name: 'readers', role: 'readers', subjects: [{ kind: 'user', name: 'me@example.com' }] });
  });

  it('refuses what does not map, saying what to give', () => {
    expect(() => policyRequests('p', { subject: ['a'] })).toThrow('give --role ROLE');
    expect(() => policyRequests('p', { role: 'admin' })).toThrow('at least one --subject');
    expect(() => policyRequests('p', { role: 'admin', subject: ['a'], action: ['get'], resource: ['*'] })).toThrow('not both');
    expect(() => policyRequests('p', { subject: ['a'], action: ['get'] })).toThrow('--action and --resource go together');
    expect(() => policyRequests('p', { subject: ['a'], action: ['fly'], resource: ['*'] })).toThrow('unknown action "fly"');
    expect(() => policyRequests('p', { subject: ['a'], action: ['get'], resource: ['*'], global: true })).toThrow('--global');
  });

  it("splits Dispatch's comma lists across repeated flags", () => {
    expect(list('c', list('a, b'))).toEqual(['a', 'b', 'c']);
  });
});

describe('role rules', () => {
  it('reads RESOURCES:ACTIONS and prints them back', () => {
    const rule = parseRule('function,secret:get,list');
    expect(rule).toEqual({ resources: ['function', 'secret'], actions: ['get', 'list'] });
    expect(rulesText([rule, parseRule('*:*')])).toBe('function,secret:get,list *:*');
    expect(() => parseRule('function')).toThrow('RESOURCES:ACTIONS');
    expect(() => parseRule('gizmo:get')).toThrow('unknown resource "gizmo"');
  });
});

describe('organization body', () => {
  let dir: string;
  beforeAll(async () => (dir = await mkdtemp(join(tmpdir(), 'dispatch-iam-'))));
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('carries the first service account with the text of its public key file', async () => {
    const file = join(dir, 'key.pub');
    await writeFile(file, '-----BEGIN PUBLIC KEY-----\nabc\n-----END PUBLIC KEY-----\n');
    expect(await organizationBody('acme', { adminServiceaccount: 'bot', publicKey: file, admin: ['user:me'], output: 'table' })).toEqual({
      name: 'acme',
      admins: [{ kind: 'user', name: 'me' }],
      admin: { serviceAccount: { name: 'bot', publicKey: '-----BEGIN PUBLIC KEY-----\nabc\n-----END PUBLIC KEY-----\n' } },
      tags: [],
    });
  });

  it('names a file it cannot read (a usage error, exit 2)', async () => {
    const missing = join(dir, 'nope.pub');
    const read = organizationBody('acme', { adminServiceaccount: 'bot', publicKey: missing, output: 'table' });
    await expect(read).rejects.toThrow(UsageError);
    await expect(read).rejects.toThrow(`cannot read the public key file ${missing}: ENOENT`);
    await expect(organizationBody('acme', { adminServiceaccount: 'bot', output: 'table' })).rejects.toThrow('go together');
  });
});

describe('audit query', () => {
  const now = Date.parse('2026-12-07T12:00:00Z');

  it('passes filters, turns durations into times and bounds the page', () => {
    expect(auditQuery({ subject: 'bot', resource: 'policy', since: '10m', anonymous: true, limit: 2000 }, now)).toEqual({
      subject: 'bot',
      resource: 'policy',
      since: '2026-12-07T11:50:00.000Z',
      anonymous: 'true',
      pageSize: '500',
    });
    expect(auditQuery({ until: '2026-01-31T12:00:00Z' }, now)).toEqual({ until: '2026-01-31T12:00:00Z', pageSize: '50' });
  });

  it('refuses a time it cannot read', () => {
    expect(timeFlag('--since', '2d', now)).toBe('2026-12-05T12:00:00.000Z');
    expect(() => timeFlag('--until', 'yesterday', now)).toThrow('--until yesterday: give a time such as');
  });
});

describe('the other mappings', () => {
  it('quota: only the limits given, at least one', () => {
    expect(quotaChanges({ maxFunctions: 5, output: 'table' })).toEqual({ maxFunctions: 5 });
    expect(() => quotaChanges({ output: 'table' })).toThrow('at least one of --max-functions');
  });

  it('issuer: the claim mapping is all three claims or none', () => {
    const current = { org: 'org', subject: 'sub', groups: 'groups' };
    expect(claimsOf({ output: 'table' })).toBeUndefined();
    expect(claimsOf({ claimOrg: 'tenant', output: 'table' }, current)).toEqual({ ...current, org: 'tenant' });
    expect(() => claimsOf({ claimOrg: 'tenant', output: 'table' })).toThrow('give all three');
  });

  it('apikey: revoked, expired or active', () => {
    const now = Date.parse('2026-12-07T12:00:00Z');
    expect(apiKeyState({ revokedTime: '2026-12-01T00:00:00Z', expiresTime: '2027-01-01T00:00:00Z' }, now)).toBe('revoked');
    expect(apiKeyState({ revokedTime: null, expiresTime: '2026-12-01T00:00:00Z' }, now)).toBe('expired');
    expect(apiKeyState({ revokedTime: null, expiresTime: '2027-01-01T00:00:00Z' }, now)).toBe('active');
  });

  it('usage: --since is a UTC day', () => {
    expect(usageSince('2026-11-01')).toBe('2026-11-01');
    expect(usageSince(undefined)).toBeUndefined();
    expect(() => usageSince('11/01')).toThrow('give a UTC day');
  });
});
