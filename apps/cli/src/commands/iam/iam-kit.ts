import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { nameOf, type Item } from '../../command-kit';
import { render, UsageError, type Column, type OutputFormat } from '../../output';

export { addDelete, addGet, type Readable } from '../../resource-commands';

export type IamVerb = 'get' | 'create' | 'update' | 'delete' | 'revoke';

/**
 * Where the identity resources add their nouns: the top-level verbs (`dispatch get role`), and
 * again under `dispatch iam` (`dispatch iam get role`), Dispatch's own shape.
 */
export interface Verbs {
  verb(name: IamVerb): Command;
  /** True under `dispatch iam`, where a flag keeps the meaning Dispatch gave it (`iam get policy -w` is --wide). */
  dispatchForm: boolean;
}

export interface Tag {
  key: string;
  value: string;
}

/** `--tag key=value`, repeatable. */
export const TAG = ['--tag <key=value>', 'a tag (repeatable)', collectTags] as const;

function collectTags(value: string, previous: Tag[] = []): Tag[] {
  const at = value.indexOf('=');
  if (at < 1) throw new UsageError(`--tag ${value}: write it as key=value`);
  return [...previous, { key: value.slice(0, at), value: value.slice(at + 1) }];
}

/** A whole-number option of at least `min`. */
export function count(flag: string, min = 0) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new UsageError(`${flag} must be a whole number of at least ${min}, not "${value}"`);
    return n;
  };
}

/** A file's text, or a usage error naming the file (exit 2). */
export async function readTextFile(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read the ${what} file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** The body of an answer, as the commands read it. */
export const body = (answer: { data?: unknown }): Item => answer.data as unknown as Item;

/** What a create or update prints: Dispatch's one line for a table, else the resource as the API answered it. */
export function printChanged(
  done: 'Created' | 'Updated' | 'Revoked',
  noun: string,
  item: Item,
  format: OutputFormat,
  columns: Column<Item>[],
) {
  process.stdout.write(format === 'table' ? `${done} ${noun}: ${nameOf(item)}\n` : render(item, format, columns, nameOf));
}

/** The column every resource has. */
export const CREATED: Column<Item> = { header: 'CREATED', value: (i) => i.createdTime };
export const NAME: Column<Item> = { header: 'NAME', value: (i) => i.name };
