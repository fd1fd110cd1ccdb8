import type { Command } from 'commander';
import { ACTIONS, RESOURCES } from '@dispatch/contracts';
import { client, collect, commaList, OUTPUT, type Item } from '../../command-kit';
import { parseFormat, UsageError, type Column } from '../../output';
import { addDelete, addGet, body, CREATED, NAME, printChanged, TAG, type Tag, type Verbs } from './iam-kit';

/** What a role allows: these actions on these resources (`*` for all). */
export interface Rule {
  resources: string[];
  actions: string[];
}

/** Dispatch's spellings of resources that are one word here. */
const RESOURCE_SPELLINGS: Record<string, string> = {
  'base-image': 'baseimage',
  'event-driver': 'eventdriver',
  'service-account': 'serviceaccount',
  'api-key': 'apikey',
};

export function parseResources(values: string[]): string[] {
  return values.map((v) => {
    const resource = RESOURCE_SPELLINGS[v] ?? v;
    if (resource !== '*' && !(RESOURCES as readonly string[]).includes(resource))
      throw new UsageError(`unknown resource "${v}": use * or one of ${RESOURCES.join(', ')}`);
    return resource;
  });
}

export function parseActions(values: string[]): string[] {
  for (const action of values)
    if (action !== '*' && !(ACTIONS as readonly string[]).includes(action))
      throw new UsageError(`unknown action "${action}": use * or one of ${ACTIONS.join(', ')}`);
  return values;
}

/** `--rule function,secret:get,list`: resources, a colon, actions. */
export function parseRule(text: string): Rule {
  const [resources, actions, ...rest] = text.split(':');
  if (!resources || !actions || rest.length)
    throw new UsageError(`--rule ${text}: write it as RESOURCES:ACTIONS, e.g. function,secret:get,list or *:*`);
  return { resources: parseResources(commaList(resources)), actions: parseActions(commaList(actions)) };
}

export const rulesText = (rules: unknown): string =>
  Array.isArray(rules) ? (rules as Rule[]).map((r) => `${r.resources.join(',')}:${r.actions.join(',')}`).join(' ') : '';

const COLUMNS: Column<Item>[] = [NAME, { header: 'RULES', value: (r) => rulesText(r.rules) }, CREATED];
const ALIASES = ['roles'];

interface RoleOptions {
  rule?: string[];
  tag?: Tag[];
  output: string;
}

const collectRule = (value: string, previous: Rule[] = []) => [...previous, parseRule(value)];

/** Custom roles of the org (admin, developer, viewer and invoker are built in and fixed). */
export function addRoleCommands(verbs: Verbs): void {
  addGet(verbs, {
    noun: 'role',
    aliases: ALIASES,
    description: 'custom roles of your org (the built-in admin, developer, viewer and invoker are not listed)',
    columns: COLUMNS,
    list: (c) => collect(c.pages('/v1/iam/roles', { query: { pageSize: 100 } })),
    one: async (c, name) => body(await c.GET('/v1/iam/roles/{name}', { params: { path: { name } } })),
  });

  const ruleOption = [
    '--rule <resources:actions>',
    `what it allows, e.g. function,secret:get,list or *:* (repeatable); resources: ${RESOURCES.join(', ')}; actions: ${ACTIONS.join(', ')}`,
    collectRule,
  ] as const;

  verbs
    .verb('create')
    .command('role')
    .aliases(ALIASES)
    .description('create a custom role; grant it with: dispatch create policy NAME --role ROLE --subject user:NAME')
    .argument('<name>', 'the role')
    .requiredOption(...ruleOption)
    .option(...TAG)
    .option(...OUTPUT)
    .action(async (name: string, opts: RoleOptions, cmd: Command) => {
      const format = parseFormat(opts.output);
      const c = await client(cmd);
      const { data } = await c.POST('/v1/iam/roles', { body: { name, rules: opts.rule as never, tags: opts.tag ?? [] } });
      printChanged('Created', 'role', (data ?? { name }) as Item, format, COLUMNS);
    });

  verbs
    .verb('update')
    .command('role')
    .aliases(ALIASES)
    .description("replace a custom role's rules (or tags)")
    .argument('<name>', 'the role')
    .option(...ruleOption)
    .option(...TAG)
    .option(...OUTPUT)
    .action(async (name: string, opts: RoleOptions, cmd: Command) => {
      const format = parseFormat(opts.output);
      const c = await client(cmd);
      const path = { name };
      const current = body(await c.GET('/v1/iam/roles/{name}', { params: { path } }));
      const request = { rules: (opts.rule ?? current.rules) as never, tags: opts.tag ?? (current.tags as Tag[]) };
      const { data } = await c.PUT('/v1/iam/roles/{name}', { params: { path }, body: request });
      printChanged('Updated', 'role', (data ?? { name }) as Item, format, COLUMNS);
    });

  addDelete(verbs, 'role', ALIASES, (c, name) => c.DELETE('/v1/iam/roles/{name}', { params: { path: { name } } }));
}
