import { z } from 'zod';
import { NAME_MAX_LENGTH } from '@dispatch/contracts';
import { entityNameSchema as name, tagsSchema as tags } from '@dispatch/platform';

export const apiKeyBody = z
  .object({
    name,
    role: z.string().min(1).max(NAME_MAX_LENGTH),
    expiresInDays: z.number().int().min(1).max(365, 'at most 365 days; create a new key to rotate').default(90),
    tags,
  })
  .strict();
export type ApiKeyBody = z.infer<typeof apiKeyBody>;
