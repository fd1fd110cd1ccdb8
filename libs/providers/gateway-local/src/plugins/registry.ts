import { aclPlugin } from './acl';
import { corsPlugin } from './cors';
import { keyAuthPlugin } from './key-auth';
import type { GatewayPlugin } from './plugin';
import { RateLimitCounters, rateLimitingPlugin } from './rate-limiting';
import { requestSizeLimitingPlugin } from './request-size-limiting';
import { requestTransformerPlugin } from './request-transformer';

export type AnyPlugin = GatewayPlugin<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The plugins the embedded gateway runs, by name; rate-limiting counts in the given counters. */
export function bundledPlugins(counters: RateLimitCounters = new RateLimitCounters()): Map<string, AnyPlugin> {
  const plugins: AnyPlugin[] = [
    corsPlugin,
    keyAuthPlugin,
    requestSizeLimitingPlugin,
    aclPlugin,
    rateLimitingPlugin(counters),
    requestTransformerPlugin,
  ];
  return new Map(plugins.map((plugin) => [plugin.name, plugin]));
}
