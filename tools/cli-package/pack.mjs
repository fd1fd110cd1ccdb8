// Packs the `dispatch` CLI as an npm package that `npm install -g` installs on any machine with
// Node: the built CLI and the built files of the libs it requires (found by following its
// requires from main.js, so nothing else of the platform ships), with the npm packages those
// files require as dependencies, at the versions the repository pins.
//
//   node tools/cli-package/pack.mjs [OUT_DIR]   (after `npm run build`; default OUT_DIR dist/cli-package)
//   npm install -g OUT_DIR/dispatch-cli-<version>.tgz
import { execFileSync } from 'node:child_process';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { builtinModules, createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const dist = path.join(root, 'dist');
const entry = path.join(dist, 'apps/cli/src/main.js');
const out = path.resolve(process.argv[2] ?? path.join(dist, 'cli-package'));
const repo = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** The built files the CLI loads and the npm packages they need, by following require() calls. */
async function closure() {
  const files = new Set();
  const packages = new Set();
  const pending = [entry];
  while (pending.length) {
    const file = pending.pop();
    if (files.has(file)) continue;
    files.add(file);
    const code = await readFile(file, 'utf8');
    // Both quote styles: SWC writes "…" for imports, hand-written lazy requires keep their '…'.
    for (const [, , spec] of code.matchAll(/require\((['"])([^'"]+)\1\)/g)) {
      if (spec.startsWith('.')) pending.push(require.resolve(path.resolve(path.dirname(file), spec)));
      else if (!builtins.has(spec)) packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
    }
  }
  return { files, packages };
}

const { files, packages } = await closure();
const pinned = { ...repo.devDependencies, ...repo.dependencies };
const dependencies = {};
for (const name of [...packages].sort()) {
  if (!pinned[name]) throw new Error(`the CLI requires ${name}, which package.json does not pin`);
  dependencies[name] = pinned[name];
}

const stage = path.join(out, 'package');
await rm(stage, { recursive: true, force: true });
for (const file of files) {
  const target = path.join(stage, path.relative(dist, file));
  await mkdir(path.dirname(target), { recursive: true });
  await cp(file, target, { preserveTimestamps: true });
}
const manifest = {
  name: 'dispatch-cli',
  version: repo.version,
  description: 'The dispatch command line of Dispatch, a serverless control plane',
  license: repo.license,
  engines: repo.engines,
  bin: { dispatch: 'apps/cli/src/main.js' },
  files: ['apps', 'libs'],
  dependencies,
};
await writeFile(path.join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', out], { cwd: stage, encoding: 'utf8' })
  .trim()
  .split('\n')
  .pop();
process.stdout.write(`${path.join(out, tarball)}\n`);
