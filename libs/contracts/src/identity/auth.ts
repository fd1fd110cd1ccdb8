/** Who made a request, after its token was verified (DESIGN §9). */
export interface Principal {
  org: string;
  subject: string;
  groups: string[];
  kind: 'user' | 'serviceaccount' | 'apikey';
  /** Issuer of the token that proved it (absent for API keys). */
  issuer?: string;
}

export const ACTIONS = ['get', 'list', 'create', 'update', 'delete', 'execute'] as const;
export type Action = (typeof ACTIONS)[number];

export const BUILTIN_ROLES = ['admin', 'developer', 'viewer', 'invoker'] as const;
export type BuiltinRole = (typeof BUILTIN_ROLES)[number];

/** Algorithms a token may be signed with; `none` and HMAC are never accepted. */
export const ALLOWED_TOKEN_ALGORITHMS = ['RS256', 'ES256', 'EdDSA'] as const;

/** Which claims of an IdP's token name the org, the subject and the groups. */
export interface ClaimMapping {
  org: string;
  subject: string;
  groups: string;
}

export const DEFAULT_CLAIM_MAPPING: ClaimMapping = { org: 'org', subject: 'sub', groups: 'groups' };

/**
 * An identity provider whose tokens Dispatch accepts. A deployment-wide issuer reads the org from
 * the token's org claim; a per-org issuer (`org` set) vouches only for that org.
 */
export interface TrustedIssuer {
  issuer: string;
  audience: string;
  /** When absent, found through OIDC discovery (`<issuer>/.well-known/openid-configuration`). */
  jwksUri?: string;
  claims: ClaimMapping;
  org?: string;
}

/** Everything a policy can name. Each service's routes declare which resource and action they need. */
export const RESOURCES = [
  'organization',
  'issuer',
  'serviceaccount',
  'apikey',
  'policy',
  'secret',
  'audit',
  'quota',
  'function',
  'run',
  'image',
  'baseimage',
  'event',
  'subscription',
  'eventdriver',
  'api',
  'broker',
  'serviceclass',
  'serviceinstance',
  'servicebinding',
] as const;
export type Resource = (typeof RESOURCES)[number];

/** A permission rule: these actions on these resources (`*` for all). */
export interface PolicyRule {
  resources: (Resource | '*')[];
  actions: (Action | '*')[];
}

/** Who a role binding grants a role to. */
export interface BindingSubject {
  /** `apikey` bindings are not written by users: each key carries its role. */
  kind: 'user' | 'group' | 'serviceaccount' | 'apikey';
  name: string;
}

/**
 * The authorization state every service holds in memory, replicated from identity-manager, so a
 * permission check never leaves the process.
 */
export interface AuthzSnapshot {
  revision: number;
  /** Per-org trusted issuers (deployment-wide ones come from configuration). */
  issuers: TrustedIssuer[];
  /** Public keys (PEM) of service accounts, which sign their own tokens. */
  serviceAccounts: { org: string; name: string; publicKeyPem: string }[];
  /** Live API keys (not revoked, not expired): lookup prefix and SHA-256 of the whole key, never the key. */
  apiKeys: { org: string; name: string; prefix: string; sha256: string; role: string; expiresAt: string | null }[];
  roles: { org: string; name: string; rules: PolicyRule[] }[];
  bindings: { org: string; role: string; subjects: BindingSubject[] }[];
}

/** Per-org limits, stored by identity-manager and enforced by the service owning each resource. */
export interface OrgQuotas {
  maxFunctions: number;
  maxConcurrentRuns: number;
  maxEventsPerSecond: number;
}

export const DEFAULT_QUOTAS: OrgQuotas = { maxFunctions: 100, maxConcurrentRuns: 50, maxEventsPerSecond: 100 };

/** API keys look like `dsp_<prefix>_<secret>`; the prefix finds the key, the hash proves it. */
export const API_KEY_PATTERN = /^dsp_([a-z2-7]{12})_([A-Za-z0-9_-]{43})$/;
