import type { z } from 'zod';
import { catalogSubjects } from './catalog/subjects';
import { type FunctionReplies, functionSubjects } from './function/subjects';
import { type IdentityReplies, identitySubjects } from './identity/subjects';
import { imageSubjects } from './image/subjects';
import { SERVICES } from './services';

/**
 * Bus subjects are `<service>.<aggregate>.<verb>.v<version>` (DESIGN §5). Every subject has
 * exactly one runtime schema in {@link SUBJECT_SCHEMAS}, and its payload type is inferred from
 * it, so the two cannot drift. Each service's subjects live in `<service>/subjects.ts`.
 */
export const SERVICE_ROOTS = SERVICES.map((s) => s.subjectRoot);
export type ServiceRoot = (typeof SERVICE_ROOTS)[number];

const SEGMENT = /^[a-z][a-z0-9-]*$/;

export function subjectName(service: ServiceRoot, aggregate: string, verb: string, version = 1): string {
  for (const [part, value] of [
    ['aggregate', aggregate],
    ['verb', verb],
  ] as const) {
    if (!SEGMENT.test(value)) throw new Error(`subject ${part} "${value}" must match ${SEGMENT}`);
  }
  if (!Number.isInteger(version) || version < 1) throw new Error(`subject version must be a positive integer`);
  return `${service}.${aggregate}.${verb}.v${version}`;
}

/** `identity.organization.created.v1` → its parts, or undefined when it is not a platform subject. */
export function parseSubject(subject: string): { service: ServiceRoot; aggregate: string; verb: string; version: number } | undefined {
  const m = /^([a-z]+)\.([a-z][a-z0-9-]*)\.([a-z][a-z0-9-]*)\.v([1-9][0-9]*)$/.exec(subject);
  if (!m || !(SERVICE_ROOTS as readonly string[]).includes(m[1])) return undefined;
  return { service: m[1] as ServiceRoot, aggregate: m[2], verb: m[3], version: Number(m[4]) };
}

/** A subject name under one service's root, as the service's own map must use. */
export type SubjectName<R extends ServiceRoot> = `${R}.${string}.${string}.v${number}`;

/**
 * The map: subject → the schema of its payload (for requests, the request body). The bus checks
 * every payload of these subjects on receipt against it, before any handler runs.
 */
export const SUBJECT_SCHEMAS = {
  ...identitySubjects,
  ...functionSubjects,
  ...imageSubjects,
  ...catalogSubjects,
} as const satisfies Record<SubjectName<ServiceRoot>, z.ZodType>;

export type Subject = keyof typeof SUBJECT_SCHEMAS;

/** Subject → payload type, inferred from its schema. */
export type SubjectPayloads = { [S in Subject]: z.infer<(typeof SUBJECT_SCHEMAS)[S]> };
export type PayloadOf<S extends Subject> = SubjectPayloads[S];

/** A stray key (not a subject of the map) makes its reply type `never`, which no reply type is. */
type RepliesOfSubjects<R extends { [K in keyof R]: K extends Subject ? unknown : never }> = R;

/** Reply types of the subjects served by request/reply. */
export type SubjectReplies = RepliesOfSubjects<IdentityReplies & FunctionReplies>;
export type RequestSubject = keyof SubjectReplies;
export type ReplyOf<S extends RequestSubject> = SubjectReplies[S];
/** Subjects of facts, published on a stream; every other subject of the map is a request. */
export type EventSubject = Exclude<Subject, RequestSubject>;

/** Whether `subject` is one of the map's (and so has a schema); false for wildcards and foreign subjects. */
export function isSubject(subject: string): subject is Subject {
  return Object.hasOwn(SUBJECT_SCHEMAS, subject);
}
