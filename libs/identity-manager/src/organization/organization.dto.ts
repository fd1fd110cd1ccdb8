import { z } from 'zod';
import { entityNameSchema as name, tagsSchema as tags } from '@dispatch/platform';
import { bindingSubjectSchema as subject } from '../role-binding/binding-subject';
import { publicKeySchema as publicKey } from '../service-account/public-key';

/** A first service account, registered with the org and bound to its admin role: a machine's way in. */
const admin = z.object({ serviceAccount: z.object({ name, publicKey }).strict() }).strict();

/** The org's first admins, so someone can manage it from the start. */
export const organizationBody = z.object({ name, admins: z.array(subject).max(100).default([]), admin: admin.optional(), tags }).strict();
export type OrganizationBody = z.infer<typeof organizationBody>;
