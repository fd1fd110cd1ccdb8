import type { Command } from 'commander';
import type { DispatchClient } from '@dispatch/sdk';
import { client, collect, commaList, OUTPUT, type Item } from '../../command-kit';
import { parseFormat, UsageError, type Column } from '../../output';
import { addDelete, addGet, body, CREATED, NAME, printChanged, TAG, type Tag, type Verbs } from './iam-kit';
import { parseActions, parseResources, rulesText, type Rule } from './role';

export interface Subject {
  kind: 'user' | 'group' | 'serviceaccount';
  name: string;
}

const KINDS: Record<string, Subject['kind']> = { user: 'user', group: 'group', serviceaccount: 'serviceaccount', sa: 'serviceaccount' };

/** `user:NAME`, `group:NAME`, `serviceaccount:NAME` (or `sa:NAME`); a bare name is a user, as Dispatch's policy subjects were. */
export function parseSubject(text: string): Subject {
  const at = text.indexOf(':');
  const kind = at > 0 ? KINDS[text.slice(0, at)] : undefined;
  const name = kind ? text.slice(at + 1) : text;
  if (!name) throw new UsageError(`subject "${text}" has no name: write user:NAME, group:NAME or serviceaccount:NAME`);
  return { kind: kind ?? 'user', name };
}

export const subjectText = (s: Subject): string => `${s.kind}:${s.name}`;

/** The tag that marks a role made for one Dispatch-style policy, so deleting the policy deletes it too. */
export const POLICY_ROLE_TAG = 'dispatch.policy';

export interface PolicyOptions {
  role?: string;
  subject?: string[];
  action?: string[];
  resource?: string[];
  global?: boolean;
  tag?: Tag[];
}

/**
 * What `create policy` sends. Here a policy binds one role to subjects; Dispatch's policy instead held the rule itself
 * (`--subject --action --resource`), which becomes a role of the policy's name holding that rule, bound to the subjects.
 * Dispatch's `get` action also covered listing, so it grants `list` too.
 */
export function policyRequests(name: string, opts: PolicyOptions): { role?: { name: string; rules: Rule[]; tags: Tag[] }; policy: Item } {
  if (opts.global) throw new UsageError('--global: policies here belong to one org; to act in every org, bind a role in the platform org');
  const subjects = (opts.subject ?? []).map(parseSubject);
  if (!subjects.length) throw new UsageError('give at least one --subject, e.g. --subject user:me@example.com or serviceaccount:ci');
  const ruled = Boolean(opts.action?.length || opts.resource?.length);
  if (ruled && opts.role) throw new UsageError('give --role, or --action and --resource (a role of its own), not both');
  if (!ruled && !opts.role) throw new UsageError('which role? give --role ROLE, or --action and --resource as Dispatch did');
  const tags = opts.tag ?? [];
  if (!ruled) return { policy: { name, role: opts.role, subjects, tags } };
  if (!opts.action?.length || !opts.resource?.length) throw new UsageError('--action and --resource go together');
  const actions = parseActions(opts.action.flatMap((a) => (a === 'get' ? ['get', 'list'] : [a])));
  const rule = { resources: parseResources(opts.resource), actions: [...new Set(actions)] };
  return {
    role: { name, rules: [rule], tags: [{ key: POLICY_ROLE_TAG, value: name }] },
    policy: { name, role: name, subjects, tags },
  };
}

const subjectsText = (p: Item) => (Array.isArray(p.subjects) ? (p.subjects as Subject[]).map(subjectText).join(', ') : '');
const ALIASES = ['policies', 'policybinding', 'policybindings', 'rolebinding', 'rolebindings', 'binding', 'bindings'];

async function rulesByRole(c: DispatchClient): Promise<Map<string, string>> {
  const roles = await collect(c.pages('/v1/iam/roles', { query: { pageSize: 100 } }));
  return new Map(roles.map((r) => [String(r.name), rulesText(r.rules)]));
}

/** Policies: who holds which role in the org (role bindings; Dispatch called them policies). */
export function addPolicyCommands(verbs: Verbs): void {
  let rules = new Map<string, string>();
  const columns = (opts: Record<string, unknown>): Column<Item>[] => [
    NAME,
    { header: 'ROLE', value: (p) => p.role },
    { header: 'SUBJECTS', value: subjectsText },
    ...(opts.wide ? [{ header: 'RULES', value: (p: Item) => rules.get(String(p.role)) ?? '(built-in)' }] : []),
    CREATED,
  ];
  addGet(verbs, {
    noun: 'policy',
    aliases: ALIASES,
    description: 'policies (role bindings) of your org: who holds which role',
    columns,
    list: async (c, opts) => {
      if (opts.wide) rules = await rulesByRole(c);
      return collect(c.pages('/v1/iam/policies', { query: { pageSize: 100 } }));
    },
    one: async (c, name) => body(await c.GET('/v1/iam/policies/{name}', { params: { path: { name } } })),
    options: (cmd) => cmd.option(verbs.dispatchForm ? '-w, --wide' : '--wide', "also print each role's rules"),
    watchShortFlag: !verbs.dispatchForm,
  });

  verbs
    .verb('create')
    .command('policy')
    .aliases(ALIASES)
    .description(
      'grant a role to subjects: --role ROLE --subject user:NAME; or, as Dispatch did, --subject S --action A --resource R, ' +
        "which makes a role of the policy's name holding that rule (deleted with the policy)",
    )
    .argument('<name>', 'the policy')
    .option('--role <role>', 'the role it grants: admin, developer, viewer, invoker or a custom role')
    .option(
      '-s, --subject <subjects>',
      'user:NAME, group:NAME or serviceaccount:NAME; a bare name is a user (repeatable, comma-separated)',
      commaList,
    )
    .option('-a, --action <actions>', 'Dispatch style: actions of its rule, e.g. get,create (get includes list)', commaList)
    .option('-r, --resource <resources>', 'Dispatch style: resources of its rule, e.g. function,secret or *', commaList)
    .option('--global', "Dispatch's global policies: not supported (policies belong to one org)")
    .option(...TAG)
    .option(...OUTPUT)
    .action(async (name: string, opts: PolicyOptions & { output: string }, cmd: Command) => {
      const format = parseFormat(opts.output);
      const { role, policy } = policyRequests(name, opts);
      const c = await client(cmd);
      if (role) await c.POST('/v1/iam/roles', { body: role as never });
      let data: unknown;
      try {
        ({ data } = await c.POST('/v1/iam/policies', { body: policy as never }));
      } catch (e) {
        // The role made for this policy alone would block a retry (409): it goes with the refusal.
        if (role) await c.DELETE('/v1/iam/roles/{name}', { params: { path: { name: role.name } } }).catch(() => undefined);
        throw e;
      }
      printChanged('Created', 'policy', (data ?? { name }) as Item, format, columns({}));
    });

  verbs
    .verb('update')
    .command('policy')
    .aliases(ALIASES)
    .description('change the role or the subjects of a policy (the subjects given replace the old ones)')
    .argument('<name>', 'the policy')
    .option('--role <role>', 'the role it grants')
    .option('-s, --subject <subjects>', 'user:NAME, group:NAME or serviceaccount:NAME (repeatable, comma-separated)', commaList)
    .option(...TAG)
    .option(...OUTPUT)
    .action(async (name: string, opts: PolicyOptions & { output: string }, cmd: Command) => {
      const format = parseFormat(opts.output);
      const subjects = opts.subject?.map(parseSubject);
      const c = await client(cmd);
      const path = { name };
      const current = body(await c.GET('/v1/iam/policies/{name}', { params: { path } }));
      const request = { role: opts.role ?? current.role, subjects: subjects ?? current.subjects, tags: opts.tag ?? current.tags };
      const { data } = await c.PUT('/v1/iam/policies/{name}', { params: { path }, body: request as never });
      printChanged('Updated', 'policy', (data ?? { name }) as Item, format, columns({}));
    });

  addDelete(verbs, 'policy', ALIASES, async (c, name) => {
    const path = { name };
    const policy = body(await c.GET('/v1/iam/policies/{name}', { params: { path } }));
    await c.DELETE('/v1/iam/policies/{name}', { params: { path } });
    // The role a Dispatch-style create made for this policy goes with it.
    if (policy.role !== name) return;
    const role = await c.GET('/v1/iam/roles/{name}', { params: { path } }).then(body, () => undefined);
    const tags = (role?.tags ?? []) as Tag[];
    if (tags.some((t) => t.key === POLICY_ROLE_TAG && t.value === name)) await c.DELETE('/v1/iam/roles/{name}', { params: { path } });
  });
}
