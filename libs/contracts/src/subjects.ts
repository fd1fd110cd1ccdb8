import type { AuthzSnapshot, OrgQuotas } from './auth';
import { SERVICES } from './services';

/**
 * Bus subjects are `<service>.<aggregate>.<verb>.v<version>` (DESIGN §5). Every subject has
 * exactly one payload type in {@link SubjectPayloads}. Handlers declared with `@OnEvent` /
 * `@OnRequest` take only subjects of the map; the raw `Bus` interface takes strings.
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

/** Asks identity-manager for the authorization snapshot, unless the caller already has `knownRevision`. */
export interface AuthzSnapshotRequest {
  knownRevision?: number;
}
export type AuthzSnapshotReply = AuthzSnapshot | { unchanged: true; revision: number };

/** One mutation of any service's API, for the audit log (DESIGN §9). */
export interface AuditRecordedEvent {
  /** The request id: unique per request, so a redelivered event is stored once. */
  requestId: string;
  time: string;
  service: string;
  org: string | null;
  subject: string | null;
  subjectKind: string | null;
  resource: string | null;
  action: string | null;
  method: string;
  route: string;
  /** HTTP status of the answer; the result is `allowed` below 400, else the error code. */
  status: number;
  result: string;
}

/** The typed map: subject → payload (for requests, the request body). */
export interface SubjectPayloads {
  'identity.authz.snapshot.v1': AuthzSnapshotRequest;
  'identity.authz.changed.v1': { revision: number };
  'identity.audit.recorded.v1': AuditRecordedEvent;
  'identity.quota.get.v1': { org: string };
  /** For function runs: the named secrets of `org`, merged in order (a later name wins a key). */
  'identity.secret.resolve.v1': { org: string; names: string[] };
  'identity.organization.created.v1': EntityChangedEvent;
  'identity.organization.deleted.v1': EntityChangedEvent;
  'image.image.ready.v1': EntityChangedEvent;
  'function.function.changed.v1': EntityChangedEvent;
  'function.run.requested.v1': RunRequestedEvent;
  /** An org's function usage since a UTC day (YYYY-MM-DD), for identity-manager's usage report. */
  'function.usage.get.v1': { org: string; since: string };
  'catalog.binding.ready.v1': EntityChangedEvent;
  /** Round-trip probe of the bus (request/reply), used by tests. */
  'identity.system.ping.v1': { from: string };
}

export type Subject = keyof SubjectPayloads;

/** Reply types of the subjects served by request/reply. */
export interface SubjectReplies {
  'identity.authz.snapshot.v1': AuthzSnapshotReply;
  'identity.system.ping.v1': { pong: string };
  'identity.quota.get.v1': OrgQuotas;
  'identity.secret.resolve.v1': { secrets: Record<string, string> };
  'function.usage.get.v1': FunctionUsage;
}

/** Runs of an org since a day, their cost (duration × memory limit) and the runs in progress now. */
export interface FunctionUsage {
  org: string;
  since: string;
  runs: number;
  gbSeconds: number;
  concurrentRuns: number;
}
export type PayloadOf<S extends Subject> = SubjectPayloads[S];
