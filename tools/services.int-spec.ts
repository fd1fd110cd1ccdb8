import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SERVICE_ROOTS, SERVICES } from '@dispatch/contracts';
import { ALL_SCHEMAS } from './migrations/schemas';
import { serviceListProblems, type WorkspaceFiles } from './service-lists';

const root = resolve(__dirname, '..');

const workspace: WorkspaceFiles = {
  read: (path) => {
    try {
      return readFileSync(resolve(root, path), 'utf8');
    } catch {
      return null;
    }
  },
  children: (dir) => {
    try {
      return readdirSync(resolve(root, dir));
    } catch {
      return [];
    }
  },
};

/** ESLint's configuration for a file, as `npm run lint` computes it. */
function eslintConfigFor(file: string): Promise<{ rules: Record<string, [number, ...unknown[]]> }> {
  return new Promise((done, fail) => {
    const child = spawn(resolve(root, 'node_modules/.bin/eslint'), ['--print-config', file], { cwd: root });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk));
    child.on('error', fail);
    child.on('close', (code) => (code === 0 ? done(JSON.parse(out)) : fail(new Error(`eslint --print-config ${file} exited ${code}`))));
  });
}

const sorted = (names: readonly string[]) => [...names].sort();

/** libs/contracts/src/services.ts is the one list of services: every other list names exactly its services. */
describe('the table of services', () => {
  it('is named, with nothing more, by the tsconfig paths, the projects, their apps, and the solo and migration lists', () => {
    expect(serviceListProblems(workspace, SERVICES)).toEqual([]);
  });

  // Solo mode's composition is held to it beside that list, in apps/dispatch/src/services.spec.ts.
  it('gives the migration tool exactly its schemas', () => {
    expect(sorted(ALL_SCHEMAS.map((s) => s.schema))).toEqual(sorted(SERVICES.map((s) => s.schema)));
  });

  it('gives the bus its subject roots', () => {
    expect(SERVICE_ROOTS).toEqual(SERVICES.map((s) => s.subjectRoot));
  });

  it('gives lint a scope and the layer rule for each service', async () => {
    const configs = await Promise.all(SERVICES.map((s) => eslintConfigFor(`libs/${s.name}/src/probe.service.ts`)));
    configs.forEach((config, i) => {
      const name = SERVICES[i].name;
      const [, boundaries] = config.rules['@nx/enforce-module-boundaries'] as [number, { depConstraints: { sourceTag: string }[] }];
      expect(boundaries.depConstraints.map((c) => c.sourceTag)).toEqual(expect.arrayContaining(SERVICES.map((s) => `scope:${s.name}`)));
      expect([name, config.rules['no-restricted-imports']?.[0]]).toEqual([name, 2]);
    });
  }, 60_000);

  it('has no two services sharing a name, subject root, schema or REST prefix', () => {
    for (const field of ['name', 'subjectRoot', 'schema'] as const) {
      expect(new Set(SERVICES.map((s) => s[field])).size).toBe(SERVICES.length);
    }
    const prefixes = SERVICES.flatMap((s) => s.restPrefixes);
    expect(new Set(prefixes).size).toBe(prefixes.length);
  });
});
