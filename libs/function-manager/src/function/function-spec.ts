import { z } from 'zod';
import { FUNCTION_RUNTIMES, type FunctionSpec } from '@dispatch/contracts';
import { entityNameSchema, tagsSchema } from '@dispatch/platform';

/**
 * What a function runs and how. Limits, quoted by the 400 messages:
 * - timeout 1–900 s (default 30 s): a run past it is TIMED_OUT and its worker replaced;
 * - memory 64–4096 MB (default 256 MB): a worker above it is killed and the run fails;
 * - maxConcurrency 1–100 (default 1): calls one replica serves at once; more wait in a queue;
 * - minReplicas 0–10 (default 1) warm replicas, maxReplicas 1–20 (default 5);
 * - env: at most 64 variables, values up to 4 KiB, names not starting with DISPATCH_;
 * - inputSchema / outputSchema: JSON Schemas up to 64 KiB each;
 * - secrets, services: at most 32 names each.
 */
export const FUNCTION_LIMITS = {
  timeoutSeconds: { min: 1, max: 900, default: 30 },
  memoryMb: { min: 64, max: 4096, default: 256 },
  maxConcurrency: { min: 1, max: 100, default: 1 },
  minReplicas: { min: 0, max: 10, default: 1 },
  maxReplicas: { min: 1, max: 20, default: 5 },
  envVars: 64,
  envValueBytes: 4096,
  schemaBytes: 64 * 1024,
  names: 32,
} as const;

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const int = (l: { min: number; max: number }, unit = '') =>
  z.number().int('must be a whole number').min(l.min, `at least ${l.min}${unit}`).max(l.max, `at most ${l.max}${unit}`);

const jsonSchema = z
  .record(z.string(), z.unknown(), 'must be a JSON Schema object')
  .refine((s) => Buffer.byteLength(JSON.stringify(s)) <= FUNCTION_LIMITS.schemaBytes, `at most ${FUNCTION_LIMITS.schemaBytes / 1024} KiB`);

const names = z.array(entityNameSchema).max(FUNCTION_LIMITS.names, `at most ${FUNCTION_LIMITS.names} names`);

const env = z
  .record(
    z
      .string()
      .regex(ENV_NAME, 'each variable name must match ^[A-Za-z_][A-Za-z0-9_]*$')
      .refine((n) => !n.startsWith('DISPATCH_'), 'names starting with DISPATCH_ are reserved'),
    z
      .string()
      .refine((v) => Buffer.byteLength(v) <= FUNCTION_LIMITS.envValueBytes, `each value at most ${FUNCTION_LIMITS.envValueBytes} bytes`),
  )
  .refine((e) => Object.keys(e).length <= FUNCTION_LIMITS.envVars, `at most ${FUNCTION_LIMITS.envVars} variables`);

/** The fields a client may set; on update every one is optional and an absent one keeps its value. */
const specFields = {
  runtime: z.enum(FUNCTION_RUNTIMES, `must be one of ${FUNCTION_RUNTIMES.join(', ')}`).optional(),
  image: z.string().min(1).max(512).optional(),
  handler: z.string().min(1).max(256).optional(),
  inputSchema: jsonSchema.nullable().optional(),
  outputSchema: jsonSchema.nullable().optional(),
  secrets: names.optional(),
  services: names.optional(),
  env: env.optional(),
  timeoutSeconds: int(FUNCTION_LIMITS.timeoutSeconds, ' s').optional(),
  memoryMb: int(FUNCTION_LIMITS.memoryMb, ' MB').optional(),
  maxConcurrency: int(FUNCTION_LIMITS.maxConcurrency).optional(),
  minReplicas: int(FUNCTION_LIMITS.minReplicas).optional(),
  maxReplicas: int(FUNCTION_LIMITS.maxReplicas).optional(),
};

/** `POST /v1/function` (JSON, or the `function` field of a multipart upload). `source`: base64 of a tar.gz or zip. */
export const createFunctionBody = z
  .object({
    name: entityNameSchema,
    ...specFields,
    source: z.base64('must be base64 of a tar.gz, tar or zip archive').optional(),
    tags: tagsSchema,
  })
  .strict();
export type CreateFunctionBody = z.infer<typeof createFunctionBody>;

/** `PUT /v1/function/{name}`: the fields to change; the result is a new version. */
export const updateFunctionBody = z
  .object({ ...specFields, source: z.base64('must be base64 of a tar.gz, tar or zip archive').optional(), tags: tagsSchema.optional() })
  .strict();
export type UpdateFunctionBody = z.infer<typeof updateFunctionBody>;

export type SpecChanges = Omit<UpdateFunctionBody, 'source' | 'tags'>;

/** The spec after `changes`, with defaults for what neither sets; problems of the whole are returned, not thrown. */
export function mergeSpec(
  base: FunctionSpec | undefined,
  changes: SpecChanges,
  sourceDigest: string | null | undefined,
): { spec: FunctionSpec } | { problems: string[] } {
  const pick = <K extends keyof SpecChanges & keyof FunctionSpec>(key: K, fallback: FunctionSpec[K]): FunctionSpec[K] =>
    (changes[key] !== undefined ? changes[key] : base ? base[key] : fallback) as FunctionSpec[K];
  // Choosing an image drops the runtime and the source, and the other way round.
  const image = changes.image !== undefined ? changes.image : changes.runtime !== undefined ? null : (base?.image ?? null);
  const runtime = changes.runtime !== undefined ? changes.runtime : changes.image !== undefined ? null : (base?.runtime ?? null);
  const spec: FunctionSpec = {
    runtime,
    image,
    handler: pick('handler', ''),
    sourceDigest: runtime ? (sourceDigest !== undefined ? sourceDigest : (base?.sourceDigest ?? null)) : null,
    inputSchema: pick('inputSchema', null),
    outputSchema: pick('outputSchema', null),
    secrets: pick('secrets', []),
    services: pick('services', []),
    env: pick('env', {}),
    timeoutSeconds: pick('timeoutSeconds', FUNCTION_LIMITS.timeoutSeconds.default),
    memoryMb: pick('memoryMb', FUNCTION_LIMITS.memoryMb.default),
    maxConcurrency: pick('maxConcurrency', FUNCTION_LIMITS.maxConcurrency.default),
    minReplicas: pick('minReplicas', FUNCTION_LIMITS.minReplicas.default),
    maxReplicas: pick('maxReplicas', FUNCTION_LIMITS.maxReplicas.default),
  };
  const problems: string[] = [];
  if (!spec.runtime && !spec.image) problems.push(`runtime: give a runtime (${FUNCTION_RUNTIMES.join(', ')}) with source, or an image`);
  if (spec.runtime && !spec.sourceDigest)
    problems.push('source: a function with a runtime needs its source (a tar.gz or zip archive, or a directory upload)');
  if (spec.runtime && !spec.handler) problems.push('handler: name the file (and function) to run, e.g. index.js or hello.handle');
  if (spec.minReplicas > spec.maxReplicas) problems.push(`minReplicas: ${spec.minReplicas} is more than maxReplicas ${spec.maxReplicas}`);
  return problems.length ? { problems } : { spec };
}
