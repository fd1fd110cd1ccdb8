import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, extname, join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { SeedError, type Problem } from './problems';

/** One document of a seed file, numbered as people count them (the first is 1). */
export interface SeedDocument {
  file: string;
  index: number;
  value: unknown;
  /** What a relative `sourcePath` of this document is relative to. */
  baseDir: string;
}

/** Where the documents come from: `-f FILE|DIR|-` and Dispatch's `-w DIR`. */
export interface SeedSource {
  file: string;
  /** Dispatch's `--work-dir`: the file and every relative path in it are relative to it. */
  workDir?: string;
  /** The text of `-f -`. */
  readStdin: () => Promise<string>;
}

export const STDIN_NAME = '<stdin>';
const SEED_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/**
 * Every document of the seed file, of each *.yaml/*.yml/*.json of a directory (by name), or of
 * stdin. Empty documents (a trailing `---`, as Dispatch's own seed file has) keep their number and
 * are left out. A file that cannot be read or parsed throws, naming the file and the document.
 */
export async function readSeedDocuments(source: SeedSource): Promise<SeedDocument[]> {
  const cwd = process.cwd();
  if (source.file === '-') return parse(STDIN_NAME, await source.readStdin(), resolve(cwd, source.workDir ?? '.'));
  const path = source.workDir ? resolve(source.workDir, source.file) : source.file;
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new SeedError([{ file: path, message: 'not found: give a seed file, a directory of them, or - for stdin' }]);
  }
  const files = info.isDirectory() ? await seedFilesIn(path) : [path];
  const docs: SeedDocument[] = [];
  const problems: Problem[] = [];
  for (const file of files) {
    const baseDir = resolve(cwd, source.workDir ?? dirname(file));
    try {
      docs.push(...parse(file, await readFile(file, 'utf8'), baseDir));
    } catch (e) {
      if (e instanceof SeedError) problems.push(...e.problems);
      else problems.push({ file, message: `cannot be read: ${(e as Error).message}` });
    }
  }
  if (problems.length) throw new SeedError(problems);
  return docs;
}

async function seedFilesIn(dir: string): Promise<string[]> {
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isFile() && SEED_EXTENSIONS.has(extname(e.name).toLowerCase()))
    .map((e) => e.name)
    .sort();
  if (!names.length) throw new SeedError([{ file: dir, message: 'holds no .yaml, .yml or .json file' }]);
  return names.map((n) => join(dir, n));
}

/** The documents of one file; YAML is read as YAML 1.2, of which JSON is a part. */
export function parse(file: string, text: string, baseDir: string): SeedDocument[] {
  const problems: Problem[] = [];
  const docs: SeedDocument[] = [];
  parseAllDocuments(text).forEach((doc, i) => {
    const index = i + 1;
    if (doc.errors.length) {
      for (const err of doc.errors) {
        const line = err.linePos?.[0].line;
        problems.push({ file, index, message: `${line ? `line ${line}: ` : ''}${err.message.split('\n')[0]}` });
      }
      return;
    }
    const value: unknown = doc.toJS();
    if (value !== null && value !== undefined) docs.push({ file, index, value, baseDir });
  });
  if (problems.length) throw new SeedError(problems);
  return docs;
}
