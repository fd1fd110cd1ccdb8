import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, readSeedDocuments } from './documents';
import { planSeed, type SeedPlan } from './plan';
import { SeedError, type Problem } from './problems';

describe('seed plan', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dispatch-seed-plan-'));
    await writeFile(join(dir, 'hello.js'), 'module.exports = () => ({ ok: true });\n');
    await writeFile(join(dir, 'hello.py'), 'def handle(context, payload):\n    return {}\n');
    await mkdir(join(dir, 'app'));
    await writeFile(join(dir, 'app', 'index.js'), 'module.exports = () => 1;\n');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const plan = (yaml: string, readSources = true): Promise<SeedPlan> => planSeed(parse('seed.yaml', yaml, dir), { readSources });

  async function problemsOf(yaml: string, readSources = true): Promise<Problem[]> {
    const e: unknown = await plan(yaml, readSources).then(
      () => undefined,
      (err: unknown) => err,
    );
    if (!(e instanceof SeedError)) throw new Error(`expected a SeedError, got ${String(e)}`);
    return e.problems;
  }

  it("reads Dispatch's seed YAML unchanged: its image picks the runtime, a file is its own handler, schemas inline, timeout in ms", async () => {
    const { secrets, functions } = await plan(`
kind: Function
name: hello-js
sourcePath: 'hello.js'
image: nodejs
schema:
  in:
    properties:
      name: { type: string }
    required: [name]
  out:
    properties:
      myField: { type: string }
secrets: [open-sesame]
services: [orders-db]
timeout: 1500
tags:
  - key: role
    value : test
---
kind: Function
name: hello-py
sourcePath: 'hello.py'
image: python3
schema: {}
---
kind: Secret
name: open-sesame
secrets:
  password: OpenSesame
tags:
  - key: role
    value: test
---
`);
    expect(secrets).toEqual([
      expect.objectContaining({
        kind: 'Secret',
        name: 'open-sesame',
        index: 3,
        secrets: { password: 'OpenSesame' },
        tags: [{ key: 'role', value: 'test' }],
      }),
    ]);
    expect(functions.map((f) => [f.name, f.index, f.fields])).toEqual([
      [
        'hello-js',
        1,
        {
          runtime: 'nodejs',
          handler: 'hello.js',
          inputSchema: { properties: { name: { type: 'string' } }, required: ['name'] },
          outputSchema: { properties: { myField: { type: 'string' } } },
          secrets: ['open-sesame'],
          services: ['orders-db'],
          timeoutSeconds: 2,
          tags: [{ key: 'role', value: 'test' }],
        },
      ],
      [
        'hello-py',
        2,
        { runtime: 'python3', handler: 'hello.py', inputSchema: null, outputSchema: null, secrets: [], services: [], tags: [] },
      ],
    ]);
    expect(functions[0].source).toEqual([{ path: 'hello.js', content: Buffer.from('module.exports = () => ({ ok: true });\n') }]);
  });

  it("reads Dispatch's kind: API: uris are the paths, methods upper-cased, the rest as the API takes it", async () => {
    const { apis, functions } = await plan(`
kind: API
name: post-hello
function: hello-js
uris: [/hello]
methods: [post, GET]
protocols: [https]
hosts: [api.example.com]
authentication: public
enabled: true
cors: true
tags:
  - key: role
    value: test
---
kind: Function
name: hello-js
sourcePath: hello.js
image: nodejs
---
apiVersion: dispatch/v1
kind: API
name: own-hello
spec:
  function: hello-js
  paths: [/own]
  rateLimit: { minute: 10 }
  requestSizeLimit: 1024
`);
    expect(functions.map((f) => f.name)).toEqual(['hello-js']);
    expect(apis.map((a) => [a.name, a.index, a.format, a.body])).toEqual([
      [
        'post-hello',
        1,
        'dispatch',
        {
          function: 'hello-js',
          paths: ['/hello'],
          methods: ['POST', 'GET'],
          protocols: ['https'],
          hosts: ['api.example.com'],
          authentication: 'public',
          enabled: true,
          cors: true,
          tags: [{ key: 'role', value: 'test' }],
        },
      ],
      ['own-hello', 3, 'own', { function: 'hello-js', paths: ['/own'], rateLimit: { minute: 10 }, requestSizeLimit: 1024, tags: [] }],
    ]);
  });

  it("reads this platform's format: the API's fields under spec, and what it leaves out reset", async () => {
    const { secrets, functions } = await plan(`
apiVersion: dispatch/v1
kind: Secret
name: db
spec:
  secrets: { username: me }
---
apiVersion: dispatch/v1
kind: Function
name: app
tags: [{ key: team, value: data }]
spec:
  runtime: nodejs
  sourcePath: ./app
  handler: index.js
  inputSchema: { type: object }
  env: { MODE: fast }
  timeoutSeconds: 10
  maxReplicas: 2
---
apiVersion: dispatch/v1
kind: Function
name: prebuilt
spec:
  image: registry.example/fn@sha256:abc
`);
    expect(secrets).toEqual([expect.objectContaining({ name: 'db', format: 'own', secrets: { username: 'me' }, tags: [] })]);
    expect(functions[0].fields).toEqual({
      runtime: 'nodejs',
      handler: 'index.js',
      inputSchema: { type: 'object' },
      outputSchema: null,
      secrets: [],
      env: { MODE: 'fast' },
      timeoutSeconds: 10,
      maxReplicas: 2,
      tags: [{ key: 'team', value: 'data' }],
    });
    expect(functions[0].source).toEqual([{ path: 'index.js', content: expect.any(Buffer) }]);
    expect(functions[1].fields).toMatchObject({ image: 'registry.example/fn@sha256:abc' });
    expect(functions[1].source).toBeUndefined();
  });

  it.each([
    [
      'an unknown kind',
      'kind: Foo\nname: x\n',
      { field: 'kind', message: expect.stringContaining('unknown kind "Foo": seed files apply Secret, Function and API') },
    ],
    [
      'a kind not supported yet',
      'kind: Subscription\nname: sub\nfunction: hello\n',
      {
        field: 'kind',
        resource: 'Subscription sub',
        message: expect.stringContaining('Subscription is not supported yet (event subscriptions'),
      },
    ],
    [
      "Dispatch's older name of APIs",
      'kind: Endpoint\nname: e\n',
      { field: 'kind', message: expect.stringContaining('Endpoint is not applied by seed files (HTTP APIs are declared with kind: API)') },
    ],
    [
      'an API without its function',
      'kind: API\nname: a\nuris: [/a]\n',
      { field: 'function', message: 'required: the function the API calls' },
    ],
    ['an API without uris', 'kind: API\nname: a\nfunction: f\n', { field: 'uris', message: 'required: a list of paths, e.g. [/hello]' }],
    [
      'an API with an authentication the platform has not',
      'kind: API\nname: a\nfunction: f\nuris: [/a]\nauthentication: basic\n',
      { field: 'authentication', message: 'must be: public, idp-token, api-key' },
    ],
    [
      'an API with a field of another kind',
      'kind: API\nname: a\nfunction: f\nuris: [/a]\nsourcePath: x.js\n',
      { field: 'sourcePath', message: 'unknown field: remove it or check its spelling' },
    ],
    [
      'an API whose cors is neither a switch nor a mapping',
      'kind: API\nname: a\nfunction: f\nuris: [/a]\ncors: yes please\n',
      { field: 'cors', message: 'must be true, false or a mapping of origins, methods …' },
    ],
    [
      'a Dispatch kind managed otherwise',
      'kind: Policy\nname: p\n',
      { field: 'kind', message: expect.stringContaining('Policy is not applied by seed files') },
    ],
    ['no kind', 'name: x\n', { field: 'kind', message: 'required: Function, Secret or API' }],
    ['a document that is not a mapping', '- a\n- b\n', { message: expect.stringContaining('must be a mapping') }],
    [
      'an unknown field',
      'kind: Function\nname: f\nsourcePath: hello.js\nimage: nodejs\nhandlr: x\n',
      { resource: 'Function f', field: 'handlr', message: expect.stringContaining('unknown field') },
    ],
    [
      'a missing sourcePath',
      'kind: Function\nname: f\nimage: nodejs\n',
      {
        resource: 'Function f',
        field: 'sourcePath',
        message: "required: the function's source file or directory, relative to the seed file",
      },
    ],
    [
      'an image that is not a seed image',
      'kind: Function\nname: f\nsourcePath: hello.js\nimage: powershell\n',
      { field: 'image', message: expect.stringContaining('"powershell" is not available') },
    ],
    [
      'a schema that is not an object',
      'kind: Function\nname: f\nsourcePath: hello.js\nimage: nodejs\nschema:\n  in: hello.schema.json\n',
      { field: 'schema.in', message: 'must be a JSON Schema object' },
    ],
    [
      'a tag value that is a number',
      'kind: Secret\nname: s\nsecrets: {a: b}\ntags:\n  - key: n\n    value: 2\n',
      { field: 'tags[0].value', message: expect.stringContaining('quote numbers') },
    ],
    [
      'a secret value that is a number',
      'kind: Secret\nname: s\nsecrets:\n  pin: 1234\n',
      { field: 'secrets.pin', message: expect.stringContaining('must be a string') },
    ],
    [
      'a name that is not a DNS label',
      'kind: Secret\nname: My_Secret\nsecrets: {a: b}\n',
      { field: 'name', message: expect.stringContaining('DNS-1123') },
    ],
    [
      'a wrong apiVersion',
      'apiVersion: v2\nkind: Secret\nname: s\n',
      { field: 'apiVersion', message: expect.stringContaining('must be dispatch/v1') },
    ],
    [
      'a runtime and an image',
      'apiVersion: dispatch/v1\nkind: Function\nname: f\nspec: {runtime: nodejs, image: x, sourcePath: hello.js}\n',
      { field: 'spec.image', message: expect.stringContaining('not both') },
    ],
    [
      'a runtime without source',
      'apiVersion: dispatch/v1\nkind: Function\nname: f\nspec: {runtime: nodejs}\n',
      { field: 'spec.sourcePath', message: expect.stringContaining('required with a runtime') },
    ],
    [
      'a Dispatch field in the own format',
      'apiVersion: dispatch/v1\nkind: Function\nname: f\nspec: {runtime: nodejs, sourcePath: hello.js, timeout: 5}\n',
      { field: 'spec.timeout', message: expect.stringContaining('unknown field') },
    ],
  ])('refuses %s, naming the file, the document and the field', async (_case, yaml, expected) => {
    const problems = await problemsOf(`kind: Secret\nname: fine\nsecrets: {a: b}\n---\n${yaml}`);
    expect(problems).toEqual([expect.objectContaining({ file: 'seed.yaml', index: 2, ...expected })]);
  });

  it('checks the source before anything is applied: a path that does not exist, a directory without a handler', async () => {
    const problems = await problemsOf(`
kind: Function
name: gone
sourcePath: nope.js
image: nodejs
---
apiVersion: dispatch/v1
kind: Function
name: dir
spec: {runtime: nodejs, sourcePath: app}
`);
    expect(problems).toEqual([
      expect.objectContaining({
        index: 1,
        resource: 'Function gone',
        field: 'sourcePath',
        message: expect.stringContaining(`${join(dir, 'nope.js')} does not exist`),
      }),
      expect.objectContaining({
        index: 2,
        resource: 'Function dir',
        field: 'spec.handler',
        message: expect.stringContaining('required when sourcePath is a directory'),
      }),
    ]);
  });

  it('needs no source to delete: only the names count', async () => {
    const { functions } = await plan('kind: Function\nname: gone\nsourcePath: nope.js\nimage: nodejs\n', false);
    expect(functions.map((f) => [f.name, f.source])).toEqual([['gone', undefined]]);
  });

  it('lists every problem of every document, and a name declared twice', async () => {
    const problems = await problemsOf(`
kind: Secret
name: s
secrets: {a: b}
---
kind: Subscription
name: sub
---
kind: Secret
name: s
secrets: {c: d}
---
kind: Function
name: f
image: java
`);
    expect(problems.map((p) => [p.index, p.field])).toEqual([
      [2, 'kind'],
      [3, 'name'],
      [4, 'sourcePath'],
      [4, 'image'],
    ]);
    expect(problems[1].message).toBe('Secret s is also declared in seed.yaml document 1');
  });

  it('plans the seed file of every example, the secret before the function that names it', async () => {
    const examples = resolve(__dirname, '../../../../examples');
    const read = async (name: string) =>
      planSeed(await readSeedDocuments({ file: join(examples, name, 'seed.yaml'), readStdin: async () => '' }), { readSources: true });
    expect((await read('hello-node')).functions.map((f) => f.fields.runtime)).toEqual(['nodejs']);
    expect((await read('hello-python')).functions.map((f) => f.fields.handler)).toEqual(['hello.py']);
    const secret = await read('secret');
    expect(secret.secrets.map((s) => s.name)).toEqual(['open-sesame']);
    expect(secret.functions[0].fields.secrets).toEqual(['open-sesame']);
    expect((await read('schemas')).functions[0].fields.inputSchema).toMatchObject({ required: ['name'] });
  });
});
