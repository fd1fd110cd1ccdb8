import { join } from 'node:path';
import { formatFiles, generateFiles, names, type Tree } from '@nx/devkit';
import { SERVICES, type ServiceDefinition } from '@dispatch/contracts';
import { appendToList, read } from './list-edits';

export interface ServiceGeneratorOptions {
  name: string;
  subjectRoot?: string;
  schema?: string;
  restPrefixes?: string[] | string;
  /** Time of the first migration (ms since the epoch): a service regenerated keeps the one its databases recorded. */
  migrationTimestamp?: number;
}

const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
// parseSubject in contracts reads the root as letters only.
const SUBJECT_ROOT = /^[a-z]+$/;
const SCHEMA = /^[a-z][a-z0-9_]*$/;
const REST_PREFIX = /^(\/[a-z0-9-]+)+$/;

/** What the generator fills its templates with, and the derived lists with. */
export interface ServiceFiles extends ServiceDefinition {
  moduleClass: string;
  schemaConst: string;
  migrationClass: string;
  migrationName: string;
  timestamp: number;
}

/** The row of the table for these options, each field checked and unique among `existing`. */
export function serviceDefinition(options: ServiceGeneratorOptions, existing: readonly ServiceDefinition[] = SERVICES): ServiceDefinition {
  const { name } = options;
  const subjectRoot = options.subjectRoot ?? name.split('-')[0];
  const schema = options.schema ?? subjectRoot;
  const prefixes = options.restPrefixes ?? [`/v1/${subjectRoot}`];
  const restPrefixes = typeof prefixes === 'string' ? prefixes.split(',').map((p) => p.trim()) : prefixes;
  const check = (ok: boolean, problem: string) => {
    if (!ok) throw new Error(`service ${name}: ${problem}`);
  };
  check(NAME.test(name), `the name must be lowercase words joined by "-" (${NAME})`);
  check(SUBJECT_ROOT.test(subjectRoot), `subjectRoot "${subjectRoot}" must be lowercase letters only`);
  check(SCHEMA.test(schema), `schema "${schema}" must match ${SCHEMA}`);
  check(
    restPrefixes.length > 0 && restPrefixes.every((p) => REST_PREFIX.test(p)),
    `restPrefixes ${JSON.stringify(restPrefixes)} must be paths like /v1/thing`,
  );
  for (const other of existing) {
    check(other.name !== name, 'already in libs/contracts/src/services.ts');
    check(other.subjectRoot !== subjectRoot, `subjectRoot "${subjectRoot}" is ${other.name}'s; pass --subjectRoot`);
    check(other.schema !== schema, `schema "${schema}" is ${other.name}'s; pass --schema`);
    const taken = restPrefixes.find((p) => other.restPrefixes.some((q) => p === q || p.startsWith(`${q}/`) || q.startsWith(`${p}/`)));
    check(!taken, `REST prefix ${taken} overlaps ${other.name}'s; pass --restPrefixes`);
  }
  return { name, subjectRoot, schema, restPrefixes };
}

export function serviceFiles(service: ServiceDefinition, timestamp: number): ServiceFiles {
  const { className } = names(service.name);
  return {
    ...service,
    moduleClass: `${className}Module`,
    schemaConst: `${service.schema.toUpperCase()}_SCHEMA`,
    migrationName: `${className}Init`,
    migrationClass: `${className}Init${timestamp}`,
    timestamp,
  };
}

/** The service's app and lib (`apps/<name>`, `libs/<name>`), from the templates in `files/`. */
export function writeServiceFiles(tree: Tree, files: ServiceFiles): void {
  generateFiles(tree, join(__dirname, 'files'), '.', { ...files, tmpl: '' });
}

/** The service in every list that names the services: its row of the table and each list derived by hand-written code. */
export function addToServiceLists(tree: Tree, files: ServiceFiles): void {
  const { name, subjectRoot, schema, restPrefixes, moduleClass, schemaConst } = files;
  const quoted = (s: string) => `'${s}'`;
  appendToList(
    tree,
    'libs/contracts/src/services.ts',
    'export const SERVICES',
    `{ name: '${name}', subjectRoot: '${subjectRoot}', schema: '${schema}', restPrefixes: [${restPrefixes.map(quoted).join(', ')}] }`,
  );
  appendToList(
    tree,
    'apps/dispatch/src/services.ts',
    'export const SOLO_SERVICES',
    `{ module: () => ${moduleClass}.register(), schema: ${schemaConst} }`,
    `import { ${moduleClass}, ${schemaConst} } from '@dispatch/${name}';`,
  );
  appendToList(
    tree,
    'tools/migrations/schemas.ts',
    'export const ALL_SCHEMAS',
    schemaConst,
    `import { ${schemaConst} } from '@dispatch/${name}';`,
  );
  addPathAlias(tree, name);
}

/** `@dispatch/<name>` in tsconfig.base.json, after the other services' aliases (a line edit keeps the file's layout). */
function addPathAlias(tree: Tree, name: string): void {
  const file = 'tsconfig.base.json';
  const lines = read(tree, file).split('\n');
  const serviceLines = lines.flatMap((line, i) => (SERVICES.some((s) => line.trim().startsWith(`"@dispatch/${s.name}":`)) ? [i] : []));
  const after = serviceLines.at(-1) ?? lines.findIndex((line) => line.trim() === '"paths": {');
  if (after < 0) throw new Error(`${file}: no "paths" to add @dispatch/${name} to`);
  const indent = /^\s*/.exec(lines[after + 1])?.[0] ?? '      ';
  const isLast = lines[after + 1].trim().startsWith('}');
  lines.splice(after + 1, 0, `${indent}"@dispatch/${name}": ["libs/${name}/src/index.ts"]${isLast ? '' : ','}`);
  if (isLast && !lines[after].trimEnd().endsWith('{')) lines[after] = `${lines[after]},`;
  tree.write(file, lines.join('\n'));
}

/** `npx nx g ./tools:service <name>`: a new service in the template, joined to every list of services. */
export default async function serviceGenerator(tree: Tree, options: ServiceGeneratorOptions): Promise<void> {
  const service = serviceDefinition(options);
  for (const dir of [`apps/${service.name}`, `libs/${service.name}`]) {
    if (tree.exists(dir)) throw new Error(`service ${service.name}: ${dir} already exists`);
  }
  const files = serviceFiles(service, options.migrationTimestamp ?? Date.now());
  writeServiceFiles(tree, files);
  addToServiceLists(tree, files);
  await formatFiles(tree);
}
