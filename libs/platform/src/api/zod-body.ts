import { type PipeTransform } from '@nestjs/common';
import { ApiBody } from '@nestjs/swagger';
import { z } from 'zod';
import { ErrorCode } from '@dispatch/contracts';
import { DispatchError } from '../errors/dispatch-error';

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

/** Documents the same schema the pipe enforces, so /docs never disagrees with validation. */
export const ApiZodBody = (schema: z.ZodType): MethodDecorator =>
  ApiBody({ schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as object });
