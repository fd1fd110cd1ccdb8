import type { Command } from 'commander';
import { client, collect, OUTPUT, type Item } from '../../command-kit';
import { parseFormat, type Column } from '../../output';
import { addDelete, addGet, body, CREATED, NAME, printChanged, readTextFile, TAG, type Tag, type Verbs } from './iam-kit';

const COLUMNS: Column<Item>[] = [NAME, { header: 'STATUS', value: (a) => a.status }, CREATED];
const ALIASES = ['serviceaccounts', 'sa'];

interface AccountOptions {
  publicKey?: string;
  org?: string;
  tag?: Tag[];
  output: string;
}

/** Service accounts: machine identities of the org, known by their public key (the holder of the private key logs in). */
export function addServiceAccountCommands(verbs: Verbs): void {
  addGet(verbs, {
    noun: 'serviceaccount',
    aliases: ALIASES,
    description: "service accounts of your org; -o json shows each one's public key",
    columns: COLUMNS,
    list: (c) => collect(c.pages('/v1/iam/serviceaccounts', { query: { pageSize: 100 } })),
    one: async (c, name) => body(await c.GET('/v1/iam/serviceaccounts/{name}', { params: { path: { name } } })),
  });

  verbs
    .verb('create')
    .command('serviceaccount')
    .aliases(ALIASES)
    .description('create a service account from the PEM file of its RSA public key, e.g. from: openssl rsa -in key.pem -pubout')
    .argument('<name>', 'the service account')
    .requiredOption('--public-key <file>', 'a PEM file of its RSA public key (2048 bits or more)')
    .option('--org <org>', 'platform admins: create it in this organization instead of your own')
    .option(...TAG)
    .option(...OUTPUT)
    .action(async (name: string, opts: AccountOptions, cmd: Command) => {
      const format = parseFormat(opts.output);
      const publicKey = await readTextFile(opts.publicKey as string, 'public key');
      const c = await client(cmd);
      const request = { name, publicKey, tags: opts.tag ?? [], ...(opts.org ? { org: opts.org } : {}) };
      const { data } = await c.POST('/v1/iam/serviceaccounts', { body: request });
      printChanged('Created', 'serviceaccount', (data ?? { name }) as Item, format, COLUMNS);
    });

  verbs
    .verb('update')
    .command('serviceaccount')
    .aliases(ALIASES)
    .description('replace the public key of a service account (rotation: tokens signed with the old key stop working)')
    .argument('<name>', 'the service account')
    .option('--public-key <file>', 'a PEM file of its new RSA public key')
    .option(...TAG)
    .option(...OUTPUT)
    .action(async (name: string, opts: AccountOptions, cmd: Command) => {
      const format = parseFormat(opts.output);
      const newKey = opts.publicKey ? await readTextFile(opts.publicKey, 'public key') : undefined;
      const c = await client(cmd);
      const path = { name };
      const current = body(await c.GET('/v1/iam/serviceaccounts/{name}', { params: { path } }));
      const request = { publicKey: newKey ?? String(current.publicKey), tags: opts.tag ?? (current.tags as Tag[]) };
      const { data } = await c.PUT('/v1/iam/serviceaccounts/{name}', { params: { path }, body: request });
      printChanged('Updated', 'serviceaccount', (data ?? { name }) as Item, format, COLUMNS);
    });

  addDelete(verbs, 'serviceaccount', ALIASES, (c, name) => c.DELETE('/v1/iam/serviceaccounts/{name}', { params: { path: { name } } }));
}
