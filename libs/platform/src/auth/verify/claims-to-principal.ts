import type { Principal, TrustedIssuer } from '@dispatch/contracts';
import { quoted, unauthenticated } from './refusal';

type Claims = Record<string, unknown>;

/**
 * A claim by its mapped name. The literal name wins, so namespaced claims such as
 * `https://example.com/org` work; otherwise a dotted name reaches into nested objects, as IdPs
 * like Keycloak nest groups (`realm_access.roles`).
 */
export function claimValue(claims: Claims, name: string): unknown {
  if (Object.hasOwn(claims, name)) return claims[name];
  if (!name.includes('.')) return undefined;
  let value: unknown = claims;
  for (const part of name.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, part)) return undefined;
    value = (value as Claims)[part];
  }
  return value;
}

/**
 * Groups from an array of strings or from one space- or comma-separated string (both are common).
 * Anything else yields no groups: fewer permissions, never more.
 */
export function groupsOf(value: unknown): string[] {
  const items = Array.isArray(value)
    ? value.filter((g): g is string => typeof g === 'string')
    : typeof value === 'string'
      ? value.split(/[\s,]+/)
      : [];
  return [...new Set(items.map((g) => g.trim()).filter((g) => g.length > 0))];
}

function orgOf(claims: Claims, trusted: TrustedIssuer): string {
  const name = trusted.claims.org;
  const claimed = claimValue(claims, name);
  if (claimed !== undefined && (typeof claimed !== 'string' || claimed.length === 0)) {
    throw unauthenticated(`token claim "${name}" must be a non-empty string naming the org, not ${quoted(claimed)}`);
  }
  if (trusted.org !== undefined) {
    // A per-org issuer vouches for its own org only: a token naming another org is refused
    // rather than silently re-homed, so a misconfigured IdP cannot mint access to another tenant.
    if (claimed !== undefined && claimed !== trusted.org) {
      throw unauthenticated(
        `issuer ${trusted.issuer} is trusted for org "${trusted.org}" only, but the token's "${name}" claim names org ${quoted(claimed)}; use a token from that org's identity provider`,
      );
    }
    return trusted.org;
  }
  if (claimed === undefined) {
    throw unauthenticated(
      `token has no "${name}" claim naming the org; configure ${trusted.issuer} to put the org in "${name}", or change the issuer's claim mapping`,
    );
  }
  return claimed as string;
}

/** The principal a verified token of `trusted` proves, by the issuer's claim mapping. */
export function principalFromClaims(claims: Claims, trusted: TrustedIssuer): Principal {
  const subjectName = trusted.claims.subject;
  const subject = claimValue(claims, subjectName);
  if (typeof subject !== 'string' || subject.length === 0) {
    throw unauthenticated(
      `token has no "${subjectName}" claim naming the subject; get a token from ${trusted.issuer} that carries it, or change the issuer's claim mapping`,
    );
  }
  return {
    org: orgOf(claims, trusted),
    subject,
    groups: groupsOf(claimValue(claims, trusted.claims.groups)),
    kind: 'user',
    issuer: trusted.issuer,
  };
}
