import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

// Its own entry point (@dispatch/testing/test-only-helpers): unit specs use it, and the lib's index
// loads servers and clients that would take seconds to require.

/**
 * Test helpers live in test-support/ folders, which the build leaves out: shipped code must not
 * need them. Checks that no shipped source of the lib at `root` imports one, nor @dispatch/testing (any
 * entry point of it).
 */
export function describeTestOnlyHelpers(lib: string, root: string): void {
  describe(`test-only code of the ${lib} lib`, () => {
    const shipped = (readdirSync(root, { recursive: true }) as string[]).filter(
      (file) => file.endsWith('.ts') && !/\.(int-)?spec\.ts$/.test(file) && !file.split(path.sep).includes('test-support'),
    );

    it('is imported by tests only', () => {
      expect(shipped.length).toBeGreaterThan(10);
      const offenders = shipped.filter((file) => {
        const source = readFileSync(path.join(root, file), 'utf8');
        return /from '(\.{1,2}\/)+(.*\/)?test-support\/|from '@dispatch\/testing[/']/.test(source);
      });
      expect(offenders).toEqual([]);
    });
  });
}
