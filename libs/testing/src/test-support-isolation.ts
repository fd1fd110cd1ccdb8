import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Test helpers live in test-support/ folders, which the build leaves out: shipped code of the lib
 * under `root` must not need them, nor this package.
 */
export function describeTestSupportIsolation(lib: string, root: string): void {
  describe(`test-only code of the ${lib} lib`, () => {
    const shipped = (readdirSync(root, { recursive: true }) as string[]).filter(
      (file) => file.endsWith('.ts') && !/\.(int-)?spec\.ts$/.test(file) && !file.split(path.sep).includes('test-support'),
    );

    it('is imported by tests only', () => {
      expect(shipped.length).toBeGreaterThan(10);
      const offenders = shipped.filter((file) => {
        const source = readFileSync(path.join(root, file), 'utf8');
        return /from '(\.{1,2}\/)+(.*\/)?test-support\/|from '@dispatch\/testing'/.test(source);
      });
      expect(offenders).toEqual([]);
    });
  });
}
