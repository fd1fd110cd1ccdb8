import { z } from 'zod';
import { entityNameSchema as name, tagsSchema as tags } from '@dispatch/platform';
import { publicKeySchema as publicKey } from './public-key';

export const serviceAccountBody = z.object({ name, publicKey, tags }).strict();
/** `org`: another org to register it in, for platform admins only; the caller's own org by default. */
export const serviceAccountCreateBody = serviceAccountBody.extend({ org: name.optional() }).strict();
export const serviceAccountUpdateBody = serviceAccountBody.omit({ name: true });
export type ServiceAccountCreateBody = z.infer<typeof serviceAccountCreateBody>;
export type ServiceAccountBody = z.infer<typeof serviceAccountBody>;
export type ServiceAccountUpdateBody = z.infer<typeof serviceAccountUpdateBody>;
