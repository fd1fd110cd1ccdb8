import { isValidName } from '@dispatch/contracts';

/**
 * How a Dispatch secret maps onto a Kubernetes Secret.
 *
 * Name: `dispatch.<org>.<name>`. Org and name are both DNS-1123 labels (`[a-z0-9-]`, at most 63
 * characters, no `.`), so the result is a DNS-1123 subdomain (what Secret names must be) of at
 * most 9 + 63 + 1 + 63 = 136 characters, well under 253.
 *
 * Collisions: joining the two labels with `-` (`dispatch-<org>-<name>`) would not be injective,
 * because `-` may occur inside either label: org `a-b` + name `c` and org `a` + name `b-c` both
 * give `dispatch-a-b-c`, i.e. one tenant could address another tenant's Secret. A `.` cannot
 * occur inside a label, so splitting `dispatch.<org>.<name>` at its dots gives back exactly one
 * (org, name): the mapping is injective without any hash, and reversible (parseSecretObjectName).
 * Helm names its release Secrets the same way (`sh.helm.release.v1.<release>.v<n>`). It also
 * keeps the API server's name order (etcd key order) equal to the order of Dispatch names within
 * one org, which paging relies on; a hash suffix would break that.
 *
 * The labels say the same thing again, for selection (`dispatch.io/org`, by which a list is
 * scoped to one org) and for ownership: a Secret that has the right name but not these labels
 * was not written by Dispatch and is treated as absent.
 */
export const SECRET_NAME_PREFIX = 'dispatch';

export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'dispatch';
export const ORG_LABEL = 'dispatch.io/org';
export const NAME_LABEL = 'dispatch.io/name';

/** The Dispatch metadata Kubernetes has no field for. */
export const TAGS_ANNOTATION = 'dispatch.io/tags';
export const CREATED_TIME_ANNOTATION = 'dispatch.io/created-time';
export const MODIFIED_TIME_ANNOTATION = 'dispatch.io/modified-time';

/** The Kubernetes Secret name of secret `name` of `org`. Both must be DNS-1123 labels (the API checked them). */
export function secretObjectName(org: string, name: string): string {
  if (!isValidName(org)) throw new Error(`org "${org}" is not a DNS-1123 label; it cannot name a Kubernetes Secret`);
  if (!isValidName(name)) throw new Error(`secret name "${name}" is not a DNS-1123 label; it cannot name a Kubernetes Secret`);
  return `${SECRET_NAME_PREFIX}.${org}.${name}`;
}

/** The (org, name) a Kubernetes Secret name stands for; undefined for a name Dispatch would not write. */
export function parseSecretObjectName(objectName: string): { org: string; name: string } | undefined {
  const parts = objectName.split('.');
  if (parts.length !== 3 || parts[0] !== SECRET_NAME_PREFIX) return undefined;
  const [, org, name] = parts;
  return isValidName(org) && isValidName(name) ? { org, name } : undefined;
}

/** The labels every Dispatch secret carries. */
export function secretLabels(org: string, name: string): Record<string, string> {
  return { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [ORG_LABEL]: org, [NAME_LABEL]: name };
}

/** The selector of one org's secrets, for list. */
export function orgLabelSelector(org: string): string {
  if (!isValidName(org)) throw new Error(`org "${org}" is not a DNS-1123 label`);
  return `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE},${ORG_LABEL}=${org}`;
}

/** True when the object's labels say it is secret `name` of `org`, written by Dispatch. */
export function isDispatchSecretOf(labels: Record<string, string> | undefined, org: string, name: string): boolean {
  return labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE && labels[ORG_LABEL] === org && labels[NAME_LABEL] === name;
}
