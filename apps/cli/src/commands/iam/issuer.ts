import type { Command } from 'commander';
import { client, collect, OUTPUT, type Item } from '../../command-kit';
import { parseFormat, UsageError, type Column } from '../../output';
import { addDelete, addGet, body, CREATED, NAME, printChanged, TAG, type Tag, type Verbs } from './iam-kit';

const COLUMNS: Column<Item>[] = [
  NAME,
  { header: 'ISSUER', value: (i) => i.issuer },
  { header: 'AUDIENCE', value: (i) => i.audience },
  CREATED,
];
const ALIASES = ['issuers', 'trustedissuer', 'trustedissuers'];

interface IssuerOptions {
  issuer?: string;
  audience?: string;
  jwksUri?: string;
  claimOrg?: string;
  claimSubject?: string;
  claimGroups?: string;
  tag?: Tag[];
  output: string;
}

interface Claims {
  org: string;
  subject: string;
  groups: string;
}

/** The claim mapping: the flags given over the current one (update), or over the server's default (create, when all are absent). */
export function claimsOf(opts: IssuerOptions, current?: Claims): Claims | undefined {
  const given = { org: opts.claimOrg, subject: opts.claimSubject, groups: opts.claimGroups };
  if (!given.org && !given.subject && !given.groups) return current;
  const merged = { org: given.org ?? current?.org, subject: given.subject ?? current?.subject, groups: given.groups ?? current?.groups };
  if (!merged.org || !merged.subject || !merged.groups)
    throw new UsageError(
      'give all three of --claim-org, --claim-subject and --claim-groups (which claims name the org, the user and the groups)',
    );
  return merged as Claims;
}

function withClaimOptions(cmd: Command): Command {
  return cmd
    .option('--jwks-uri <url>', 'where its signing keys are (default: found through its discovery document)')
    .option('--claim-org <claim>', 'the token claim that names the org')
    .option('--claim-subject <claim>', 'the token claim that names the user')
    .option('--claim-groups <claim>', "the token claim that lists the user's groups")
    .option(...TAG)
    .option(...OUTPUT);
}

/** Trusted issuers: OIDC identity providers whose tokens vouch for users of this org. */
export function addIssuerCommands(verbs: Verbs): void {
  addGet(verbs, {
    noun: 'issuer',
    aliases: ALIASES,
    description: "OIDC identity providers your org trusts (besides the deployment's own)",
    columns: COLUMNS,
    list: (c) => collect(c.pages('/v1/iam/issuers', { query: { pageSize: 100 } })),
    one: async (c, name) => body(await c.GET('/v1/iam/issuers/{name}', { params: { path: { name } } })),
  });

  withClaimOptions(
    verbs
      .verb('create')
      .command('issuer')
      .aliases(ALIASES)
      .description("trust an OIDC identity provider for this org: its tokens for --audience sign in this org's users")
      .argument('<name>', 'a name for it')
      .requiredOption('--issuer <url>', "the provider's issuer URL (the tokens' iss)")
      .requiredOption('--audience <aud>', 'the audience its tokens must carry (aud)'),
  ).action(async (name: string, opts: IssuerOptions, cmd: Command) => {
    const format = parseFormat(opts.output);
    const claims = claimsOf(opts);
    const c = await client(cmd);
    const request = { name, issuer: opts.issuer, audience: opts.audience, jwksUri: opts.jwksUri, claims, tags: opts.tag ?? [] };
    const { data } = await c.POST('/v1/iam/issuers', { body: request as never });
    printChanged('Created', 'issuer', (data ?? { name }) as Item, format, COLUMNS);
  });

  withClaimOptions(
    verbs
      .verb('update')
      .command('issuer')
      .aliases(ALIASES)
      .description('change a trusted issuer; what is not given stays as it is')
      .argument('<name>', 'the issuer')
      .option('--issuer <url>', "the provider's issuer URL")
      .option('--audience <aud>', 'the audience its tokens must carry'),
  ).action(async (name: string, opts: IssuerOptions, cmd: Command) => {
    const format = parseFormat(opts.output);
    const c = await client(cmd);
    const path = { name };
    const current = body(await c.GET('/v1/iam/issuers/{name}', { params: { path } }));
    const request = {
      issuer: opts.issuer ?? current.issuer,
      audience: opts.audience ?? current.audience,
      jwksUri: opts.jwksUri ?? current.jwksUri ?? undefined,
      claims: claimsOf(opts, current.claims as Claims),
      tags: opts.tag ?? current.tags,
    };
    const { data } = await c.PUT('/v1/iam/issuers/{name}', { params: { path }, body: request as never });
    printChanged('Updated', 'issuer', (data ?? { name }) as Item, format, COLUMNS);
  });

  addDelete(verbs, 'issuer', ALIASES, (c, name) => c.DELETE('/v1/iam/issuers/{name}', { params: { path: { name } } }));
}
