// Compiles every TypeScript source (tests excluded) to dist/ with SWC, rewriting the
// @dispatch/* path aliases to relative requires so `node dist/...` runs without loaders.
// Type checking is a separate step (`npm run typecheck`): SWC only strips types.
//
// dist/ is rebuilt in place, never removed first: a server already running from this checkout
// (a second `npm start`, a test) keeps finding every file it loads later, its function workers'
// runtime shims included. Each file is written beside its target and renamed over it, so a reader
// sees the old file or the new one, never half of one; files no source produces any more are
// deleted at the end of a full build.
import { transformFile } from '@swc/core';
import { chmod, mkdir, readdir, rename, writeFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { swcOptions, root } = require('../swc.config.cjs');
const roots = ['apps', 'libs', 'tools', 'bench', 'e2e'];
const skip = /(\.spec\.ts|\.int-spec\.ts|\.d\.ts)$/;

async function* sources(dir) {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      // Test-only helpers never ship.
      if (['node_modules', 'fixtures', 'test-support'].includes(entry.name)) continue;
      yield* sources(full);
    } else if (entry.name.endsWith('.ts') && !skip.test(entry.name)) {
      yield full;
    }
  }
}

/** Replaces `target` at once: written under a temporary name in the same directory, then renamed. */
async function writeAtomically(target, content, mode = 0o644) {
  const temporary = `${target}.${process.pid}.tmp`;
  await writeFile(temporary, content, { mode });
  await chmod(temporary, mode);
  await rename(temporary, target);
}

/** A file another build running right now is about to rename into place (two `npm start`s at once). */
function isAnotherBuildsTemporary(file) {
  const pid = Number(/\.(\d+)\.tmp$/.exec(file)?.[1]);
  if (!pid || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Files under `dir` (recursively). */
async function* filesUnder(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(full);
    else yield full;
  }
}

// `node tools/build.mjs libs/runtimes/nodejs …` builds only those folders and keeps the rest of dist/.
const only = process.argv.slice(2);
const started = Date.now();
const out = path.join(root, 'dist');
const written = new Set();
const jobs = [];
for (const top of only.length ? only : roots) {
  for await (const file of sources(path.join(root, top))) {
    jobs.push(
      (async () => {
        const options = swcOptions();
        const { code, map } = await transformFile(file, { ...options, filename: file, sourceFileName: file });
        const target = path.join(out, path.relative(root, file)).replace(/\.ts$/, '.js');
        await mkdir(path.dirname(target), { recursive: true });
        written.add(target);
        // A script with a shebang (the CLI, the package's "bin") is written executable.
        await writeAtomically(
          target,
          `${code}\n//# sourceMappingURL=${path.basename(target)}.map\n`,
          code.startsWith('#!') ? 0o755 : 0o644,
        );
        if (map) {
          written.add(`${target}.map`);
          await writeAtomically(`${target}.map`, map);
        }
      })(),
    );
  }
}
await Promise.all(jobs);
if (!only.length) {
  // Outputs of deleted or renamed sources: a stale migration or module must not linger in dist/.
  for await (const file of filesUnder(out)) {
    if (!written.has(file) && !isAnotherBuildsTemporary(file)) await rm(file, { force: true });
  }
}
process.stdout.write(`built ${jobs.length} files into dist/ in ${Date.now() - started} ms\n`);
