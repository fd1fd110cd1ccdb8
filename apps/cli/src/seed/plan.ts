import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { readSource, type SourceFile } from '../function-deploy';
import type { SeedDocument } from './documents';
import { SeedError, type Problem } from './problems';
import { labelOf, resourceOf, type ApiResource, type FunctionResource, type SecretResource, type SeedResource } from './resources';

export interface PlannedFunction extends FunctionResource {
  /** Read for an apply; a delete needs none. */
  source?: SourceFile[];
}

/** The resources of the seed files in the order they are applied: secrets (which functions name), functions (which APIs name), APIs. */
export interface SeedPlan {
  secrets: SecretResource[];
  functions: PlannedFunction[];
  apis: ApiResource[];
}

/**
 * The resources the documents declare, each checked (kind, fields, no name twice, and for an apply
 * its source read), or a SeedError listing every problem: nothing is applied unless all are right.
 */
export async function planSeed(docs: SeedDocument[], options: { readSources: boolean }): Promise<SeedPlan> {
  const problems: Problem[] = [];
  const resources: SeedResource[] = [];
  const seen = new Map<string, SeedResource>();
  for (const doc of docs) {
    const result = resourceOf(doc);
    if ('problems' in result) {
      problems.push(...result.problems);
      continue;
    }
    const r = result.resource;
    const first = seen.get(labelOf(r));
    if (first) {
      problems.push({ ...whereOf(r), field: 'name', message: `${labelOf(r)} is also declared in ${first.file} document ${first.index}` });
      continue;
    }
    seen.set(labelOf(r), r);
    resources.push(r);
  }
  const functions: PlannedFunction[] = [];
  for (const r of resources) {
    if (r.kind !== 'Function') continue;
    functions.push(options.readSources && r.sourcePath ? await withSource(r, problems) : r);
  }
  if (problems.length) throw new SeedError(problems);
  return {
    secrets: resources.filter((r): r is SecretResource => r.kind === 'Secret'),
    functions,
    apis: resources.filter((r): r is ApiResource => r.kind === 'API'),
  };
}

const whereOf = (r: SeedResource) => ({ file: r.file, index: r.index, resource: labelOf(r) });

/**
 * The function with its source read. A single file is its own handler unless one is given (as
 * Dispatch's seed functions have none); a directory needs the handler to name one of its files.
 */
async function withSource(fn: FunctionResource, problems: Problem[]): Promise<PlannedFunction> {
  const path = resolve(fn.baseDir, fn.sourcePath ?? '');
  const field = fn.format === 'own' ? 'spec.sourcePath' : 'sourcePath';
  let info;
  try {
    info = await stat(path);
  } catch {
    problems.push({
      ...whereOf(fn),
      field,
      message: `${path} does not exist: give the function's source file or directory, relative to the seed file`,
    });
    return fn;
  }
  const handlerField = fn.format === 'own' ? 'spec.handler' : 'handler';
  if (info.isDirectory() && !fn.fields.handler) {
    problems.push({
      ...whereOf(fn),
      field: handlerField,
      message: `required when sourcePath is a directory (${path}): name the file to run, e.g. index.js or hello.handle`,
    });
    return fn;
  }
  try {
    const source = await readSource(path);
    const fields = fn.fields.handler ? fn.fields : { ...fn.fields, handler: basename(path) };
    return { ...fn, fields, source };
  } catch (e) {
    problems.push({ ...whereOf(fn), field, message: (e as Error).message });
    return fn;
  }
}
