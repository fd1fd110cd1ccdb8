import { z } from 'zod';
import { entityNameSchema as name, tagsSchema as tags } from '@dispatch/platform';
import { ACTIONS, DEFAULT_CLAIM_MAPPING, NAME_MAX_LENGTH, RESOURCES } from '@dispatch/contracts';


const rule = z
  .object({
    resources: z.array(z.enum([...RESOURCES, '*'])).min(1).max(RESOURCES.length + 1),
    actions: z.array(z.enum([...ACTIONS, '*'])).min(1).max(ACTIONS.length + 1),
  })
  .strict();

export const roleBody = z.object({ name, rules: z.array(rule).min(1).max(50, 'at most 50 rules'), tags }).strict();
export const roleUpdateBody = roleBody.omit({ name: true });

const subject = z
  .object({ kind: z.enum(['user', 'group', 'serviceaccount']), name: z.string().min(1).max(256) })
  .strict();

/** The org's first admins, so someone can manage it from the start. */
export const organizationBody = z.object({ name, admins: z.array(subject).max(100).default([]), tags }).strict();

export const policyBody = z
  .object({ name, role: z.string().min(1).max(NAME_MAX_LENGTH), subjects: z.array(subject).min(1).max(100, 'at most 100 subjects'), tags })
  .strict();
export const policyUpdateBody = policyBody.omit({ name: true });

export type OrganizationBody = z.infer<typeof organizationBody>;
export type RoleBody = z.infer<typeof roleBody>;
export type RoleUpdateBody = z.infer<typeof roleUpdateBody>;
export type PolicyBody = z.infer<typeof policyBody>;
export type PolicyUpdateBody = z.infer<typeof policyUpdateBody>;

/** PEM is checked (and canonicalised) by the domain; here only its size is bounded. */
const publicKey = z.string().min(1).max(16 * 1024, 'at most 16 KiB');
export const serviceAccountBody = z.object({ name, publicKey, tags }).strict();
export const serviceAccountUpdateBody = serviceAccountBody.omit({ name: true });
export type ServiceAccountBody = z.infer<typeof serviceAccountBody>;
export type ServiceAccountUpdateBody = z.infer<typeof serviceAccountUpdateBody>;

export const apiKeyBody = z
  .object({
    name,
    role: z.string().min(1).max(NAME_MAX_LENGTH),
    expiresInDays: z.number().int().min(1).max(365, 'at most 365 days; create a new key to rotate').default(90),
    tags,
  })
  .strict();
export type ApiKeyBody = z.infer<typeof apiKeyBody>;

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
