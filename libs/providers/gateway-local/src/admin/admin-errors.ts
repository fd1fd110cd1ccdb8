import { PluginConfigError } from '../plugins/validate';
import { RouteConfigError } from '../router';

/**
 * An Admin API answer other than success, with Kong's body: `{message}` for the endpoints' own
 * errors, `{code, name, message, fields}` for the DAO's (kong/db/errors.lua, whose codes are
 * what clients switch on).
 */
export class AdminError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body['message']));
  }
}

// kong/db/errors.lua's codes.
const SCHEMA_VIOLATION = 2;
const FOREIGN_KEY_VIOLATION = 4;
const UNIQUE_VIOLATION = 5;
const INVALID_OFFSET = 7;
const INVALID_SIZE = 9;
const INVALID_OPTIONS = 11;

export const notFound = () => new AdminError(404, { message: 'Not found' });
export const methodNotAllowed = () => new AdminError(405, { message: 'Method not allowed' });

/** Kong's schema violation; `fields` nests as the entity does (`{config: {minute: '…'}}`), its message lists them flat. */
export function schemaViolation(fields: Record<string, unknown>): AdminError {
  const flat = flatten(fields);
  const parts = flat.map(([field, problem]) => `${field}: ${problem}`);
  const message = parts.length === 1 ? `schema violation (${parts[0]})` : `${parts.length} schema violations (${parts.join('; ')})`;
  return new AdminError(400, { code: SCHEMA_VIOLATION, name: 'schema violation', message, fields });
}

function flatten(fields: Record<string, unknown>, prefix = ''): [string, string][] {
  return Object.entries(fields).flatMap(([key, value]): [string, string][] => {
    const at = prefix ? `${prefix}.${key}` : key;
    if (value && typeof value === 'object' && !Array.isArray(value)) return flatten(value as Record<string, unknown>, at);
    return [[at, Array.isArray(value) ? value.join(', ') : String(value)]];
  });
}

/** `config.minute` → `{config: {minute: problem}}`, as Kong nests a record's field errors. */
export function nestFields(flat: Record<string, string>): Record<string, unknown> {
  const nested: Record<string, unknown> = {};
  for (const [path, problem] of Object.entries(flat)) {
    const keys = path.split('.');
    let at = nested;
    for (const key of keys.slice(0, -1)) at = (at[key] ??= {}) as Record<string, unknown>;
    at[keys[keys.length - 1]] = problem;
  }
  return nested;
}

/** What the data plane refused in a state, as the schema violation Kong's DAO would have answered. */
export function stateViolation(error: unknown): AdminError {
  if (error instanceof PluginConfigError) return schemaViolation(nestFields(error.fields));
  if (error instanceof RouteConfigError) return schemaViolation({ '@entity': [error.message] });
  throw error;
}

export function uniqueViolation(fields: Record<string, unknown>): AdminError {
  const described = Object.entries(fields)
    .map(([field, value]) => `${field}=${value === null ? 'null' : JSON.stringify(value)}`)
    .join(',');
  return new AdminError(409, {
    code: UNIQUE_VIOLATION,
    name: 'unique constraint violation',
    message: `UNIQUE violation detected on '{${described}}'`,
    fields,
  });
}

export function missingReference(field: string, table: string, ref: Record<string, unknown>): AdminError {
  const key = Object.entries(ref)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(',');
  return new AdminError(400, {
    code: FOREIGN_KEY_VIOLATION,
    name: 'foreign key violation',
    message: `the foreign key '{${key}}' does not reference an existing '${table}' entity.`,
    fields: { [field]: ref },
  });
}

export function referencedBy(table: string, referencing: string): AdminError {
  return new AdminError(400, {
    code: FOREIGN_KEY_VIOLATION,
    name: 'foreign key violation',
    message: `an existing '${referencing}' entity references this '${table}' entity`,
    fields: { '@referenced_by': referencing },
  });
}

export const invalidSize = () =>
  new AdminError(400, { code: INVALID_SIZE, name: 'invalid size', message: 'size must be an integer between 1 and 1000' });

export const invalidOffset = (offset: string) =>
  new AdminError(400, { code: INVALID_OFFSET, name: 'invalid offset', message: `'${offset}' is not a valid offset: bad base64 encoding` });

export const invalidTags = () =>
  new AdminError(400, {
    code: INVALID_OPTIONS,
    name: 'invalid options',
    message: 'invalid option (tags: invalid filter syntax)',
    fields: { tags: 'invalid filter syntax' },
  });
