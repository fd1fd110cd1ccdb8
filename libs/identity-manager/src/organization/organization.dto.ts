import { z } from 'zod';
import { entityNameSchema as name, tagsSchema as tags } from '@dispatch/platform';
import { bindingSubjectSchema as subject } from '../role-binding/binding-subject';

/** The org's first admins, so someone can manage it from the start. */
export const organizationBody = z.object({ name, admins: z.array(subject).max(100).default([]), tags }).strict();
export type OrganizationBody = z.infer<typeof organizationBody>;
