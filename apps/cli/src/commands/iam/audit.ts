import type { Command } from 'commander';
import type { DispatchClient } from '@dispatch/sdk';
import type { Item } from '../../command-kit';
import type { Column } from '../../output';
import { addGet, count, type Verbs } from './iam-kit';
import { timeFlag } from '../../time-flag';

const COLUMNS: Column<Item>[] = [
  { header: 'TIME', value: (e) => e.time },
  { header: 'SUBJECT', value: (e) => e.subject },
  { header: 'ACTION', value: (e) => e.action },
  { header: 'RESOURCE', value: (e) => e.resource },
  { header: 'REQUEST', value: (e) => `${String(e.method)} ${String(e.route)}` },
  { header: 'STATUS', value: (e) => e.status },
  { header: 'RESULT', value: (e) => e.result },
];

export const DEFAULT_AUDIT_LIMIT = 50;

export interface AuditOptions {
  subject?: string;
  resource?: string;
  action?: string;
  result?: string;
  requestId?: string;
  since?: string;
  until?: string;
  org?: string;
  anonymous?: boolean;
  limit?: number;
}

/** The API's query for a set of flags. */
export function auditQuery(opts: AuditOptions, now = Date.now()): Record<string, string> {
  const query: Record<string, string | undefined> = {
    subject: opts.subject,
    resource: opts.resource,
    action: opts.action,
    result: opts.result,
    requestId: opts.requestId,
    org: opts.org,
    anonymous: opts.anonymous ? 'true' : undefined,
    since: opts.since === undefined ? undefined : timeFlag('--since', opts.since, now),
    until: opts.until === undefined ? undefined : timeFlag('--until', opts.until, now),
    pageSize: String(Math.min(opts.limit ?? DEFAULT_AUDIT_LIMIT, 500)),
  };
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)) as Record<string, string>;
}

/** The newest `limit` events that match, page after page. */
async function auditEvents(c: DispatchClient, opts: AuditOptions): Promise<Item[]> {
  const limit = opts.limit ?? DEFAULT_AUDIT_LIMIT;
  const events: Item[] = [];
  if (limit === 0) return events;
  for await (const event of c.pages('/v1/iam/audit', { query: auditQuery(opts) })) {
    events.push(event as Item);
    if (events.length >= limit) break;
  }
  return events;
}

/** `get audit`: the audit log, newest first: every change, and every refused request, of every service. */
export function addAuditCommand(verbs: Verbs): void {
  addGet(verbs, {
    noun: 'audit',
    aliases: ['audit-log', 'auditlog'],
    description: 'the audit log of your org, newest first: who changed what, and what was refused (-o name prints request ids)',
    columns: COLUMNS,
    nameOf: (e) => String(e.requestId),
    list: (c, opts) => auditEvents(c, opts as AuditOptions),
    options: (cmd: Command) =>
      cmd
        .option('--subject <name>', 'only events of this user, service account or API key')
        .option('--resource <resource>', 'only events on this resource, e.g. function, policy')
        .option('--action <action>', 'only this action: get, list, create, update, delete, execute')
        .option('--result <result>', '"allowed", or an error code such as FORBIDDEN or UNAUTHENTICATED')
        .option('--request-id <id>', 'only the events of this request')
        .option('--since <time>', 'events at or after this time: ISO 8601 with a zone, or a duration ago such as 10m, 2h, 7d')
        .option('--until <time>', 'events before this time (same forms as --since)')
        .option('--org <org>', "platform admins: another org's events")
        .option('--anonymous', 'platform admins: requests refused before the caller was known')
        .option('--limit <n>', `at most this many events (default ${DEFAULT_AUDIT_LIMIT})`, count('--limit')),
  });
}
