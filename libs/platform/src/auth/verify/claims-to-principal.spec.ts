import { DEFAULT_CLAIM_MAPPING, ErrorCode, type TrustedIssuer } from '@dispatch/contracts';
import { claimValue, groupsOf, principalFromClaims } from './claims-to-principal';

const deploymentWide: TrustedIssuer = { issuer: 'https://idp.test', audience: 'https://dispatch.test/api', claims: DEFAULT_CLAIM_MAPPING };
const perOrg: TrustedIssuer = { ...deploymentWide, org: 'acme' };

describe('principalFromClaims', () => {
  it('maps org, subject and groups by the default mapping', () => {
    expect(principalFromClaims({ sub: 'alice', org: 'acme', groups: ['dev', 'ops'] }, deploymentWide)).toEqual({
      org: 'acme',
      subject: 'alice',
      groups: ['dev', 'ops'],
      kind: 'user',
      issuer: 'https://idp.test',
    });
  });

  it('follows a custom mapping, including namespaced and nested claims', () => {
    const trusted = { ...deploymentWide, claims: { org: 'https://dispatch.test/org', subject: 'email', groups: 'realm_access.roles' } };
    const claims = { sub: 'x', email: 'bob@acme.test', 'https://dispatch.test/org': 'acme', realm_access: { roles: ['admin'] } };
    expect(principalFromClaims(claims, trusted)).toMatchObject({ org: 'acme', subject: 'bob@acme.test', groups: ['admin'] });
  });

  it('refuses a token without the org claim, naming the claim expected', () => {
    expect(() => principalFromClaims({ sub: 'alice' }, { ...deploymentWide, claims: { ...DEFAULT_CLAIM_MAPPING, org: 'tenant' } })).toThrow(
      expect.objectContaining({ code: ErrorCode.UNAUTHENTICATED, message: expect.stringContaining('no "tenant" claim') }),
    );
  });

  it('refuses a non-string org and a missing subject', () => {
    expect(() => principalFromClaims({ sub: 'alice', org: ['acme'] }, deploymentWide)).toThrow(/"org" must be a non-empty string/);
    expect(() => principalFromClaims({ org: 'acme' }, deploymentWide)).toThrow(/no "sub" claim/);
    expect(() => principalFromClaims({ org: 'acme', sub: '' }, deploymentWide)).toThrow(/no "sub" claim/);
  });

  it('gives a per-org issuer its org, and refuses its tokens naming another org', () => {
    expect(principalFromClaims({ sub: 'alice' }, perOrg).org).toBe('acme');
    expect(principalFromClaims({ sub: 'alice', org: 'acme' }, perOrg).org).toBe('acme');
    expect(() => principalFromClaims({ sub: 'alice', org: 'globex' }, perOrg)).toThrow(/trusted for org "acme" only.*"globex"/);
  });
});

describe('groupsOf', () => {
  it('reads arrays of strings and space- or comma-separated strings', () => {
    expect(groupsOf(['a', 'b', 'a'])).toEqual(['a', 'b']);
    expect(groupsOf('a b,c , d')).toEqual(['a', 'b', 'c', 'd']);
  });

  it('yields no groups for anything else', () => {
    expect(groupsOf(undefined)).toEqual([]);
    expect(groupsOf(42)).toEqual([]);
    expect(groupsOf({ a: 1 })).toEqual([]);
    expect(groupsOf(['a', 1, null])).toEqual(['a']);
    expect(groupsOf('')).toEqual([]);
  });
});

describe('claimValue', () => {
  it('prefers the literal name and does not walk into arrays or inherited properties', () => {
    expect(claimValue({ 'a.b': 1, a: { b: 2 } }, 'a.b')).toBe(1);
    expect(claimValue({ a: { b: 2 } }, 'a.b')).toBe(2);
    expect(claimValue({ a: [{ b: 2 }] }, 'a.0.b')).toBeUndefined();
    expect(claimValue({}, 'constructor')).toBeUndefined();
    expect(claimValue({ a: {} }, 'a.toString')).toBeUndefined();
  });
});
