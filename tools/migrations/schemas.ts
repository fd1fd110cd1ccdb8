import { FUNCTIONS_SCHEMA } from '@dispatch/function-manager';
import { IDENTITY_SCHEMA } from '@dispatch/identity-manager';
import type { ServiceSchema } from '@dispatch/persistence';
import { IMAGES_SCHEMA } from '@dispatch/image-manager';
import { EVENTS_SCHEMA } from '@dispatch/event-manager';
import { APIS_SCHEMA } from '@dispatch/api-manager';
import { CATALOG_SCHEMA } from '@dispatch/service-catalog';

/**
 * Every service schema the migration tools (check, generate, run) work on: the same definitions
 * the services migrate themselves with, so the tools can never record a different migration
 * history than the services expect. The in-process bus schema is not here: it exists only in
 * solo mode, which migrates it itself.
 */
export const ALL_SCHEMAS: ServiceSchema[] = [IDENTITY_SCHEMA, FUNCTIONS_SCHEMA, IMAGES_SCHEMA, EVENTS_SCHEMA, APIS_SCHEMA, CATALOG_SCHEMA];

export function findSchema(name: string): ServiceSchema {
  const found = ALL_SCHEMAS.find((s) => s.schema === name);
  if (!found) throw new Error(`unknown schema "${name}"; known: ${ALL_SCHEMAS.map((s) => s.schema).join(', ')}`);
  return found;
}
