import type { Command } from 'commander';
import { client, collect, commaList, OUTPUT, type Item } from '../../command-kit';
import { parseFormat, UsageError, type Column } from '../../output';
import { parseSubject, type Subject } from './policy';
import { addDelete, addGet, body, CREATED, NAME, printChanged, readTextFile, TAG, type Tag, type Verbs } from './iam-kit';

const COLUMNS: Column<Item>[] = [NAME, { header: 'STATUS', value: (o) => o.status }, CREATED];
const ALIASES = ['organizations', 'org', 'orgs'];

interface CreateOptions {
  admin?: string[];
  adminServiceaccount?: string;
  publicKey?: string;
  tag?: Tag[];
  output: string;
}

/** The create body: first admins, and a first service account (its public key read from a file) bound to the admin role. */
export async function organizationBody(name: string, opts: CreateOptions) {
  if (Boolean(opts.adminServiceaccount) !== Boolean(opts.publicKey))
    throw new UsageError('--admin-serviceaccount and --public-key go together: the service account and the file of its public key');
  const admins: Subject[] = (opts.admin ?? []).map(parseSubject);
  const admin = opts.adminServiceaccount
    ? { serviceAccount: { name: opts.adminServiceaccount, publicKey: await readTextFile(opts.publicKey as string, 'public key') } }
    : undefined;
  return { name, admins, ...(admin ? { admin } : {}), tags: opts.tag ?? [] };
}

/** Organizations (tenants): platform admins create, list and delete them; members read their own. The API has no update. */
export function addOrganizationCommands(verbs: Verbs): void {
  addGet(verbs, {
    noun: 'organization',
    aliases: ALIASES,
    description: 'organizations: the list is for platform admins; anyone reads their own org by name',
    columns: COLUMNS,
    list: (c) => collect(c.pages('/v1/iam/organizations', { query: { pageSize: 100 } })),
    one: async (c, name) => body(await c.GET('/v1/iam/organizations/{name}', { params: { path: { name } } })),
  });

  verbs
    .verb('create')
    .command('organization')
    .aliases(ALIASES)
    .description(
      'create an organization (platform admins), with its first admins and optionally a first service account bound to its admin role; ' +
        'organizations have no update: their name is all they hold',
    )
    .argument('<name>', 'the organization')
    .option('--admin <kind:name>', 'a first admin, user:NAME, group:NAME or serviceaccount:NAME (repeatable, comma-separated)', commaList)
    .option('--admin-serviceaccount <name>', 'a first service account of the org, made an admin (with --public-key)')
    .option('--public-key <file>', "a PEM file of that service account's RSA public key (2048 bits or more)")
    .option(...TAG)
    .option(...OUTPUT)
    .action(async (name: string, opts: CreateOptions, cmd: Command) => {
      const format = parseFormat(opts.output);
      const request = await organizationBody(name, opts);
      const c = await client(cmd);
      const { data } = await c.POST('/v1/iam/organizations', { body: request });
      printChanged('Created', 'organization', (data ?? { name }) as Item, format, COLUMNS);
    });

  addDelete(verbs, 'organization', ALIASES, (c, name) => c.DELETE('/v1/iam/organizations/{name}', { params: { path: { name } } }));
}
