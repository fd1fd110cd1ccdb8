import { apiSchema, ENTITY_EXAMPLE, entityViewSchema } from '@dispatch/platform';

/** An organization as the API answers it: the entity fields alone. */
export const organizationViewSchema = apiSchema('Organization', entityViewSchema, { ...ENTITY_EXAMPLE, name: 'acme' });
