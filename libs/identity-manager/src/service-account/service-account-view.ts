import { z } from 'zod';
import { apiSchema, ENTITY_EXAMPLE, entityViewSchema } from '@dispatch/platform';

/** A service account as the API answers it: the public key its tokens are checked with. */
export const serviceAccountViewSchema = apiSchema(
  'ServiceAccount',
  entityViewSchema.extend({ publicKey: z.string().meta({ description: 'PEM of the RSA public key.' }) }),
  {
    ...ENTITY_EXAMPLE,
    name: 'ci',
    publicKey: '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA…\n-----END PUBLIC KEY-----\n',
  },
);
