import { z } from 'zod';

/**
 * `POST /v1/function/{name}/rollback`: the version to deploy again. The create and update bodies
 * live with the spec rules (function-spec.ts), since the use cases take them as they are.
 */
export const rollbackBody = z.object({ version: z.number().int().min(1) }).strict();
export type RollbackBody = z.infer<typeof rollbackBody>;
