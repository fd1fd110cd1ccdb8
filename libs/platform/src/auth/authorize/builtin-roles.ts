import { type BuiltinRole, type PolicyRule, RESOURCES, type Resource } from '@dispatch/contracts';

/** Who may change who may do what: writable by admins only. */
const IAM: Resource[] = ['organization', 'issuer', 'serviceaccount', 'apikey', 'policy', 'audit', 'quota'];
/** Everything else: what functions, events, APIs and services are made of. */
const WORKLOAD: Resource[] = RESOURCES.filter((r) => !IAM.includes(r));

/** The four roles every org has: their rules are fixed here, not stored. */
export const BUILTIN_ROLE_RULES: Record<BuiltinRole, PolicyRule[]> = {
  admin: [{ resources: ['*'], actions: ['*'] }],
  developer: [
    { resources: WORKLOAD, actions: ['*'] },
    { resources: IAM, actions: ['get', 'list'] },
  ],
  // Secret values are credentials: a viewer sees everything else.
  viewer: [{ resources: [...IAM, ...WORKLOAD.filter((r) => r !== 'secret')], actions: ['get', 'list'] }],
  invoker: [
    { resources: ['function'], actions: ['get', 'list', 'execute'] },
    { resources: ['run'], actions: ['get', 'list'] },
  ],
};
