import { z } from 'zod';
import { FUNCTION_RUNTIMES } from '@dispatch/contracts';
import { apiSchema, ENTITY_EXAMPLE, entityViewSchema } from '@dispatch/platform';
import { entityBaseOf } from '@dispatch/persistence';
import type { FunctionRecord } from './function.entity';

const jsonSchemaObject = z.record(z.string(), z.unknown());

/** What a version is deployed from (FunctionSpec), as answered. */
export const functionSpecViewSchema = z.object({
  runtime: z.enum(FUNCTION_RUNTIMES).nullable(),
  image: z.string().nullable().meta({ description: 'A prebuilt image run instead of source.' }),
  handler: z.string(),
  sourceDigest: z.string().nullable().meta({ description: 'Digest of the source tree, when built from source.' }),
  inputSchema: jsonSchemaObject.nullable(),
  outputSchema: jsonSchemaObject.nullable(),
  secrets: z.array(z.string()),
  services: z.array(z.string()),
  env: z.record(z.string(), z.string()),
  timeoutSeconds: z.number().int(),
  memoryMb: z.number().int(),
  maxConcurrency: z.number().int(),
  minReplicas: z.number().int(),
  maxReplicas: z.number().int(),
});

const FUNCTION_SPEC_EXAMPLE: z.output<typeof functionSpecViewSchema> = {
  runtime: 'nodejs',
  image: null,
  handler: 'index.js',
  sourceDigest: 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  inputSchema: null,
  outputSchema: null,
  secrets: [],
  services: [],
  env: {},
  timeoutSeconds: 30,
  memoryMb: 256,
  maxConcurrency: 1,
  minReplicas: 1,
  maxReplicas: 5,
};

/** A function as the API answers it: its spec (without the source bytes) and which version serves. */
export const functionViewSchema = apiSchema(
  'Function',
  entityViewSchema.extend({
    ...functionSpecViewSchema.shape,
    activeVersion: z.number().int().nullable().meta({ description: 'The version serving runs; null until one is ready.' }),
    latestVersion: z.number().int(),
  }),
  { ...ENTITY_EXAMPLE, name: 'hello', ...FUNCTION_SPEC_EXAMPLE, activeVersion: 1, latestVersion: 1 },
);
export type FunctionView = z.output<typeof functionViewSchema>;

export function functionViewOf(record: FunctionRecord): FunctionView {
  return { ...entityBaseOf(record), ...record.spec, activeVersion: record.activeVersion, latestVersion: record.latestVersion };
}
