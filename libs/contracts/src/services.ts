/**
 * The services of the platform, the one list every other list of them derives from or is checked
 * against (`tools/services.int-spec.ts`): the tsconfig paths, the lint scopes and layer rule, solo
 * mode's composition, the migration tool's schemas, the bus subject roots and the cluster e2e.
 * `npx nx g ./tools:service <name>` adds a row here and writes everything that follows from it.
 *
 * Kept free of imports: eslint.config.mjs and the generator load this file outside the build.
 */
export interface ServiceDefinition {
  /** The Nx projects `apps/<name>` and `libs/<name>`, the import path `@dispatch/<name>`, the process name in logs. */
  readonly name: string;
  /** First segment of its bus subjects (`<root>.<aggregate>.<verb>.v<n>`): lowercase letters only. */
  readonly subjectRoot: string;
  /** The PostgreSQL schema it owns; no other service reads it. */
  readonly schema: string;
  /** The REST paths it serves; cluster mode's ingress routes them to its process. */
  readonly restPrefixes: readonly string[];
}

export const SERVICES = [
  { name: 'identity-manager', subjectRoot: 'identity', schema: 'identity', restPrefixes: ['/v1/iam', '/v1/secret'] },
  { name: 'function-manager', subjectRoot: 'function', schema: 'functions', restPrefixes: ['/v1/function', '/v1/runs'] },
  { name: 'image-manager', subjectRoot: 'image', schema: 'images', restPrefixes: ['/v1/baseimage', '/v1/image'] },
  { name: 'event-manager', subjectRoot: 'event', schema: 'events', restPrefixes: ['/v1/event'] },
  { name: 'api-manager', subjectRoot: 'api', schema: 'apis', restPrefixes: ['/v1/api'] },
  {
    name: 'service-catalog',
    subjectRoot: 'catalog',
    schema: 'catalog',
    restPrefixes: ['/v1/serviceclass', '/v1/serviceinstance', '/v1/servicebinding', '/broker/v2'],
  },
] as const satisfies readonly ServiceDefinition[];
