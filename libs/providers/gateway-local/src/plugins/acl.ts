import { kongError } from '../kong-error';
import { aclSchema } from './schemas/acl.schema';
import { type GatewayPlugin, getHeader } from './plugin';

export interface AclConfig {
  allow?: string[];
  deny?: string[];
  hide_groups_header: boolean;
  always_use_authenticated_groups: boolean;
  include_consumer_groups: boolean;
}

/**
 * Kong's acl plugin (kong/plugins/acl/handler.lua), priority 950, after the auth plugins: the
 * consumer's groups (its `acls`) against allow or deny; 403 "You cannot consume this service" when
 * blocked, 401 when no consumer was authenticated; the allowed consumer's groups go upstream in
 * X-Consumer-Groups.
 */
export const aclPlugin: GatewayPlugin<AclConfig> = {
  name: 'acl',
  priority: 950,
  schema: aclSchema,
  entityChecks(config): Record<string, string> {
    const allow = (config.allow?.length ?? 0) > 0;
    const deny = (config.deny?.length ?? 0) > 0;
    if (allow && deny) return { '@entity': "only one of these fields must be non-empty: 'config.allow', 'config.deny'" };
    if (!allow && !deny) return { '@entity': "at least one of these fields must be non-empty: 'config.allow', 'config.deny'" };
    return {};
  },
  access(config, ctx) {
    const accept = getHeader(ctx.request.headers, 'accept');
    const deny = (config.deny?.length ?? 0) > 0;
    const listed = (deny ? config.deny : config.allow) ?? [];
    const consumer = ctx.consumer;
    if (!consumer) {
      // No authenticated groups come from the auth plugins the embedded gateway has.
      if (ctx.credential) return kongError(403, 'You cannot consume this service', ctx.requestId, accept);
      return kongError(401, undefined, ctx.requestId, accept);
    }
    const groups = ctx.lookups.consumerGroups(consumer.id);
    if (groups.length === 0 && !deny) {
      if (ctx.credential) return kongError(403, 'You cannot consume this service', ctx.requestId, accept);
      return kongError(401, undefined, ctx.requestId, accept);
    }
    const inGroup = groups.some((group) => listed.includes(group));
    if (deny ? inGroup : !inGroup) return kongError(403, 'You cannot consume this service', ctx.requestId, accept);
    if (!config.hide_groups_header && groups.length > 0) ctx.upstream.setHeader('X-Consumer-Groups', groups.join(', '));
  },
};
