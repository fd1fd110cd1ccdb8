import { z } from 'zod';
import { API_AUTHENTICATIONS, FUNCTION_RUNTIMES, NAME_MAX_LENGTH, NAME_PATTERN } from '@dispatch/contracts';

/**
 * The documents seed files hold, one zod schema per kind and format: Dispatch's (its seed YAML,
 * read unchanged) and this platform's own (`apiVersion: dispatch/v1`, the API's field names under
 * `spec`). Types and shapes are checked here, so a problem names its field before anything is
 * applied; the server still holds the limits (ranges, sizes) and says which one a value breaks.
 */

export const OWN_API_VERSION = 'dispatch/v1';

/** `required: <what>` when absent, `must be <what>` when of another type. */
const expected = (what: string, required?: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? `required: ${required ?? what}` : `must be ${what}`;

const nameOf = (required: string) =>
  z
    .string({ error: expected('a string', required) })
    .max(NAME_MAX_LENGTH, `at most ${NAME_MAX_LENGTH} characters`)
    .regex(NAME_PATTERN, 'lower-case letters, digits and "-", starting and ending with a letter or digit (DNS-1123 label)');
const name = nameOf('the resource name');

const tags = z
  .array(
    z
      .object({
        key: z.string({ error: expected('a string') }).min(1, 'must not be empty'),
        value: z.string({ error: expected('a string (quote numbers and booleans)') }),
      })
      .strict(),
    { error: expected('a list of {key, value}') },
  )
  .optional();

const jsonSchema = z.record(z.string(), z.unknown(), { error: expected('a JSON Schema object') }).nullable();

const names = z.array(name, { error: expected('a list of names') });

const stringValues = (what: string) =>
  z.record(z.string(), z.string({ error: expected('a string (quote numbers and booleans)') }), { error: expected(what) });

const count = (unit = '') => z.number({ error: expected(`a number${unit}`) }).int('must be a whole number');

/** Dispatch's seed image names, which select that runtime until images can be built. */
export const DISPATCH_SEED_IMAGES = FUNCTION_RUNTIMES;

const dispatchImage = z.enum(DISPATCH_SEED_IMAGES, {
  error: (issue) =>
    issue.input === undefined
      ? `required: ${DISPATCH_SEED_IMAGES.join(' or ')} (the runtime)`
      : `${JSON.stringify(issue.input)} is not available: the images are Dispatch's seed images ${DISPATCH_SEED_IMAGES.join(' and ')}, which select that runtime (other images come with image building)`,
});

const sourcePath = z.string({ error: expected('a path', "the function's source file or directory, relative to the seed file") }).min(1);

/** Dispatch's `kind: Function`: `schema.in`/`schema.out` inline, `timeout` in milliseconds (0: none). */
export const dispatchFunction = z
  .object({
    kind: z.literal('Function'),
    name,
    sourcePath,
    image: dispatchImage,
    handler: z
      .string({ error: expected('a string') })
      .min(1, 'must not be empty')
      .optional(),
    schema: z
      .object({ in: jsonSchema.optional(), out: jsonSchema.optional() }, { error: expected('{in, out}') })
      .strict()
      .optional(),
    secrets: names.optional(),
    // The service instances whose bindings the function gets (Dispatch's `services`).
    services: names.optional(),
    timeout: count(' of milliseconds').min(0, 'must not be negative').optional(),
    tags,
  })
  .strict();
export type DispatchFunctionDoc = z.infer<typeof dispatchFunction>;

/** Dispatch's `kind: Secret`: `secrets` a map of string values. */
export const dispatchSecret = z
  .object({ kind: z.literal('Secret'), name, secrets: stringValues('a map of keys to string values'), tags })
  .strict();
export type DispatchSecretDoc = z.infer<typeof dispatchSecret>;

const strings = (what: string) => z.array(z.string({ error: expected('a string') }), { error: expected(`a list of ${what}`) });
const authentication = z.enum(API_AUTHENTICATIONS, {
  error: (i) => `${i.input === undefined ? 'required' : 'must be'}: ${API_AUTHENTICATIONS.join(', ')}`,
});
const flag = z.boolean({ error: expected('true or false') });
/** `cors: true` allows any origin (Dispatch's switch); a mapping says what is allowed (the API's `cors`). */
const cors = z.union([flag, z.record(z.string(), z.unknown())], { error: expected('true, false or a mapping of origins, methods …') });

/**
 * Dispatch's `kind: API`: a function served on `uris` (its name of the paths) by the gateway, with
 * `methods`, `protocols`, `hosts`, `authentication`, `cors` and `enabled` as the API takes them.
 */
export const dispatchApi = z
  .object({
    kind: z.literal('API'),
    name,
    function: nameOf('the function the API calls'),
    uris: strings('paths, e.g. [/hello]'),
    methods: strings('HTTP methods, e.g. [GET, POST]').optional(),
    protocols: strings('http and/or https').optional(),
    hosts: strings('host names').optional(),
    authentication: authentication.optional(),
    enabled: flag.optional(),
    cors: cors.optional(),
    tags,
  })
  .strict();
export type DispatchApiDoc = z.infer<typeof dispatchApi>;

const own = <K extends string, S extends z.ZodType>(kind: K, spec: S) =>
  z.object({ apiVersion: z.literal(OWN_API_VERSION), kind: z.literal(kind), name, tags, spec }).strict();

/**
 * This platform's `kind: Function`: `spec` has the fields of `POST /v1/function`, with the source
 * as `sourcePath` (a file or directory, as `dispatch create function` takes it) instead of base64.
 */
export const ownFunction = own(
  'Function',
  z
    .object(
      {
        runtime: z
          .enum(FUNCTION_RUNTIMES, { error: (i) => `${i.input === undefined ? 'required' : 'must be'}: ${FUNCTION_RUNTIMES.join(' or ')}` })
          .optional(),
        image: z
          .string({ error: expected('an image reference') })
          .min(1, 'must not be empty')
          .optional(),
        sourcePath: sourcePath.optional(),
        handler: z
          .string({ error: expected('a string') })
          .min(1, 'must not be empty')
          .optional(),
        inputSchema: jsonSchema.optional(),
        outputSchema: jsonSchema.optional(),
        secrets: names.optional(),
        env: stringValues('a map of variable names to string values').optional(),
        timeoutSeconds: count(' of seconds').optional(),
        memoryMb: count(' of MB').optional(),
        maxConcurrency: count().optional(),
        minReplicas: count().optional(),
        maxReplicas: count().optional(),
      },
      { error: expected('a mapping of the function fields') },
    )
    .strict()
    .superRefine((spec, ctx) => {
      if (spec.runtime && spec.image)
        ctx.addIssue({ code: 'custom', path: ['image'], message: 'give a runtime with sourcePath, or an image, not both' });
      else if (!spec.runtime && !spec.image)
        ctx.addIssue({
          code: 'custom',
          path: ['runtime'],
          message: `required: ${FUNCTION_RUNTIMES.join(' or ')} (with sourcePath), or an image`,
        });
      else if (spec.runtime && !spec.sourcePath)
        ctx.addIssue({
          code: 'custom',
          path: ['sourcePath'],
          message: "required with a runtime: the function's source file or directory, relative to the seed file",
        });
      else if (spec.image && spec.sourcePath)
        ctx.addIssue({
          code: 'custom',
          path: ['sourcePath'],
          message: 'a function of an image has no source: remove sourcePath, or give a runtime instead of the image',
        });
    }),
);
export type OwnFunctionDoc = z.infer<typeof ownFunction>;

/** This platform's `kind: Secret`: `spec.secrets` as in `POST /v1/secret`. */
export const ownSecret = own(
  'Secret',
  z.object({ secrets: stringValues('a map of keys to string values') }, { error: expected('{secrets}') }).strict(),
);
export type OwnSecretDoc = z.infer<typeof ownSecret>;

/** This platform's `kind: API`: `spec` has the fields of `POST /v1/api` but the name. */
export const ownApi = own(
  'API',
  z
    .object(
      {
        function: nameOf('the function the API calls'),
        paths: strings('paths, e.g. [/hello]').optional(),
        uris: strings('paths, e.g. [/hello]').optional(),
        methods: strings('HTTP methods, e.g. [GET, POST]').optional(),
        hosts: strings('host names').optional(),
        protocols: strings('http and/or https').optional(),
        'https-only': flag.optional(),
        authentication: authentication.optional(),
        cors: cors.optional(),
        rateLimit: z.record(z.string(), z.unknown(), { error: expected('a mapping of second, minute, hour, day') }).optional(),
        requestSizeLimit: count(' of bytes').optional(),
        enabled: flag.optional(),
      },
      { error: expected('a mapping of the API fields') },
    )
    .strict(),
);
export type OwnApiDoc = z.infer<typeof ownApi>;

/** A zod issue's path as people write it: `schema.in`, `tags[0].value`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((at, key) => (typeof key === 'number' ? `${at}[${key}]` : at ? `${at}.${String(key)}` : String(key)), '');
}

/** One `{field, message}` per problem zod found; an unknown field is named by its own path. */
export function issuesOf(error: z.ZodError): { field: string; message: string }[] {
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ field: fieldPath([...issue.path, key]), message: 'unknown field: remove it or check its spelling' }))
      : [{ field: fieldPath(issue.path), message: issue.message }],
  );
}
