import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

describe('the generated Kong Admin API types', () => {
  it('are what the generator gives from ../shared/specs/kong/admin-oss-3.9.openapi.yaml now (else: npm run kong:generate)', async () => {
    // The generator runs from the build (openapi-typescript loads ESM-only modules jest cannot): `npm test` builds first.
    const root = join(__dirname, '../../../..');
    const script = join(root, 'dist/libs/clients/kong/scripts/generate.js');
    if (!existsSync(script)) throw new Error(`${script} is missing: run \`npm run build\` (npm test does it first)`);
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((done) =>
      execFile(process.execPath, [script, '--check'], { cwd: root }, (error, _stdout, stderr) =>
        done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stderr }),
      ),
    );
    if (code !== 0) throw new Error(stderr);
  });
});
