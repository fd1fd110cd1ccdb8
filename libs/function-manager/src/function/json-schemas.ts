import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { ErrorCode } from '@dispatch/contracts';
import { DispatchError } from '@dispatch/platform';

// One compiler for every function's schemas: compiling is the costly part, validating is cheap.
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);

/** Compiles a function's input or output schema, or says why it is not a usable JSON Schema. */
export function compileSchema(which: 'inputSchema' | 'outputSchema', schema: Record<string, unknown>): ValidateFunction {
  try {
    return ajv.compile(schema);
  } catch (err) {
    throw new DispatchError(ErrorCode.INVALID_SCHEMA, `${which} is not a valid JSON Schema: ${(err as Error).message}`);
  }
}

/** The problems ajv found, as one line a user can act on. */
export function schemaProblems(validate: ValidateFunction): string {
  return (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}`).join('; ');
}
