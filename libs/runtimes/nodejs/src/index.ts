import { existsSync } from 'node:fs';
import path from 'node:path';
import type { RuntimeShim } from '@dispatch/contracts';

/**
 * Where the compiled shim is: beside this file when it runs from dist/, else (jest runs the
 * sources) in the repo's dist/. The shim always runs compiled: it is started as a plain `node`
 * process, inside function containers too.
 */
export function nodejsShimCandidates(dir: string = __dirname): string[] {
  const beside = path.join(dir, 'shim.js');
  const repoRoot = path.resolve(dir, '../../../..');
  return [beside, path.join(repoRoot, 'dist/libs/runtimes/nodejs/src/shim.js')];
}

/**
 * The compiled shim's path. It needs its sibling files (call-logs, invoke, load-handler, server)
 * and nothing else from the workspace, so an image can copy that one directory.
 */
export function nodejsShimPath(dir: string = __dirname, exists: (file: string) => boolean = existsSync): string {
  const candidates = nodejsShimCandidates(dir);
  const found = candidates.find((file) => exists(file));
  if (found === undefined) {
    throw new Error(`the Node.js runtime shim is not built (looked for ${candidates.join(', ')}); run \`npm run build\``);
  }
  return found;
}

/** `--max-old-space-size`: the memory limit becomes V8's heap cap; the provider enforces the hard limit. */
export function nodeHeapArgs(memoryLimitMb: number | undefined): string[] {
  if (memoryLimitMb === undefined) return [];
  if (!Number.isFinite(memoryLimitMb) || memoryLimitMb < 1)
    throw new RangeError(`memoryLimitMb must be a positive number, got ${memoryLimitMb}`);
  return [`--max-old-space-size=${Math.floor(memoryLimitMb)}`];
}

/** Starts a Node.js function: see shim.ts for the environment it reads. */
export const nodejsRuntime: RuntimeShim = {
  runtime: 'nodejs',
  command({ memoryLimitMb }) {
    return { command: process.execPath, args: [...nodeHeapArgs(memoryLimitMb), nodejsShimPath()] };
  },
};
