import { applyDecorators, type PipeTransform } from '@nestjs/common';
import { ApiBody, ApiOperation } from '@nestjs/swagger';
import { z } from 'zod';
import { ErrorCode } from '@dispatch/contracts';
import { DispatchError } from '../errors/dispatch-error';
import { documentErrors } from './api-errors';
import type { SchemaObject } from './api-schemas';

/** Validates a body against a zod schema: 400 VALIDATION_FAILED naming each bad field, or the parsed value. */
export class ZodPipe<S extends z.ZodType> implements PipeTransform<unknown, z.infer<S>> {
  constructor(private readonly schema: S) {}

  transform(value: unknown): z.infer<S> {
    const result = this.schema.safeParse(value ?? {});
    if (result.success) return result.data;
    const problems = result.error.issues.map((i) => ({ field: i.path.join('.') || '(body)', problem: i.message }));
    throw new DispatchError(ErrorCode.VALIDATION_FAILED, `invalid request: ${problems.map((p) => `${p.field}: ${p.problem}`).join('; ')}`, {
      problems,
    });
  }
}

/** What any route reading a body can refuse it for. */
const BODY_ERRORS = [ErrorCode.VALIDATION_FAILED, ErrorCode.INVALID_JSON, ErrorCode.PAYLOAD_TOO_LARGE, ErrorCode.UNSUPPORTED_MEDIA_TYPE];

export interface ZodBodyOptions {
  /**
   * The same request as multipart/form-data, for routes that also take uploads. Such a handler
   * reads the body from the request itself, without @Body(): Nest documents a @Body() parameter
   * as the only body there is.
   */
  formData?: { schema: SchemaObject; encoding?: Record<string, { contentType: string }> };
}

/** Documents the same schema the pipe enforces, so /docs never disagrees with validation, and the errors a body can get. */
export const ApiZodBody = (schema: z.ZodType, options: ZodBodyOptions = {}): MethodDecorator => {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as SchemaObject;
  const body = options.formData
    ? ApiOperation({
        requestBody: {
          required: true,
          content: { 'application/json': { schema: json }, 'multipart/form-data': options.formData },
        },
      })
    : ApiBody({ schema: json });
  return applyDecorators(body, documentErrors(BODY_ERRORS));
};
