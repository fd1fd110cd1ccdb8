import type { Command } from 'commander';
import type { DispatchClient } from '@dispatch/sdk';
import { clientFor, requireContext } from './context';

/** A resource as the API answers it; commands read the fields they print. */
export type Item = Record<string, unknown>;

export const nameOf = (i: Item): string => String(i.name);

/** `-o`, shared by every command that prints resources. */
export const OUTPUT = ['-o, --output <format>', 'table, json, yaml or name', 'table'] as const;

interface Global {
  context?: string;
}

/** A client of the current context (or the one `--context` names). */
export async function client(cmd: Command): Promise<DispatchClient> {
  return clientFor(await requireContext((cmd.optsWithGlobals() as Global).context));
}

/** Every item of a paged list. */
export async function collect(items: AsyncIterable<unknown>): Promise<Item[]> {
  const all: Item[] = [];
  for await (const item of items) all.push(item as Item);
  return all;
}

/**
 * The verb command (`get`, `create`, `update`, `delete`, …) under which each resource module adds
 * its noun, created by whichever module asks first, so the modules do not depend on each other.
 */
export function verb(program: Command, name: string, description: string): Command {
  return program.commands.find((c) => c.name() === name) ?? program.command(name).description(description);
}

export const VERB_DESCRIPTIONS = {
  get: 'show resources: a list, or one by name',
  create: 'create resources',
  update: 'change resources',
  delete: 'delete resources',
} as const;

/** The verb command of one of the four resource verbs. */
export function resourceVerb(program: Command, name: keyof typeof VERB_DESCRIPTIONS): Command {
  return verb(program, name, VERB_DESCRIPTIONS[name]);
}

/** An option taking names, repeated or comma-separated (`--secret a,b --secret c`): all of them, in order. */
export function commaList(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean),
  ];
}

/** Everything on stdin, as text. */
export async function readAllStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
