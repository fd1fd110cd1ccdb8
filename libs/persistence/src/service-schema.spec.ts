import { serviceSchema } from './service-schema';

class A {}
class M1763900000000 {}

describe('serviceSchema', () => {
  it('bundles the schema with copies of its entity and migration lists', () => {
    const entities = [A];
    const definition = serviceSchema('identity', entities, [M1763900000000]);
    expect(definition).toEqual({ schema: 'identity', entities: [A], migrations: [M1763900000000] });
    entities.push(class B {});
    expect(definition.entities).toHaveLength(1);
  });

  it('defaults to no entities and no migrations', () => {
    expect(serviceSchema('bus')).toEqual({ schema: 'bus', entities: [], migrations: [] });
  });

  it('rejects names that would need quoting in SQL', () => {
    expect(() => serviceSchema('Identity')).toThrow(/lower-case/);
    expect(() => serviceSchema('a-b')).toThrow(/lower-case/);
    expect(() => serviceSchema('')).toThrow(/lower-case/);
  });
});
