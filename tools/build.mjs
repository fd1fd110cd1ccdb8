// Compiles every TypeScript source (tests excluded) to dist/ with SWC, rewriting the
// @dispatch/* path aliases to relative requires so `node dist/...` runs without loaders.
// Type checking is a separate step (`npm run typecheck`): SWC only strips types.
import { transformFile } from '@swc/core';
import { mkdir, readdir, writeFile, rm } from 'node:fs/promises';
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

// `node tools/build.mjs libs/runtimes/nodejs …` builds only those folders and keeps the rest of dist/.
const only = process.argv.slice(2);
const started = Date.now();
const out = path.join(root, 'dist');
if (!only.length) await rm(out, { recursive: true, force: true });
const jobs = [];
for (const top of only.length ? only : roots) {
  for await (const file of sources(path.join(root, top))) {
    jobs.push(
      (async () => {
        const options = swcOptions();
        const { code, map } = await transformFile(file, { ...options, filename: file, sourceFileName: file });
        const target = path.join(out, path.relative(root, file)).replace(/\.ts$/, '.js');
        await mkdir(path.dirname(target), { recursive: true });
        await writeFile(target, `${code}\n//# sourceMappingURL=${path.basename(target)}.map\n`);
        if (map) await writeFile(`${target}.map`, map);
      })(),
    );
  }
}
await Promise.all(jobs);
process.stdout.write(`built ${jobs.length} files into dist/ in ${Date.now() - started} ms\n`);
