import { z } from 'zod';
import { apiSchema, ENTITY_EXAMPLE, entityViewSchema } from '@dispatch/platform';

/** A trusted issuer as the API answers it. */
export const issuerViewSchema = apiSchema(
  'TrustedIssuer',
  entityViewSchema.extend({
    issuer: z.string(),
    audience: z.string(),
    jwksUri: z.string().nullable().meta({ description: 'Null: found by OIDC discovery.' }),
    claims: z.object({ org: z.string(), subject: z.string(), groups: z.string() }),
  }),
  {
    ...ENTITY_EXAMPLE,
    name: 'acme-idp',
    issuer: 'https://idp.example.com/realms/acme',
    audience: 'dispatch',
    jwksUri: null,
    claims: { org: 'org', subject: 'sub', groups: 'groups' },
  },
);
