import type { GatewayState } from '../kong-entities';
import { accessContext, runPlugin } from '../test-support/access-context';
import { aclPlugin } from './acl';

const state: Partial<GatewayState> = {
  consumers: [
    { id: 'c-admin', username: 'admin' },
    { id: 'c-dev', username: 'dev' },
    { id: 'c-none', username: 'none' },
  ],
  acls: [
    { id: 'a1', group: 'admins', consumer: { id: 'c-admin' } },
    { id: 'a2', group: 'ops', consumer: { id: 'c-admin' } },
    { id: 'a3', group: 'devs', consumer: { id: 'c-dev' } },
  ],
};

function as(consumerId: string | undefined, withCredential = true) {
  const { ctx, upstream } = accessContext({ state });
  ctx.consumer = consumerId ? ctx.lookups.consumer(consumerId) : undefined;
  ctx.credential = consumerId && withCredential ? { id: `k-${consumerId}`, key: 'k', consumer: { id: consumerId } } : undefined;
  return { ctx, upstream };
}

describe('acl plugin', () => {
  it('lets an allowed group through with X-Consumer-Groups, unless hide_groups_header', async () => {
    const { ctx, upstream } = as('c-admin');
    expect((await runPlugin(aclPlugin, { allow: ['admins'] }, ctx)).exit).toBeUndefined();
    expect(upstream.headers['x-consumer-groups']).toBe('admins, ops');
    const hidden = as('c-admin');
    await runPlugin(aclPlugin, { allow: ['admins'], hide_groups_header: true }, hidden.ctx);
    expect(hidden.upstream.headers['x-consumer-groups']).toBeUndefined();
  });

  it('refuses consumers outside the allow list, or inside the deny list, with 403', async () => {
    const outside = await runPlugin(aclPlugin, { allow: ['admins'] }, as('c-dev').ctx);
    expect(outside.exit?.status).toBe(403);
    expect(outside.body?.['message']).toBe('You cannot consume this service');
    expect((await runPlugin(aclPlugin, { deny: ['devs'] }, as('c-dev').ctx)).exit?.status).toBe(403);
    expect((await runPlugin(aclPlugin, { deny: ['devs'] }, as('c-admin').ctx)).exit).toBeUndefined();
  });

  it('answers 401 without an authenticated consumer, and 403 for a consumer in no group', async () => {
    const anonymous = await runPlugin(aclPlugin, { allow: ['admins'] }, as(undefined).ctx);
    expect(anonymous.exit?.status).toBe(401);
    expect(anonymous.body?.['message']).toBe('Unauthorized');
    expect((await runPlugin(aclPlugin, { allow: ['admins'] }, as('c-none').ctx)).exit?.status).toBe(403);
    expect((await runPlugin(aclPlugin, { deny: ['devs'] }, as('c-none').ctx)).exit).toBeUndefined();
  });

  it('needs exactly one of allow and deny', async () => {
    await expect(runPlugin(aclPlugin, {}, as('c-admin').ctx)).rejects.toThrow(/at least one of these fields must be non-empty/);
    await expect(runPlugin(aclPlugin, { allow: ['a'], deny: ['b'] }, as('c-admin').ctx)).rejects.toThrow(/only one of these fields/);
  });
});
