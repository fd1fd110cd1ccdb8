import { SERVICES } from '@dispatch/contracts';
import { SOLO_SERVICES } from './services';

describe('solo composition', () => {
  it('composes every service of the table, each with its own schema, and nothing else', () => {
    expect(SOLO_SERVICES.map((s) => s.schema.schema).sort()).toEqual(SERVICES.map((s) => s.schema).sort());
  });
});
