import { API_AUTHENTICATIONS } from '@dispatch/contracts';
import { z } from 'zod';
import { entityNameSchema as name, tagsSchema as tags } from '@dispatch/platform';
import { API_METHODS, API_PROTOCOLS, type ApiSpec } from './api-spec';

/** A literal path prefix: Kong's regex paths (`~…`) and anything a URL would escape are refused. */
const PATH = /^\/[A-Za-z0-9._~!$&'()*+,;=:@/-]*$/;
const HOST = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;
/** An origin as browsers send it (`https://app.example.com:8443`), or `*` for any. */
const ORIGIN = /^https?:\/\/(\*\.)?[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?(:[0-9]{1,5})?$/;
const HEADER = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}$/;
const MAX_REQUEST_SIZE = 1024 ** 3;

const path = z
  .string()
  .max(256, 'at most 256 characters')
  .regex(PATH, 'a path starting with "/", of URL path characters only (no regex, no spaces, no "?" or "#")')
  .refine((p) => !p.includes('//'), 'no empty segments ("//")')
  .transform((p) => (p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p));
const method = z.enum(API_METHODS, `one of ${API_METHODS.join(', ')}`);
const header = z.string().regex(HEADER, 'an HTTP header name');

const cors = z
  .object({
    origins: z
      .array(z.string().refine((o) => o === '*' || ORIGIN.test(o), 'an origin: "*" or scheme://host[:port], e.g. https://app.example.com'))
      .min(1, 'at least one origin ("*" for any)')
      .max(32),
    methods: z
      .array(method)
      .max(API_METHODS.length)
      .default([...API_METHODS]),
    headers: z.array(header).max(32).default([]),
    exposedHeaders: z.array(header).max(32).default([]),
    credentials: z.boolean().default(false),
    maxAgeSeconds: z.number().int().min(0).max(86_400).optional(),
  })
  .strict()
  .refine((c) => !(c.credentials && c.origins.includes('*')), {
    message: 'credentials cannot be allowed for any origin ("*"): list the origins',
    path: ['origins'],
  });

const perWindow = z.number().int('a whole number').min(1, 'at least 1').max(1_000_000_000);
const WINDOWS = ['second', 'minute', 'hour', 'day'] as const;
const rateLimit = z
  .object({ second: perWindow.optional(), minute: perWindow.optional(), hour: perWindow.optional(), day: perWindow.optional() })
  .strict()
  .superRefine((limits, ctx) => {
    const set = WINDOWS.filter((w) => limits[w] !== undefined);
    if (!set.length) ctx.addIssue({ code: 'custom', message: 'give at least one of second, minute, hour, day' });
    // Kong refuses a longer window that allows fewer requests than a shorter one.
    for (let i = 1; i < set.length; i++) {
      if (limits[set[i]]! < limits[set[i - 1]]!)
        ctx.addIssue({
          code: 'custom',
          path: [set[i]],
          message: `must be at least the ${set[i - 1]} limit (${limits[set[i - 1]]})`,
        });
    }
  });

/** The fields create and update share, Dispatch's names beside ours where they differ. */
const apiFields = {
  function: name.meta({ description: 'The function of the org that serves the API.' }),
  methods: z.array(method).min(1).max(API_METHODS.length).default(['GET', 'POST']),
  paths: z
    .array(path)
    .min(1, 'at least one path')
    .max(16, 'at most 16 paths')
    .optional()
    .meta({ description: 'Path prefixes served; under /<org> unless hosts are given.' }),
  uris: z.array(path).min(1).max(16).optional().meta({ description: "Dispatch's name of paths; give one or the other." }),
  hosts: z.array(z.string().max(253).regex(HOST, 'a host name, e.g. api.example.com or *.example.com')).max(16).default([]),
  protocols: z.array(z.enum(API_PROTOCOLS, 'http or https')).min(1).max(2).optional(),
  'https-only': z.boolean().optional().meta({ description: "Dispatch's switch: true serves https only (protocols [https])." }),
  authentication: z.enum(API_AUTHENTICATIONS, `one of ${API_AUTHENTICATIONS.join(', ')}`).default('public'),
  // Dispatch's `cors: true` is any origin. Read before the object (not as a union), so a bad field is named.
  cors: z
    .preprocess((v) => (v === true ? { origins: ['*'] } : v === false ? undefined : v), cors.optional())
    .meta({ description: 'true allows any origin; an object lists what is allowed; false or absent: no CORS headers.' }),
  rateLimit: rateLimit.optional().meta({ description: 'Requests allowed per second, minute, hour and/or day (counted per client IP).' }),
  requestSizeLimit: z.number().int('a whole number of bytes').min(1).max(MAX_REQUEST_SIZE).optional().meta({
    description: 'Largest request body accepted, in bytes.',
  }),
  enabled: z.boolean().default(true),
  tags,
};

type Fields = z.output<z.ZodObject<typeof apiFields>>;

/** The fields as one spec: aliases resolved, defaults in place. */
function specOf(f: Fields, ctx: z.RefinementCtx): ApiSpec {
  if (f.paths && f.uris) ctx.addIssue({ code: 'custom', path: ['uris'], message: 'give paths or uris (its Dispatch name), not both' });
  const paths = f.paths ?? f.uris;
  if (!paths) ctx.addIssue({ code: 'custom', path: ['paths'], message: 'give at least one path (paths, or uris)' });
  if (f['https-only'] !== undefined && f.protocols && f['https-only'] !== (f.protocols.join() === 'https'))
    ctx.addIssue({ code: 'custom', path: ['https-only'], message: 'contradicts protocols: give one or the other' });
  const protocols = f.protocols ?? (f['https-only'] ? ['https' as const] : ['http' as const, 'https' as const]);
  return {
    function: f.function,
    methods: [...new Set(f.methods)],
    paths: [...new Set(paths ?? [])],
    hosts: [...new Set(f.hosts.map((h) => h.toLowerCase()))],
    protocols: [...new Set(protocols)],
    authentication: f.authentication,
    cors: f.cors ?? null,
    rateLimit: f.rateLimit ?? null,
    requestSizeLimit: f.requestSizeLimit ?? null,
    enabled: f.enabled,
  };
}

/** GET /v1/api/export is the org's export: an API of that name could not be read back. */
const apiName = name.refine((n) => n !== 'export', '"export" is reserved (GET /v1/api/export exports the APIs); choose another name');

export const apiCreateBody = z
  .object({ name: apiName, ...apiFields })
  .strict()
  .transform((f, ctx) => ({ name: f.name, tags: f.tags, spec: specOf(f, ctx) }));
/** PUT replaces the API's spec whole: what is left out goes back to its default. */
export const apiUpdateBody = z
  .object(apiFields)
  .strict()
  .transform((f, ctx) => ({ tags: f.tags, spec: specOf(f, ctx) }));
export type ApiCreateBody = z.output<typeof apiCreateBody>;
export type ApiUpdateBody = z.output<typeof apiUpdateBody>;
