import type { Command } from 'commander';
import { client, OUTPUT, type Item } from '../../command-kit';
import { parseFormat, render, UsageError, type Column } from '../../output';
import { addGet, body, count, type Verbs } from './iam-kit';

const limit = (key: string) => (q: Item) => (q.limits as Record<string, unknown> | undefined)?.[key];
const COLUMNS: Column<Item>[] = [
  { header: 'ORG', value: (q) => q.org },
  { header: 'MAX FUNCTIONS', value: limit('maxFunctions') },
  { header: 'MAX CONCURRENT RUNS', value: limit('maxConcurrentRuns') },
  { header: 'MAX EVENTS/S', value: limit('maxEventsPerSecond') },
];
const orgOf = (q: Item) => String(q.org);
const ALIASES = ['quotas'];

interface QuotaOptions {
  maxFunctions?: number;
  maxConcurrentRuns?: number;
  maxEventsPerSecond?: number;
  output: string;
}

/** The limits a set of flags changes; at least one. */
export function quotaChanges(opts: QuotaOptions): Record<string, number> {
  const changes = Object.fromEntries(
    (['maxFunctions', 'maxConcurrentRuns', 'maxEventsPerSecond'] as const)
      .filter((k) => opts[k] !== undefined)
      .map((k) => [k, opts[k] as number]),
  );
  if (!Object.keys(changes).length)
    throw new UsageError('give at least one of --max-functions, --max-concurrent-runs, --max-events-per-second');
  return changes;
}

/**
 * Quotas: each org's limits. Every org has them (defaults until a platform admin sets them), so there is no create or
 * delete; the API reads only your own org's.
 */
export function addQuotaCommands(verbs: Verbs): void {
  addGet(verbs, {
    noun: 'quota',
    aliases: ALIASES,
    description: "your org's limits (the API reads only your own org's; platform admins set any org's with: dispatch update quota ORG)",
    columns: COLUMNS,
    nameOf: orgOf,
    list: async (c) => body(await c.GET('/v1/iam/quotas')),
  });

  verbs
    .verb('update')
    .command('quota')
    .aliases(ALIASES)
    .description("platform admins: set an org's limits (those not given stay as they are); quotas have no create or delete")
    .argument('<org>', 'the organization')
    .option('--max-functions <n>', 'functions the org may have', count('--max-functions'))
    .option('--max-concurrent-runs <n>', 'runs in progress at once', count('--max-concurrent-runs'))
    .option('--max-events-per-second <n>', 'events it may emit per second', count('--max-events-per-second'))
    .option(...OUTPUT)
    .action(async (org: string, opts: QuotaOptions, cmd: Command) => {
      const format = parseFormat(opts.output);
      const changes = quotaChanges(opts);
      const c = await client(cmd);
      const updated = body(await c.PUT('/v1/iam/quotas/{org}', { params: { path: { org } }, body: changes }));
      process.stdout.write(render(updated, format, COLUMNS, orgOf));
    });
}
