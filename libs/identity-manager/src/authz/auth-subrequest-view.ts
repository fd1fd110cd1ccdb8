import { z } from 'zod';
import { apiSchema } from '@dispatch/platform';

/** Who the caller is, as an auth subrequest answers it (also in X-Dispatch-Org and X-Dispatch-Subject). */
export const callerViewSchema = apiSchema(
  'Caller',
  z.object({ org: z.string(), subject: z.string(), kind: z.enum(['user', 'serviceaccount', 'apikey']), groups: z.array(z.string()) }),
  { org: 'default', subject: 'admin', kind: 'serviceaccount', groups: [] },
);
