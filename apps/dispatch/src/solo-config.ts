import { authConfigSchema, baseConfigSchema } from '@dispatch/platform';
import { z } from 'zod';

/** Solo mode: everything in one process; binds loopback unless told otherwise. */
export const soloConfigSchema = baseConfigSchema.extend(authConfigSchema.shape).extend({
  HOST: z.string().min(1).default('127.0.0.1'),
  GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(8081),
});
export type SoloConfig = z.infer<typeof soloConfigSchema>;
