import { execFileSync, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(__dirname, '../..');

/**
 * DESIGN §4 is enforced by lint: these cases lint a file placed in a project with the repo's
 * real ESLint config and Nx project graph, and expect the boundary rule to accept or refuse it.
 */
describe('Nx module boundaries', () => {
  beforeAll(() => {
    // The rule reads the cached project graph; computing it is what `npm run lint` does first.
    execFileSync(resolve(root, 'node_modules/.bin/nx'), ['show', 'projects'], { cwd: root, env: { ...process.env, NX_DAEMON: 'false' } });
  }, 60_000);

  async function boundaryErrors(file: string, code: string): Promise<string[]> {
    // The ESLint CLI, not its API: jest cannot load the ESM flat config in-process.
    const run = spawnSync(
      resolve(root, 'node_modules/.bin/eslint'),
      ['--format', 'json', '--stdin', '--stdin-filename', resolve(root, file)],
      {
        cwd: root,
        input: code,
        encoding: 'utf8',
      },
    );
    if (!run.stdout) throw new Error(`eslint failed: ${run.stderr}`);
    const [result] = JSON.parse(run.stdout) as { messages: { ruleId: string | null; message: string }[] }[];
    return result.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
  }

  it('refuses an import into contracts', async () => {
    // Every lib depends on contracts, so the refusal may name the cycle rather than the tag.
    const errors = await boundaryErrors(
      'libs/contracts/src/probe.ts',
      `import { waitFor } from '@dispatch/testing';\nexport const x = waitFor;\n`,
    );
    expect(errors.join('\n')).toMatch(/type:contracts|Circular dependency/);
  });

  it('refuses a feature lib importing another feature lib', async () => {
    const errors = await boundaryErrors(
      'libs/function-manager/src/probe.ts',
      `import { IdentityManagerModule } from '@dispatch/identity-manager';\nexport const x = IdentityManagerModule;\n`,
    );
    // Refused for being a feature, not for some other reason the probe happened to trip.
    expect(errors.join('\n')).toMatch(/A project tagged with "type:feature" can only depend on libs tagged with .*"type:data"/);
  });

  it('refuses a service app importing another service', async () => {
    const errors = await boundaryErrors(
      'apps/function-manager/src/probe.ts',
      `import { ImageManagerModule } from '@dispatch/image-manager';\nexport const x = ImageManagerModule;\n`,
    );
    expect(errors.join('\n')).toMatch(/scope:function-manager/);
  });

  it('accepts a feature lib using shared libs, and the solo app composing every service', async () => {
    expect(
      await boundaryErrors(
        'libs/function-manager/src/probe.ts',
        `import { StoreModule } from '@dispatch/platform';\nexport const x = StoreModule;\n`,
      ),
    ).toEqual([]);
    expect(
      await boundaryErrors(
        'apps/dispatch/src/probe.ts',
        `import { ImageManagerModule } from '@dispatch/image-manager';\nimport { IdentityManagerModule } from '@dispatch/identity-manager';\nexport const x = [ImageManagerModule, IdentityManagerModule];\n`,
      ),
    ).toEqual([]);
  });
});
