import { applyDecorators } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { z } from 'zod';
import { RunStatus } from '@dispatch/contracts';
import { entityNameSchema } from '@dispatch/platform';

/** Dispatch's run request: `{input, blocking, secrets?}`. */
export const runBody = z
  .object({
    input: z.unknown().optional(),
    blocking: z.boolean().default(false),
    secrets: z.array(entityNameSchema).max(32, 'at most 32 secrets').default([]),
  })
  .strict();
export type RunBody = z.infer<typeof runBody>;

export const runFilter = z.object({
  functionName: entityNameSchema.optional(),
  status: z
    .enum(Object.values(RunStatus) as [RunStatus, ...RunStatus[]], `must be one of ${Object.values(RunStatus).join(', ')}`)
    .optional(),
  since: z.iso
    .datetime({ offset: true, error: 'must be an ISO 8601 time, e.g. 2026-11-23T10:00:00Z' })
    .transform((s) => new Date(s))
    .optional(),
  pageSize: z.string().optional(),
  pageToken: z.string().optional(),
});
/** The filters of a run list besides its page; any other query parameter is refused. */
export const RUN_FILTERS = ['functionName', 'status', 'since'];

/** Documents the filters runFilter reads (`functionName` only where the path does not name the function). */
export const ApiRunFilters = (withFunctionName: boolean): MethodDecorator =>
  applyDecorators(
    ...(withFunctionName
      ? [ApiQuery({ name: 'functionName', required: false, type: String, description: 'Only the runs of this function.' })]
      : []),
    ApiQuery({ name: 'status', required: false, enum: Object.values(RunStatus) }),
    ApiQuery({ name: 'since', required: false, type: String, description: 'ISO 8601 time with a zone; runs created at or after it.' }),
  );
