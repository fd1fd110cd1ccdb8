import type { ServiceDefinition } from '@dispatch/contracts';

/** The workspace as the checks read it: the files on disk, or an Nx generator's tree. */
export interface WorkspaceFiles {
  /** The file's text, or null when it does not exist. */
  read(path: string): string | null;
  /** Names of the entries of a directory (none when it does not exist). */
  children(dir: string): string[];
}

/** Project tags that name no service. */
const NOT_SERVICE_SCOPES = new Set(['scope:shared', 'scope:solo', 'scope:cli', 'scope:tooling']);

/**
 * Every place a service must be named outside the table, and that names nothing else: each
 * problem says where a service of `services` is missing, or what names a service the table lacks.
 * What derives from the table at run time (subject roots, lint scopes, the cluster e2e) needs no
 * check; what the generator writes (tsconfig paths, projects, the solo and migration lists) does.
 */
export function serviceListProblems(files: WorkspaceFiles, services: readonly ServiceDefinition[]): string[] {
  const problems: string[] = [];
  const names = new Set(services.map((s) => s.name));
  const json = <T>(path: string): T | undefined => {
    const text = files.read(path);
    return text === null ? undefined : (JSON.parse(text) as T);
  };

  const paths = json<{ compilerOptions: { paths: Record<string, string[]> } }>('tsconfig.base.json')?.compilerOptions.paths ?? {};
  for (const { name } of services) {
    const target = paths[`@dispatch/${name}`];
    if (target?.[0] !== `libs/${name}/src/index.ts`)
      problems.push(`tsconfig.base.json: @dispatch/${name} must map to libs/${name}/src/index.ts (found ${JSON.stringify(target)})`);
  }

  for (const kind of ['apps', 'libs'] as const) {
    const type = kind === 'apps' ? 'type:app' : 'type:feature';
    for (const { name } of services) {
      const tags = json<{ tags?: string[] }>(`${kind}/${name}/project.json`)?.tags;
      if (!tags) problems.push(`${kind}/${name}/project.json is missing`);
      else if (!tags.includes(`scope:${name}`) || !tags.includes(type))
        problems.push(`${kind}/${name}/project.json: tags must hold scope:${name} and ${type} (found ${tags.join(', ')})`);
    }
    for (const dir of files.children(kind)) {
      const tags = json<{ tags?: string[] }>(`${kind}/${dir}/project.json`)?.tags ?? [];
      const scope = tags.find((t) => t.startsWith('scope:') && !NOT_SERVICE_SCOPES.has(t));
      if ((scope || tags.includes('type:feature')) && !names.has(dir))
        problems.push(`${kind}/${dir} is a service (${tags.join(', ')}) missing from libs/contracts/src/services.ts`);
    }
  }

  for (const { name } of services) {
    const main = files.read(`apps/${name}/src/main.ts`) ?? '';
    if (!main.includes(`from '@dispatch/${name}'`) || !main.includes(`name: '${name}'`))
      problems.push(`apps/${name}/src/main.ts must start ${name}'s module from @dispatch/${name} under the name '${name}'`);
  }

  for (const [file, what] of [
    ['apps/dispatch/src/services.ts', "solo mode's composition"],
    ['tools/migrations/schemas.ts', "the migration tool's schemas"],
  ] as const) {
    const imported = [...(files.read(file) ?? '').matchAll(/from '@dispatch\/([^']+)'/g)].map((m) => m[1]);
    for (const { name } of services) if (!imported.includes(name)) problems.push(`${file} (${what}) does not import @dispatch/${name}`);
  }

  for (const service of services) problems.push(...routeProblems(files, service));
  return problems;
}

/** A route of a service's controllers outside its REST prefixes would be routed to another process in cluster mode. */
function routeProblems(files: WorkspaceFiles, service: ServiceDefinition): string[] {
  const problems: string[] = [];
  const owned = (route: string) => service.restPrefixes.some((p) => route === p || route.startsWith(`${p}/`));
  for (const file of controllerFiles(files, `libs/${service.name}/src`)) {
    let base: string | undefined;
    // Literal paths only, in source order: a method's route is its controller's path joined to its own.
    for (const m of (files.read(file) ?? '').matchAll(
      /@(Controller|Get|Post|Put|Patch|Delete|Head|Options|All)\(\s*(?:'([^']*)'|(\)))?/g,
    )) {
      const [, decorator, literal, empty] = m;
      const path = empty ? '' : literal;
      if (decorator === 'Controller') base = path;
      else if (base !== undefined && path !== undefined) {
        const route = `/${base}/${path}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
        if (!owned(route))
          problems.push(`${file}: route ${route} is outside ${service.name}'s REST prefixes (${service.restPrefixes.join(', ')})`);
      }
    }
  }
  return problems;
}

function controllerFiles(files: WorkspaceFiles, dir: string): string[] {
  return files.children(dir).flatMap((entry) => {
    const path = `${dir}/${entry}`;
    if (entry.endsWith('.controller.ts')) return [path];
    return files.read(path) === null ? controllerFiles(files, path) : [];
  });
}
