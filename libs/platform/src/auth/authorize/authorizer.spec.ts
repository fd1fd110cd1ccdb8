import type { AuthzSnapshot, Principal } from '@dispatch/contracts';
import { Authorizer } from './authorizer';

const snapshot: AuthzSnapshot = {
  revision: 7,
  issuers: [],
  serviceAccounts: [],
  apiKeys: [],
  roles: [{ org: 'acme', name: 'deployer', rules: [{ resources: ['function', 'image'], actions: ['create', 'update'] }] }],
  bindings: [
    { org: 'acme', role: 'admin', subjects: [{ kind: 'user', name: 'alice' }] },
    { org: 'acme', role: 'viewer', subjects: [{ kind: 'group', name: 'auditors' }] },
    { org: 'acme', role: 'invoker', subjects: [{ kind: 'serviceaccount', name: 'ci' }] },
    { org: 'acme', role: 'deployer', subjects: [{ kind: 'user', name: 'dora' }] },
    { org: 'beta', role: 'developer', subjects: [{ kind: 'user', name: 'bob' }] },
  ],
};

const user = (org: string, subject: string, groups: string[] = []): Principal => ({ org, subject, groups, kind: 'user' });

describe('Authorizer (casbin RBAC with domains)', () => {
  let authz: Authorizer;
  beforeAll(async () => {
    authz = await Authorizer.fromSnapshot(snapshot);
  });

  it('keeps the snapshot revision', () => expect(authz.revision).toBe(7));

  it('grants an admin everything in its org, and nothing in another', async () => {
    expect(await authz.can(user('acme', 'alice'), 'policy', 'delete')).toBe(true);
    expect(await authz.can(user('beta', 'alice'), 'function', 'get')).toBe(false);
  });

  it('grants through groups: a viewer reads but never writes, and never reads secrets', async () => {
    const carol = user('acme', 'carol', ['auditors']);
    expect(await authz.can(carol, 'function', 'list')).toBe(true);
    expect(await authz.can(carol, 'function', 'create')).toBe(false);
    expect(await authz.can(carol, 'secret', 'get')).toBe(false);
  });

  it('lets a developer write workloads and secrets but only read IAM', async () => {
    const bob = user('beta', 'bob');
    expect(await authz.can(bob, 'secret', 'create')).toBe(true);
    expect(await authz.can(bob, 'run', 'execute')).toBe(true);
    expect(await authz.can(bob, 'policy', 'list')).toBe(true);
    expect(await authz.can(bob, 'policy', 'create')).toBe(false);
  });

  it('lets an invoker service account execute functions only', async () => {
    const ci: Principal = { org: 'acme', subject: 'ci', groups: [], kind: 'serviceaccount' };
    expect(await authz.can(ci, 'function', 'execute')).toBe(true);
    expect(await authz.can(ci, 'function', 'delete')).toBe(false);
    // a user named like the service account gets nothing from its binding
    expect(await authz.can(user('acme', 'ci'), 'function', 'execute')).toBe(false);
  });

  it('applies custom roles in their own org only', async () => {
    expect(await authz.can(user('acme', 'dora'), 'function', 'create')).toBe(true);
    expect(await authz.can(user('acme', 'dora'), 'function', 'delete')).toBe(false);
  });

  it('denies a principal with no binding', async () => {
    expect(await authz.can(user('acme', 'mallory', ['strangers']), 'function', 'get')).toBe(false);
  });
});
