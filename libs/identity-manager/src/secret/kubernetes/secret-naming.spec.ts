import { isValidName, NAME_MAX_LENGTH } from '@dispatch/contracts';
import { isDispatchSecretOf, orgLabelSelector, parseSecretObjectName, secretLabels, secretObjectName } from './secret-naming';

/** What the API server accepts as a Secret name (a DNS-1123 subdomain, at most 253 characters). */
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** And as a label value. */
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

describe('Kubernetes Secret naming', () => {
  it('names secret <name> of <org> dispatch.<org>.<name>', () => {
    expect(secretObjectName('acme', 'db-password')).toBe('dispatch.acme.db-password');
  });

  it('gives a valid Secret name even for the longest org and name: 136 characters, a DNS-1123 subdomain', () => {
    const longest = secretObjectName('o'.repeat(NAME_MAX_LENGTH), `${'n'.repeat(NAME_MAX_LENGTH - 1)}9`);
    expect(longest).toHaveLength(9 + 63 + 1 + 63);
    expect(longest.length).toBeLessThanOrEqual(253);
    expect(longest).toMatch(DNS1123_SUBDOMAIN);
  });

  it("does not collide where a '-' join would: org a-b + name c is not org a + name b-c", () => {
    // The naive `dispatch-<org>-<name>` gives both the same name.
    expect(`dispatch-${'a-b'}-${'c'}`).toBe(`dispatch-${'a'}-${'b-c'}`);
    expect(secretObjectName('a-b', 'c')).not.toBe(secretObjectName('a', 'b-c'));
    expect(parseSecretObjectName(secretObjectName('a-b', 'c'))).toEqual({ org: 'a-b', name: 'c' });
    expect(parseSecretObjectName(secretObjectName('a', 'b-c'))).toEqual({ org: 'a', name: 'b-c' });
  });

  it('is injective and reversible: every (org, name) over a small alphabet maps to its own name and back', () => {
    // All DNS-1123 labels of up to 4 characters over {a, 1, -}: dense in the '-' ambiguity.
    const labels: string[] = [];
    const grow = (prefix: string) => {
      if (prefix.length > 0 && isValidName(prefix)) labels.push(prefix);
      if (prefix.length < 4) for (const c of ['a', '1', '-']) grow(prefix + c);
    };
    grow('');
    expect(labels.length).toBeGreaterThan(30);
    const seen = new Map<string, string>();
    for (const org of labels) {
      for (const name of labels) {
        const objectName = secretObjectName(org, name);
        expect(seen.get(objectName)).toBeUndefined();
        seen.set(objectName, `${org}/${name}`);
        expect(objectName).toMatch(DNS1123_SUBDOMAIN);
        expect(parseSecretObjectName(objectName)).toEqual({ org, name });
      }
    }
    expect(seen.size).toBe(labels.length * labels.length);
  });

  it('keeps name order within an org, which paging relies on', () => {
    const names = ['a', 'a-b', 'a1', 'ab', 'b', 'b-0', 'z9'];
    const objectNames = names.map((n) => secretObjectName('acme', n));
    expect([...objectNames].sort()).toEqual(objectNames);
    expect([...names].sort()).toEqual(names);
  });

  it.each([
    ['Acme', 'x'],
    ['acme', 'X'],
    ['ac.me', 'x'],
    ['acme', 'x.y'],
    ['acme', '-x'],
    ['', 'x'],
    ['acme', 'n'.repeat(64)],
  ])('refuses org %j / name %j, which are not DNS-1123 labels', (org, name) => {
    expect(() => secretObjectName(org, name)).toThrow(/DNS-1123 label/);
  });

  it('reads back only names Dispatch writes', () => {
    for (const foreign of [
      'dispatch-acme-x',
      'dispatch.acme',
      'other.acme.x',
      'dispatch.acme.x.y',
      'dispatch.Acme.x',
      'sh.helm.release.v1.x.v1',
    ]) {
      expect(parseSecretObjectName(foreign)).toBeUndefined();
    }
  });

  it('labels a secret with managed-by, org and name, all valid label values, and selects an org by them', () => {
    const labels = secretLabels('acme', 'db');
    expect(labels).toEqual({ 'app.kubernetes.io/managed-by': 'dispatch', 'dispatch.io/org': 'acme', 'dispatch.io/name': 'db' });
    for (const value of Object.values(secretLabels('o'.repeat(63), 'n'.repeat(63)))) expect(value).toMatch(LABEL_VALUE);
    expect(orgLabelSelector('acme')).toBe('app.kubernetes.io/managed-by=dispatch,dispatch.io/org=acme');
    expect(() => orgLabelSelector('acme,dispatch.io/org=beta')).toThrow();
    expect(isDispatchSecretOf(labels, 'acme', 'db')).toBe(true);
    expect(isDispatchSecretOf(labels, 'acme', 'other')).toBe(false);
    expect(isDispatchSecretOf(labels, 'beta', 'db')).toBe(false);
    expect(isDispatchSecretOf({ ...labels, 'app.kubernetes.io/managed-by': 'helm' }, 'acme', 'db')).toBe(false);
    expect(isDispatchSecretOf(undefined, 'acme', 'db')).toBe(false);
  });
});
