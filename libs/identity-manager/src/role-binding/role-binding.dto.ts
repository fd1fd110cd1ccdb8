import { z } from 'zod';
import { NAME_MAX_LENGTH } from '@dispatch/contracts';
import { entityNameSchema as name, tagsSchema as tags } from '@dispatch/platform';
import { bindingSubjectSchema as subject } from './binding-subject';

export const policyBody = z
  .object({ name, role: z.string().min(1).max(NAME_MAX_LENGTH), subjects: z.array(subject).min(1).max(100, 'at most 100 subjects'), tags })
  .strict();
export const policyUpdateBody = policyBody.omit({ name: true });
export type PolicyBody = z.infer<typeof policyBody>;
export type PolicyUpdateBody = z.infer<typeof policyUpdateBody>;
