import { z } from 'zod';
import { entityChangedEventSchema } from '../entity-changed';
import type { SubjectName } from '../subjects';
import { auditRecordedEventSchema } from './audit';
import type { AuthzSnapshot, OrgQuotas } from './auth';

/** Asks identity-manager for the authorization snapshot, unless the caller already has `knownRevision`. */
export const authzSnapshotRequestSchema = z.object({ knownRevision: z.number().optional() });
export type AuthzSnapshotRequest = z.infer<typeof authzSnapshotRequestSchema>;
export type AuthzSnapshotReply = AuthzSnapshot | { unchanged: true; revision: number };

/** At most this many secrets per run: a function names a handful, never hundreds. */
export const MAX_SECRETS_PER_RUN = 32;

/** What identity-manager publishes and serves on the bus. */
export const identitySubjects = {
  'identity.authz.snapshot.v1': authzSnapshotRequestSchema,
  'identity.authz.changed.v1': z.object({ revision: z.number() }),
  'identity.audit.recorded.v1': auditRecordedEventSchema,
  'identity.quota.get.v1': z.object({ org: z.string().min(1) }),
  /** For function runs: the named secrets of `org`, merged in order (a later name wins a key). */
  'identity.secret.resolve.v1': z.object({ org: z.string().min(1), names: z.array(z.string()).max(MAX_SECRETS_PER_RUN) }),
  /** For function create/update: which of the named secrets of `org` do not exist (no values travel). */
  'identity.secret.exists.v1': z.object({ org: z.string().min(1), names: z.array(z.string()).max(MAX_SECRETS_PER_RUN) }),
  'identity.organization.created.v1': entityChangedEventSchema,
  'identity.organization.deleted.v1': entityChangedEventSchema,
  /** Round-trip probe of the bus (request/reply), used by tests. */
  'identity.system.ping.v1': z.object({ from: z.string() }),
} satisfies Record<SubjectName<'identity'>, z.ZodType>;

export interface IdentityReplies {
  'identity.authz.snapshot.v1': AuthzSnapshotReply;
  'identity.system.ping.v1': { pong: string };
  'identity.quota.get.v1': OrgQuotas;
  'identity.secret.resolve.v1': { secrets: Record<string, string> };
  'identity.secret.exists.v1': { missing: string[] };
}
