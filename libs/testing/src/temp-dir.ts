import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Its own entry point (@dispatch/testing/temp-dir) as well: unit specs use it, and the lib's index
// loads servers and clients that would take seconds to require.

/**
 * A new temporary directory named `<prefix><random>`, made before each test (`per: 'test'`) or once
 * before the suite's tests (`per: 'suite'`) and removed after. Call it in a `describe` body; read
 * `path` in tests and hooks.
 */
export function useTempDir(prefix: string, per: 'test' | 'suite'): { readonly path: string } {
  let dir: string | undefined;
  const [before, after] = per === 'test' ? [beforeEach, afterEach] : [beforeAll, afterAll];
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });
  return {
    get path() {
      if (!dir) throw new Error(`the temporary directory ${prefix}… exists only between its hooks`);
      return dir;
    },
  };
}
