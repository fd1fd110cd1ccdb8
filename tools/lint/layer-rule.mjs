// The layers inside a service lib (README, Layout): use-case code imports neither the ORM nor the
// HTTP framework nor the HTTP edge's modules. Written as `no-restricted-imports` settings per kind
// of file; ESLint replaces (never merges) a rule's options when a later block matches the same
// file, so each kind of file gets one block holding every clause that applies to it.

/** Each clause: the imports it refuses, and what to do instead. */
const CLAUSES = {
  data: {
    regex: '^(typeorm|@nestjs/typeorm|pg)(/.*)?$',
    // The shared libs hand out the data source and the outbox too: those handles are data access.
    paths: [
      { name: '@dispatch/platform', importNames: ['InjectDataSource', 'InjectOutboxRelay', 'dataSourceToken', 'outboxRelayToken'] },
      { name: '@dispatch/persistence', importNames: ['createServiceDataSource', 'OutboxWriter', 'OutboxRelay'] },
    ],
    message:
      'use-case code reaches data through a *.repository.ts; move this query there (only *.repository.ts, *.entity.ts, *.module.ts and persistence/ import typeorm, @nestjs/typeorm or pg, or take the data source or the outbox)',
  },
  http: {
    regex: '^(fastify|@fastify/[^/]+|@nestjs/platform-fastify)(/.*)?$',
    message:
      'the HTTP framework stays at the edge (*.controller.ts, *.dto.ts, *.module.ts); have the controller pass the use case plain values',
  },
  edge: {
    regex: '^\\.{1,2}/(.*/)?[^/]+\\.(controller|dto)$',
    message:
      'controllers and DTOs are the HTTP edge, imported only by *.controller.ts and *.module.ts; give the use case plain values or a type from its own module or @dispatch/contracts',
  },
};

/** Kinds of file, from the most general to the most specific: the last block that matches a file wins. */
const KINDS = [
  { files: ['**/*.ts'], clauses: ['data', 'http', 'edge'] },
  { files: ['**/persistence/**/*.ts', '**/*.repository.ts', '**/*.entity.ts'], clauses: ['http', 'edge'] },
  { files: ['**/*.dto.ts'], clauses: ['data', 'edge'] },
  { files: ['**/*.controller.ts'], clauses: ['data'] },
  { files: ['**/*.module.ts'], clauses: [] },
];

/** Flat-config blocks enforcing the layers in `libs/<service>/src` of each service named. */
export function layerRuleConfigs(serviceNames) {
  const roots = serviceNames.map((name) => `libs/${name}/src/`);
  return KINDS.map(({ files, clauses }) => ({
    files: roots.flatMap((root) => files.map((glob) => root + glob)),
    ignores: ['**/*.spec.ts', '**/*.int-spec.ts', '**/test-support/**'],
    rules: {
      'no-restricted-imports': clauses.length
        ? [
            'error',
            {
              paths: clauses.flatMap((c) => (CLAUSES[c].paths ?? []).map((path) => ({ ...path, message: CLAUSES[c].message }))),
              patterns: clauses.map((c) => ({ regex: CLAUSES[c].regex, message: CLAUSES[c].message })),
            },
          ]
        : 'off',
    },
  }));
}
