import { authConfigSchema, baseConfigSchema } from '@dispatch/platform';
import { z } from 'zod';

/** Solo mode: everything in one process; binds loopback unless told otherwise. */
export const soloConfigSchema = baseConfigSchema.extend(authConfigSchema.shape).extend({
  HOST: z.string().min(1).default('127.0.0.1'),
  GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(8081),
  /** Password of the provider's /system API (user `dispatch`); generated at each start when unset. */
  FAAS_LOCAL_PASSWORD: z.string().min(16, 'at least 16 characters').optional(),
});
export type SoloConfig = z.infer<typeof soloConfigSchema>;
