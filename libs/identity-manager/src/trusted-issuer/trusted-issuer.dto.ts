import { z } from 'zod';
import { DEFAULT_CLAIM_MAPPING } from '@dispatch/contracts';
import { entityNameSchema as name, tagsSchema as tags } from '@dispatch/platform';

const url = z.string().max(2048).url();
const claim = z.string().min(1).max(256);
export const issuerBody = z
  .object({
    name,
    issuer: url,
    audience: z.string().min(1).max(1024),
    jwksUri: url.optional(),
    claims: z.object({ org: claim, subject: claim, groups: claim }).strict().default(DEFAULT_CLAIM_MAPPING),
    tags,
  })
  .strict();
export const issuerUpdateBody = issuerBody.omit({ name: true });
export type IssuerBody = z.infer<typeof issuerBody>;
export type IssuerUpdateBody = z.infer<typeof issuerUpdateBody>;
