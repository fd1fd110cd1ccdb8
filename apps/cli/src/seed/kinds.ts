/** The kinds seed files apply. */
export const SEED_KINDS = ['Secret', 'Function', 'API'] as const;
export type SeedKind = (typeof SEED_KINDS)[number];

/**
 * Kinds of Dispatch's seed files whose capability this platform does not have yet: refused, so a
 * seed file is never half applied. Each capability, as it lands, moves its kind to SEED_KINDS.
 */
export const NOT_YET_KINDS: Record<string, string> = {
  Subscription: 'event subscriptions',
  Driver: 'event drivers',
  DriverType: 'event driver types',
  BaseImage: 'base images',
  Image: 'images',
  ServiceInstance: 'service instances',
  ServiceBinding: 'service bindings',
};

/** Kinds Dispatch's seed files took that are managed with their own commands here. */
export const OTHER_DISPATCH_KINDS: Record<string, string> = {
  Endpoint: 'HTTP APIs are declared with kind: API',
  Policy: 'policies are bound with the IAM API (/v1/iam/policies)',
  ServiceAccount: 'service accounts are registered with the IAM API (/v1/iam/serviceaccounts)',
  Organization: 'organizations are created with the IAM API (/v1/iam/organizations)',
};

const APPLIED = `${SEED_KINDS.slice(0, -1).join(', ')} and ${SEED_KINDS.at(-1)}`;

/** What is wrong with a kind that is not applied, or undefined for one that is. */
export function kindProblem(kind: string): string | undefined {
  if ((SEED_KINDS as readonly string[]).includes(kind)) return undefined;
  if (NOT_YET_KINDS[kind])
    return `${kind} is not supported yet (${NOT_YET_KINDS[kind]} are not available on this platform): remove the document; seed files apply ${APPLIED}`;
  if (OTHER_DISPATCH_KINDS[kind])
    return `${kind} is not applied by seed files (${OTHER_DISPATCH_KINDS[kind]}): remove the document; seed files apply ${APPLIED}`;
  return `unknown kind ${JSON.stringify(kind)}: seed files apply ${APPLIED}`;
}
