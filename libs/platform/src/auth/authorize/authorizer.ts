import { type Enforcer, newEnforcer, newModelFromString } from 'casbin';
import { BUILTIN_ROLES, type Action, type AuthzSnapshot, type BindingSubject, type Principal, type Resource } from '@dispatch/contracts';
import { BUILTIN_ROLE_RULES } from './builtin-roles';

/**
 * RBAC with domains: a subject holds a role within an org (the domain); a role grants actions on
 * resources. Built-in roles are defined in every domain (`*`); custom roles in their own org.
 */
const MODEL = `
[request_definition]
r = sub, dom, obj, act

[policy_definition]
p = sub, dom, obj, act

[role_definition]
g = _, _, _

[policy_effect]
e = some(where (p.eft == allow))

[matchers]
m = g(r.sub, p.sub, r.dom) && (p.dom == r.dom || p.dom == "*") && (p.obj == r.obj || p.obj == "*") && (p.act == r.act || p.act == "*")
`;

const MAX_DECISIONS = 50_000;

const subjectKey = (s: BindingSubject) => `${s.kind}:${s.name}`;
const roleKey = (name: string) => `role:${name}`;

/** Answers "may this principal do this action on this resource in its org?" from a snapshot. */
export class Authorizer {
  /** Decisions already taken: a snapshot never changes, so neither do they. Bounded. */
  private readonly decisions = new Map<string, boolean>();
  /**
   * The same decisions by principal object: the token cache hands out one principal per token, so
   * a client's repeated requests find theirs without building the key above.
   */
  private readonly byPrincipal = new WeakMap<Principal, Map<string, boolean>>();

  private constructor(
    private readonly enforcer: Enforcer,
    readonly revision: number,
  ) {}

  static async fromSnapshot(snapshot: AuthzSnapshot): Promise<Authorizer> {
    const enforcer = await newEnforcer(newModelFromString(MODEL));
    const policies: string[][] = [];
    for (const role of BUILTIN_ROLES) {
      for (const rule of BUILTIN_ROLE_RULES[role]) policies.push(...expand(roleKey(role), '*', rule.resources, rule.actions));
    }
    for (const role of snapshot.roles) {
      for (const rule of role.rules) policies.push(...expand(roleKey(role.name), role.org, rule.resources, rule.actions));
    }
    if (policies.length) await enforcer.addPolicies(policies);
    const groupings = snapshot.bindings.flatMap((b) => b.subjects.map((s) => [subjectKey(s), roleKey(b.role), b.org]));
    if (groupings.length) await enforcer.addGroupingPolicies(groupings);
    return new Authorizer(enforcer, snapshot.revision);
  }

  async can(principal: Principal, resource: Resource, action: Action): Promise<boolean> {
    const short = `${resource} ${action}`;
    let mine = this.byPrincipal.get(principal);
    const hit = mine?.get(short);
    if (hit !== undefined) return hit;
    const allowed = await this.decide(principal, resource, action);
    if (!mine) this.byPrincipal.set(principal, (mine = new Map()));
    mine.set(short, allowed);
    return allowed;
  }

  private async decide(principal: Principal, resource: Resource, action: Action): Promise<boolean> {
    const kind = principal.kind;
    const candidates = [`${kind}:${principal.subject}`, ...principal.groups.map((g) => `group:${g}`)];
    const key = JSON.stringify([principal.org, resource, action, candidates]);
    const known = this.decisions.get(key);
    if (known !== undefined) return known;
    let allowed = false;
    for (const sub of candidates) {
      if (await this.enforcer.enforce(sub, principal.org, resource, action)) {
        allowed = true;
        break;
      }
    }
    if (this.decisions.size >= MAX_DECISIONS) this.decisions.clear();
    this.decisions.set(key, allowed);
    return allowed;
  }
}

function expand(sub: string, dom: string, resources: string[], actions: string[]): string[][] {
  return resources.flatMap((obj) => actions.map((act) => [sub, dom, obj, act]));
}
