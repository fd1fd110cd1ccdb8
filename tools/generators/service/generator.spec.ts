import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { transformSync } from '@swc/core';
import type { Tree } from '@nx/devkit';
import { FsTree } from 'nx/src/generators/tree';
import { SERVICES, type ServiceDefinition } from '@dispatch/contracts';
import { serviceListProblems, type WorkspaceFiles } from '../../service-lists';
import serviceGenerator, { serviceDefinition, serviceFiles, writeServiceFiles } from './generator';

const root = resolve(__dirname, '../../..');

// Prettier 3 does not load inside jest, so the generator's formatting step is skipped here: the
// templates are written in Prettier's layout already (the stubs' test below holds them to it, as
// `npm run lint` checks the stubs), and `nx g` formats for real.
process.env['NX_SKIP_FORMAT'] = 'true';

/** The repository as a generator sees it: writes stay in memory. */
const workspaceTree = (): Tree => new FsTree(root, false);

function filesOf(tree: Tree): WorkspaceFiles {
  return {
    read: (path) => {
      try {
        return tree.isFile(path) ? tree.read(path, 'utf-8') : null;
      } catch {
        return null;
      }
    },
    children: (dir) => tree.children(dir),
  };
}

/** The table as the tree holds it, compiled and run as the build would. */
function tableIn(tree: Tree): readonly ServiceDefinition[] {
  const { code } = transformSync(tree.read('libs/contracts/src/services.ts', 'utf-8')!, {
    jsc: { parser: { syntax: 'typescript' } },
    module: { type: 'commonjs' },
  });
  const exports: { SERVICES?: ServiceDefinition[] } = {};
  new Function('exports', code)(exports);
  return exports.SERVICES!;
}

function filesIn(tree: Tree, dir: string): string[] {
  return tree.children(dir).flatMap((entry) => (tree.isFile(`${dir}/${entry}`) ? [`${dir}/${entry}`] : filesIn(tree, `${dir}/${entry}`)));
}

function filesUnder(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((entry) => {
    const path = `${dir}/${entry}`;
    return statSync(join(root, path)).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('service generator', () => {
  it('adds a service to the table and to every list of services, with its app and lib in the template', async () => {
    const tree = workspaceTree();
    await serviceGenerator(tree, { name: 'widget-store', migrationTimestamp: 1800000000000 });

    const added = { name: 'widget-store', subjectRoot: 'widget', schema: 'widget', restPrefixes: ['/v1/widget'] };
    expect(tableIn(tree)).toEqual([...SERVICES, added]);
    expect(serviceListProblems(filesOf(tree), tableIn(tree))).toEqual([]);
    expect(tree.read('apps/dispatch/src/services.ts', 'utf-8')).toContain(
      '{ module: () => WidgetStoreModule.register(), schema: WIDGET_SCHEMA },\n];',
    );
    expect(tree.read('tools/migrations/schemas.ts', 'utf-8')).toContain('  WIDGET_SCHEMA,\n];');
    expect(tree.read('libs/widget-store/src/persistence/schema.ts', 'utf-8')).toContain(
      "export const WIDGET_SCHEMA = serviceSchema('widget', [OutboxRecord], [WidgetStoreInit1800000000000]);",
    );
    expect(tree.read('libs/widget-store/src/persistence/migrations/1800000000000-init.ts', 'utf-8')).toContain(
      "createOutboxTableMigration('widget', 1800000000000, 'WidgetStoreInit')",
    );
    expect(JSON.parse(tree.read('libs/widget-store/project.json', 'utf-8')!).tags).toEqual(['scope:widget-store', 'type:feature']);
    expect(tree.children('libs/widget-store')).toEqual(expect.arrayContaining(['README.md', 'project.json', 'src']));
  });

  it.each(SERVICES.filter((s) => !['identity-manager', 'function-manager', 'api-manager'].includes(s.name)))(
    'wrote the stub $name exactly as it is',
    async (service) => {
      const [migration] = readdirSync(join(root, `libs/${service.name}/src/persistence/migrations`));
      const onDisk = [...filesUnder(`apps/${service.name}`), ...filesUnder(`libs/${service.name}`)];
      const tree = workspaceTree();
      for (const path of onDisk) tree.delete(path);
      writeServiceFiles(tree, serviceFiles(service, Number(migration.split('-')[0])));
      const generated = [...filesIn(tree, `apps/${service.name}`), ...filesIn(tree, `libs/${service.name}`)];
      expect(generated.sort()).toEqual(onDisk.sort());
      for (const path of generated) expect([path, tree.read(path, 'utf-8')]).toEqual([path, readFileSync(join(root, path), 'utf8')]);
    },
  );

  it('refuses a name, subject root, schema or REST prefix already taken, or malformed', async () => {
    expect(() => serviceDefinition({ name: 'image-manager' })).toThrow(/already in libs\/contracts\/src\/services.ts/);
    expect(() => serviceDefinition({ name: 'image-store' })).toThrow(/subjectRoot "image" is image-manager's; pass --subjectRoot/);
    expect(() => serviceDefinition({ name: 'pictures', schema: 'images' })).toThrow(/schema "images" is image-manager's/);
    expect(() => serviceDefinition({ name: 'pictures', restPrefixes: '/v1/image/thumbs' })).toThrow(
      /REST prefix \/v1\/image\/thumbs overlaps image-manager's/,
    );
    expect(() => serviceDefinition({ name: 'Bad_Name' })).toThrow(/lowercase words/);
    expect(() => serviceDefinition({ name: 'two-words', subjectRoot: 'two-words' })).toThrow(/lowercase letters only/);
    const tree = workspaceTree();
    tree.write('libs/pictures/README.md', 'taken');
    await expect(serviceGenerator(tree, { name: 'pictures' })).rejects.toThrow(/libs\/pictures already exists/);
  });
});

describe('the check of the lists of services', () => {
  it('names the list a service is missing from, and a service missing from the table', () => {
    const tree = workspaceTree();
    tree.delete('apps/image-manager/project.json');
    tree.write(
      'tools/migrations/schemas.ts',
      tree.read('tools/migrations/schemas.ts', 'utf-8')!.replace(/^import .*'@dispatch\/event-manager';$/m, ''),
    );
    tree.write('tsconfig.base.json', tree.read('tsconfig.base.json', 'utf-8')!.replace(/^.*"@dispatch\/api-manager".*$/m, ''));
    tree.write('libs/rogue/project.json', JSON.stringify({ name: 'rogue-lib', tags: ['scope:rogue', 'type:feature'] }));
    tree.write(
      'libs/service-catalog/src/broker/broker.controller.ts',
      "@Controller('v1/brokers')\nclass B {\n  @Get(':name')\n  get() {}\n}\n",
    );
    expect(serviceListProblems(filesOf(tree), SERVICES)).toEqual([
      expect.stringMatching(/^tsconfig.base.json: @dispatch\/api-manager must map to libs\/api-manager\/src\/index.ts/),
      'apps/image-manager/project.json is missing',
      'libs/rogue is a service (scope:rogue, type:feature) missing from libs/contracts/src/services.ts',
      "tools/migrations/schemas.ts (the migration tool's schemas) does not import @dispatch/event-manager",
      expect.stringMatching(
        /^libs\/service-catalog\/src\/broker\/broker.controller.ts: route \/v1\/brokers\/:name is outside service-catalog's REST prefixes/,
      ),
    ]);
  });
});
