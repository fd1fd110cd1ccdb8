import { NatsBus } from '@dispatch/bus';
import { DispatchError } from '@dispatch/platform';
import { deleteNamespaceStreams, TEST_NATS_URL, testNamespace } from '@dispatch/testing';
import { SecretReferences } from './secret-references';

/**
 * The check a function's create and update make of its secrets, over a real NATS bus: identity-manager
 * answers which names are missing (`identity.secret.exists.v1`), and its silence is a 503.
 */
describe('SecretReferences: the secrets a function names must exist', () => {
  const namespace = testNamespace('secretrefs');
  let bus: NatsBus;
  let refs: SecretReferences;
  const asked: unknown[] = [];

  beforeAll(async () => {
    bus = await NatsBus.connect({ url: TEST_NATS_URL, namespace, name: 'secret-references', closeGraceMs: 300 });
    refs = new SecretReferences(bus);
  });

  afterAll(async () => {
    await bus?.close();
    await deleteNamespaceStreams(TEST_NATS_URL, namespace);
  });

  const refusal = async (names: string[]) => {
    try {
      await refs.assertExist('acme', names);
    } catch (err) {
      expect(err).toBeInstanceOf(DispatchError);
      return err as DispatchError;
    }
    throw new Error('expected a refusal');
  };

  it('answers 503 SERVICE_UNAVAILABLE while identity-manager does not answer', async () => {
    const err = await refusal(['db']);
    expect(err).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect(err.httpStatus).toBe(503);
    expect(err.message).toMatch(/identity-manager/);
  });

  it('asks nothing for a function without secrets', async () => {
    await expect(refs.assertExist('acme', [])).resolves.toBeUndefined();
  });

  describe('with identity-manager answering', () => {
    const existing = new Set(['db', 'api']);
    beforeAll(async () => {
      await bus.reply('identity.secret.exists.v1', 'identity-manager', async (request) => {
        asked.push(request);
        return { missing: request.names.filter((n) => !existing.has(n)) };
      });
    });

    it('passes when every named secret exists, asking with the names and org only', async () => {
      await expect(refs.assertExist('acme', ['db', 'api'])).resolves.toBeUndefined();
      expect(asked).toEqual([{ org: 'acme', names: ['db', 'api'] }]);
    });

    it('refuses with 404 NOT_FOUND naming every missing secret, and only those', async () => {
      const err = await refusal(['db', 'ghost', 'phantom']);
      expect(err).toMatchObject({ code: 'NOT_FOUND', details: { missing: ['ghost', 'phantom'] } });
      expect(err.httpStatus).toBe(404);
      expect(err.message).toContain('"ghost", "phantom"');
      expect(err.message).not.toContain('"db"');
    });
  });
});
