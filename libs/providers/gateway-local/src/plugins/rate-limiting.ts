import { kongError } from '../kong-error';
import { rateLimitingSchema } from './schemas/rate-limiting.schema';
import { type AccessContext, type GatewayPlugin, getHeader } from './plugin';

export const PERIODS = ['second', 'minute', 'hour', 'day', 'month', 'year'] as const;
export type Period = (typeof PERIODS)[number];

/** Window lengths in seconds (kong/plugins/rate-limiting/expiration.lua). */
const WINDOW: Record<Period, number> = { second: 1, minute: 60, hour: 3600, day: 86400, month: 2592000, year: 31536000 };

export interface RateLimitingConfig extends Partial<Record<Period, number>> {
  limit_by: 'consumer' | 'consumer-group' | 'credential' | 'header' | 'ip' | 'path' | 'service';
  header_name?: string;
  path?: string;
  policy: 'local' | 'cluster' | 'redis';
  fault_tolerant: boolean;
  hide_client_headers: boolean;
  error_code: number;
  error_message: string;
}

/** The start of each window containing `ms` (kong/tools/timestamp.lua get_timestamps, UTC). */
export function windowStarts(ms: number): Record<Period, number> {
  const date = new Date(ms);
  const day = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  return {
    second: Math.floor(ms / 1000) * 1000,
    minute: Math.floor(ms / 60000) * 60000,
    hour: Math.floor(ms / 3600000) * 3600000,
    day,
    month: Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1),
    year: Date.UTC(date.getUTCFullYear(), 0, 1),
  };
}

/**
 * The `local` policy's counters: one per scope, identifier and window, living in this process as
 * Kong's shared dict does in its node (so they survive configuration changes, not restarts).
 */
export class RateLimitCounters {
  private readonly counts = new Map<string, { count: number; expiresAt: number }>();

  usage(key: string, now: number): number {
    const entry = this.counts.get(key);
    return entry && entry.expiresAt > now ? entry.count : 0;
  }

  increment(key: string, now: number, windowMs: number): void {
    const entry = this.counts.get(key);
    if (entry && entry.expiresAt > now) entry.count += 1;
    else this.counts.set(key, { count: 1, expiresAt: now + windowMs });
    if (this.counts.size > 10_000) this.prune(now);
  }

  private prune(now: number): void {
    for (const [key, entry] of this.counts) if (entry.expiresAt <= now) this.counts.delete(key);
  }
}

const EMPTY_UUID = '00000000-0000-0000-0000-000000000000';

/** Kong's get_identifier: who the limit counts, falling back to the client address. */
function identifierOf(config: RateLimitingConfig, ctx: AccessContext): string {
  let identifier: string | undefined;
  if (config.limit_by === 'service') identifier = ctx.match.service?.id;
  else if (config.limit_by === 'consumer') identifier = ctx.consumer?.id ?? ctx.credential?.id;
  else if (config.limit_by === 'credential') identifier = ctx.credential?.id;
  else if (config.limit_by === 'header') identifier = getHeader(ctx.request.headers, config.header_name ?? '');
  else if (config.limit_by === 'path' && ctx.request.path === config.path) identifier = ctx.request.path;
  return identifier ?? ctx.request.clientIp;
}

function capitalized(period: Period): string {
  return period[0]!.toUpperCase() + period.slice(1);
}

/**
 * Kong's rate-limiting plugin (kong/plugins/rate-limiting/handler.lua), priority 910, local policy:
 * X-RateLimit-Limit-<Period> and X-RateLimit-Remaining-<Period> for each configured period, the
 * RateLimit-Limit/Remaining/Reset of the most constrained one, and past the limit the configured
 * status (429) with Retry-After and Kong's error body. A refused request does not count.
 */
export function rateLimitingPlugin(counters: RateLimitCounters): GatewayPlugin<RateLimitingConfig> {
  return {
    name: 'rate-limiting',
    priority: 910,
    schema: rateLimitingSchema,
    entityChecks(config) {
      const errors: Record<string, string> = {};
      const set = PERIODS.filter((period) => config[period] !== undefined && config[period] !== null);
      if (set.length === 0)
        errors['@entity'] = `at least one of these fields must be non-empty: ${PERIODS.map((p) => `'config.${p}'`).join(', ')}`;
      for (let i = 1; i < set.length; i += 1) {
        const shorter = set[i - 1]!;
        const longer = set[i]!;
        if (config[longer]! < config[shorter]!) {
          errors[`config`] =
            `the limit for ${longer}(${config[longer]!.toFixed(1)}) cannot be lower than the limit for ${shorter}(${config[shorter]!.toFixed(1)})`;
        }
      }
      if (config.limit_by === 'header' && !config.header_name) errors['config.header_name'] = 'required field missing';
      if (config.limit_by === 'path' && !config.path) errors['config.path'] = 'required field missing';
      if (config.policy !== 'local')
        errors['config.policy'] = `policy '${config.policy}' is not available in the embedded gateway: use 'local'`;
      return errors;
    },
    access(config, ctx, run) {
      const now = ctx.now();
      const identifier = identifierOf(config, ctx);
      // Counters belong to the plugin's scope, not the request's: a global limit counts across routes.
      const scope = `${run.routeId ?? EMPTY_UUID}:${run.serviceId ?? EMPTY_UUID}`;
      const starts = windowStarts(now);
      const keys = new Map<Period, string>();
      const usage: { period: Period; limit: number; remaining: number }[] = [];
      let stop: Period | undefined;
      for (const period of PERIODS) {
        const limit = config[period];
        if (limit === undefined || limit === null) continue;
        const key = `ratelimit:${scope}:${identifier}:${starts[period]}:${period}`;
        keys.set(period, key);
        const remaining = limit - counters.usage(key, now);
        usage.push({ period, limit, remaining });
        if (remaining <= 0) stop = period;
      }
      const headers: Record<string, string> = {};
      let reset = 0;
      if (!config.hide_client_headers) {
        let chosen: { limit: number; window: number; remaining: number } | undefined;
        for (const entry of usage) {
          const window = WINDOW[entry.period];
          let remaining = entry.remaining;
          if (stop === undefined || stop === entry.period) remaining -= 1;
          remaining = Math.max(0, remaining);
          if (!chosen || remaining < chosen.remaining || (remaining === chosen.remaining && window > chosen.window)) {
            chosen = { limit: entry.limit, window, remaining };
            reset = Math.max(1, window - Math.floor((now - starts[entry.period]) / 1000));
          }
          headers[`X-RateLimit-Limit-${capitalized(entry.period)}`] = String(entry.limit);
          headers[`X-RateLimit-Remaining-${capitalized(entry.period)}`] = String(remaining);
        }
        if (chosen) {
          headers['RateLimit-Limit'] = String(chosen.limit);
          headers['RateLimit-Remaining'] = String(chosen.remaining);
          headers['RateLimit-Reset'] = String(reset);
        }
      }
      if (stop !== undefined) {
        if (!config.hide_client_headers) headers['Retry-After'] = String(reset);
        Object.assign(ctx.responseHeaders, headers);
        return kongError(config.error_code, config.error_message, ctx.requestId, getHeader(ctx.request.headers, 'accept'));
      }
      Object.assign(ctx.responseHeaders, headers);
      for (const [period, key] of keys) counters.increment(key, now, Math.max(1000, starts[period] + WINDOW[period] * 1000 - now));
    },
  };
}
