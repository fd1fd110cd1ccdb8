import type { Item } from '../../command-kit';
import { UsageError, type Column } from '../../output';
import { addGet, body, type Verbs } from './iam-kit';

const limits = (u: Item) => (u.limits ?? {}) as Record<string, unknown>;
const used = (u: Item) => (u.usage ?? {}) as Record<string, unknown>;

const COLUMNS: Column<Item>[] = [
  { header: 'ORG', value: (u) => u.org },
  { header: 'SINCE', value: (u) => used(u).since },
  { header: 'RUNS', value: (u) => used(u).runs },
  { header: 'GB-SECONDS', value: (u) => used(u).gbSeconds },
  { header: 'RUNNING', value: (u) => `${String(used(u).concurrentRuns)}/${String(limits(u).maxConcurrentRuns)}` },
  { header: 'MAX FUNCTIONS', value: (u) => limits(u).maxFunctions },
];

/** `--since`: a UTC day. */
export function usageSince(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value)))
    throw new UsageError(`--since ${value}: give a UTC day, e.g. 2026-11-01`);
  return value;
}

/** `get usage`: what the org used since a day (runs, GB-seconds, runs in progress) beside its limits. */
export function addUsageCommand(verbs: Verbs): void {
  addGet(verbs, {
    noun: 'usage',
    aliases: [],
    description: "your org's usage since a day (default: the first of this month) beside its limits",
    columns: COLUMNS,
    nameOf: (u) => String(u.org),
    list: async (c, opts) => {
      const since = usageSince(opts.since as string | undefined);
      return body(await c.GET('/v1/iam/usage', { params: { query: since ? { since } : {} } }));
    },
    options: (cmd) => cmd.option('--since <day>', 'count from this UTC day, e.g. 2026-11-01'),
  });
}
