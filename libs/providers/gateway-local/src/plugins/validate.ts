import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import type { KongPlugin } from '../kong-entities';
import type { GatewayPlugin } from './plugin';

/**
 * A plugin entity Kong would refuse: `fields` maps each bad field (`config.minute`, or `@entity`
 * for a rule across fields) to what is wrong, and the message reads as Kong's schema violation.
 */
export class PluginConfigError extends Error {
  constructor(
    readonly pluginId: string,
    readonly fields: Record<string, string>,
  ) {
    const entries = Object.entries(fields).map(([field, problem]) => `${field}: ${problem}`);
    super(
      `plugin ${pluginId}: ${entries.length === 1 ? 'schema violation' : `${entries.length} schema violations`} (${entries.join('; ')})`,
    );
  }
}

// The shared schemas carry `required: []` on strings and other looseness Kong's own format allows.
const ajv = new Ajv({ useDefaults: true, strict: false, allErrors: true });
const compiled = new WeakMap<object, ValidateFunction>();

function validatorFor(schema: object): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

function fieldOf(error: ErrorObject): string {
  const path = error.instancePath.split('/').filter(Boolean).join('.');
  const missing = error.keyword === 'required' ? (error.params as { missingProperty: string }).missingProperty : undefined;
  return [path, missing].filter(Boolean).join('.') || '@entity';
}

/** Kong's Admin API returns unset fields as null: they are absent, and take their defaults. */
function withoutNulls(value: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (field === null) continue;
    copy[key] =
      field && typeof field === 'object' && !Array.isArray(field) ? withoutNulls(field as Record<string, unknown>) : structuredClone(field);
  }
  return copy;
}

export interface ValidatedPlugin<Config = Record<string, unknown>> {
  config: Config;
  protocols: string[];
}

/**
 * Validates a plugin entity against its JSON schema (../shared/specs/kong/plugins) and Kong's
 * entity checks, and returns its config with Kong's defaults filled in. Unknown config fields are
 * refused, as Kong does.
 */
export function validatePlugin<Config>(entity: KongPlugin, plugin: GatewayPlugin<Config>): ValidatedPlugin<Config> {
  const candidate: Record<string, unknown> = { config: withoutNulls(entity.config ?? {}) };
  if (entity.protocols) candidate['protocols'] = [...entity.protocols];
  const validate = validatorFor(plugin.schema);
  const fields: Record<string, string> = {};
  if (!validate(candidate)) for (const error of validate.errors ?? []) fields[fieldOf(error)] ??= error.message ?? 'invalid';
  // A plugin whose schema has no `consumer` (cors, key-auth, acl) cannot be scoped to one.
  const scopes = (plugin.schema as { properties: Record<string, unknown> }).properties;
  for (const scope of ['consumer', 'route', 'service'] as const)
    if (entity[scope]?.id && !(scope in scopes)) fields[scope] = 'value must be null';
  const known = Object.keys((plugin.schema as { properties: { config: { properties: object } } }).properties.config.properties);
  for (const field of Object.keys(candidate['config'] as object)) if (!known.includes(field)) fields[`config.${field}`] = 'unknown field';
  const config = candidate['config'] as Config;
  if (Object.keys(fields).length === 0 && plugin.entityChecks) Object.assign(fields, plugin.entityChecks(config));
  if (Object.keys(fields).length > 0) throw new PluginConfigError(entity.id, fields);
  return { config, protocols: (candidate['protocols'] as string[] | undefined) ?? [] };
}
