/**
 * Bus subjects are `<service>.<aggregate>.<verb>.v<version>` (DESIGN §5). Every subject has
 * exactly one payload type in {@link SubjectPayloads}; publishing or handling a subject that is
 * not in the map does not compile.
 */
export const SERVICE_ROOTS = ['identity', 'function', 'image', 'event', 'api', 'catalog'] as const;
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
export function parseSubject(
  subject: string,
): { service: ServiceRoot; aggregate: string; verb: string; version: number } | undefined {
  const m = /^([a-z]+)\.([a-z][a-z0-9-]*)\.([a-z][a-z0-9-]*)\.v([1-9][0-9]*)$/.exec(subject);
  if (!m || !(SERVICE_ROOTS as readonly string[]).includes(m[1])) return undefined;
  return { service: m[1] as ServiceRoot, aggregate: m[2], verb: m[3], version: Number(m[4]) };
}

/** Payload of the lifecycle facts every entity publishes. */
export interface EntityChangedEvent {
  id: string;
  org: string;
  name: string;
  status: string;
  /** Monotonic per entity, so consumers can drop stale redeliveries. */
  revision: number;
}

export interface RunRequestedEvent {
  runId: string;
  org: string;
  functionName: string;
}

/** The typed map: subject → payload. */
export interface SubjectPayloads {
  'identity.organization.created.v1': EntityChangedEvent;
  'identity.organization.deleted.v1': EntityChangedEvent;
  'image.image.ready.v1': EntityChangedEvent;
  'function.function.changed.v1': EntityChangedEvent;
  'function.run.requested.v1': RunRequestedEvent;
  'catalog.binding.ready.v1': EntityChangedEvent;
  /** Self-test subject each service answers, used by readiness and the bus contract suite. */
  'identity.system.ping.v1': { from: string };
}

export type Subject = keyof SubjectPayloads;
export type PayloadOf<S extends Subject> = SubjectPayloads[S];
