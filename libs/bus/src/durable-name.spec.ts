import { durableName } from './durable-name';

describe('durableName', () => {
  it('is stable and readable', () => {
    const name = durableName('event-manager', 'identity.organization.created.v1');
    expect(name).toBe(durableName('event-manager', 'identity.organization.created.v1'));
    expect(name).toMatch(/^event-manager_identity_organization_created_v1_[0-9a-f]{10}$/);
  });

  it('only uses characters NATS allows in consumer names', () => {
    expect(durableName('g 1/x', 'a.*.>')).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('keeps subjects that sanitize alike apart', () => {
    expect(durableName('g', 'a.*')).not.toBe(durableName('g', 'a._'));
    expect(durableName('g', 'a.b')).not.toBe(durableName('g', 'a_b'));
    expect(durableName('g_a', 'b')).not.toBe(durableName('g', 'a_b'));
  });

  it('bounds the length of long names', () => {
    expect(durableName('g'.repeat(300), 's.'.repeat(200) + 'x').length).toBeLessThanOrEqual(2 * 48 + 12);
  });

  it('requires a group', () => {
    expect(() => durableName('', 'a')).toThrow(/group/);
  });
});
