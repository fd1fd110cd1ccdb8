import { z } from 'zod';
import { apiSchema, timeSchema } from '@dispatch/platform';
import { functionSpecViewSchema } from '../function/function-view';
import { type FunctionVersion, VersionStatus } from './version.entity';

/** A version as the API answers it: its spec, where it is in its life and why. */
export const versionViewSchema = apiSchema(
  'FunctionVersion',
  z.object({
    version: z.number().int(),
    status: z.enum(Object.values(VersionStatus) as [VersionStatus, ...VersionStatus[]]),
    reason: z.array(z.string()),
    image: z.string().nullable(),
    providerName: z.string().meta({ description: 'The name the version is deployed under on the provider.' }),
    spec: functionSpecViewSchema,
    createdTime: timeSchema,
    modifiedTime: timeSchema,
  }),
  {
    version: 1,
    status: 'READY',
    reason: [],
    image: 'local/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    providerName: 'default-hello-v1',
    spec: {
      runtime: 'nodejs',
      image: null,
      handler: 'index.js',
      sourceDigest: null,
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
    },
    createdTime: '2026-12-07T10:00:00.000Z',
    modifiedTime: '2026-12-07T10:00:05.000Z',
  },
);
export type VersionView = z.output<typeof versionViewSchema>;

export function versionViewOf(v: FunctionVersion): VersionView {
  return {
    version: v.version,
    status: v.status,
    reason: v.reason,
    image: v.image,
    providerName: v.providerName,
    spec: v.spec,
    createdTime: v.createdTime.toISOString(),
    modifiedTime: v.modifiedTime.toISOString(),
  };
}
