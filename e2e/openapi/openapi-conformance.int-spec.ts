import { generateKeyPairSync } from 'node:crypto';
import { rm } from 'node:fs/promises';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { type SoloServer, sourceArchive, startSoloServer, waitFor } from '@dispatch/testing';

type Schema = Record<string, unknown>;
interface MediaType {
  schema?: Schema;
  example?: unknown;
  examples?: Record<string, { value: unknown }>;
}
interface Operation {
  responses: Record<string, { description: string; content?: Record<string, MediaType> }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema & { examples?: unknown[] }> };
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const HELLO = 'module.exports = (context, payload) => ({ hello: payload && payload.name });';

interface Request {
  /** The documented operation the call exercises, e.g. `GET /v1/function/{name}`. */
  operation: string;
  /** A success (2xx) or a refusal (4xx/5xx) expected. */
  expect: 'success' | 'error';
  /** Path and query as sent; the operation's path when absent. */
  path?: string;
  body?: unknown;
  form?: FormData;
  /** Send no Authorization header. */
  anonymous?: boolean;
}

/**
 * The served OpenAPI document against the server that serves it: every documented operation is
 * called (its success and at least one of its refusals) on a real solo server, and each answer's
 * status must be one the operation documents and its body must validate against the schema
 * documented for that status (an error's code also among the codes documented for it).
 */
describe('the OpenAPI document describes what the server answers (the built solo server)', () => {
  let solo: SoloServer;
  let doc: Document;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const validators = new Map<string, ValidateFunction>();
  /** Which operations were seen succeeding and refusing. */
  const covered = new Map<string, Set<'success' | 'error'>>();
  const problems: string[] = [];

  beforeAll(async () => {
    solo = await startSoloServer();
    doc = (await (await fetch(`${solo.api}/docs-json`)).json()) as Document;
  }, 130_000);

  afterAll(async () => {
    // SIGTERM, not SIGKILL: a killed server would leave its PostgreSQL running.
    await solo?.process.stop('SIGTERM', 20_000);
    if (solo) await rm(solo.home, { recursive: true, force: true });
  });

  function operations(): [string, Operation][] {
    return Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([method]) => METHODS.includes(method))
        .map(([method, op]): [string, Operation] => [`${method.toUpperCase()} ${path}`, op]),
    );
  }

  function operation(name: string): Operation {
    const [method, path] = name.split(' ');
    const op = doc.paths[path]?.[method.toLowerCase()];
    if (!op) throw new Error(`${name} is not in the document`);
    return op;
  }

  /** A validator of `schema`, whose $refs point into the document's components. */
  function validatorOf(key: string, schema: Schema): ValidateFunction {
    let validate = validators.get(key);
    if (!validate) {
      validate = ajv.compile({ ...schema, components: doc.components });
      validators.set(key, validate);
    }
    return validate;
  }

  /** Sends `request` and records every way its answer disagrees with the document; answers the parsed body. */
  async function call(request: Request): Promise<unknown> {
    const [method, template] = request.operation.split(' ');
    const op = operation(request.operation);
    const headers: Record<string, string> = request.anonymous ? {} : { ...solo.admin };
    let body: string | FormData | undefined;
    if (request.form) body = request.form;
    else if (request.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(request.body);
    }
    const response = await fetch(`${solo.api}${request.path ?? template}`, { method, headers, body });
    const text = await response.text();
    const answer = text === '' ? undefined : (JSON.parse(text) as unknown);
    const seen = `${request.operation} (${request.path ?? template}) answered ${response.status} ${text.slice(0, 300)}`;
    const documented = op.responses[String(response.status)];
    const ok = response.status < 300;
    if (ok !== (request.expect === 'success'))
      problems.push(`${seen}: expected ${request.expect === 'success' ? 'a success' : 'a refusal'}`);
    if (!documented) {
      problems.push(`${seen}: status ${response.status} is not documented (documented: ${Object.keys(op.responses).join(', ')})`);
      return answer;
    }
    covered.set(request.operation, (covered.get(request.operation) ?? new Set()).add(ok ? 'success' : 'error'));
    const media = documented.content?.['application/json'];
    if (!media?.schema) {
      if (text !== '') problems.push(`${seen}: a body where the document says there is none`);
      return answer;
    }
    const validate = validatorOf(`${request.operation} ${response.status}`, media.schema);
    if (!validate(answer)) problems.push(`${seen}: body breaks the documented schema: ${ajv.errorsText(validate.errors)}`);
    if (!ok && media.examples && !Object.keys(media.examples).includes((answer as { code?: string })?.code ?? '')) {
      problems.push(`${seen}: code not among those documented for ${response.status} (${Object.keys(media.examples).join(', ')})`);
    }
    return answer;
  }

  /** Runs the calls in order; each returns the body for the next to use. */
  function expectNoProblems(): void {
    const found = problems.splice(0);
    expect(found).toEqual([]);
  }

  it('documents a schema for every answer of every operation, and its examples fit their schemas', () => {
    const missing: string[] = [];
    for (const [name, op] of operations()) {
      const statuses = Object.keys(op.responses);
      if (!statuses.some((s) => s.startsWith('2'))) missing.push(`${name}: no success answer`);
      if (!statuses.some((s) => s >= '400')) missing.push(`${name}: no error answer`);
      for (const status of statuses) {
        const media = op.responses[status].content?.['application/json'];
        if (status === '204') {
          if (media) missing.push(`${name} ${status}: a body on No Content`);
          continue;
        }
        if (!media?.schema) {
          missing.push(`${name} ${status}: no response schema`);
          continue;
        }
        if (status >= '400' && media.schema['$ref'] !== '#/components/schemas/DispatchError')
          missing.push(`${name} ${status}: not the DispatchError body`);
        const validate = validatorOf(`${name} ${status}`, media.schema);
        const examples = [
          ...(media.example === undefined ? [] : [media.example]),
          ...Object.values(media.examples ?? {}).map((e) => e.value),
        ];
        for (const example of examples)
          if (!validate(example)) missing.push(`${name} ${status}: example breaks the schema: ${ajv.errorsText(validate.errors)}`);
      }
    }
    for (const [name, schema] of Object.entries(doc.components.schemas)) {
      const validate = validatorOf(`component ${name}`, { $ref: `#/components/schemas/${name}` });
      for (const example of schema.examples ?? [])
        if (!validate(example)) missing.push(`component ${name}: example breaks the schema: ${ajv.errorsText(validate.errors)}`);
    }
    expect(missing).toEqual([]);
    expect(operations().length).toBeGreaterThan(50);
  });

  it('answers health, organizations, roles, policies and service accounts as documented', async () => {
    for (const path of ['/healthz', '/readyz']) {
      await call({ operation: `GET ${path}`, expect: 'success' });
      await call({ operation: `GET ${path}`, expect: 'error', path: `${path}?x=%ZZ` });
    }

    await call({ operation: 'POST /v1/iam/organizations', expect: 'success', body: { name: 'conf-org' } });
    await call({ operation: 'POST /v1/iam/organizations', expect: 'error', body: { name: 'conf-org' } });
    await call({ operation: 'GET /v1/iam/organizations', expect: 'success', path: '/v1/iam/organizations?pageSize=1' });
    await call({ operation: 'GET /v1/iam/organizations', expect: 'error', path: '/v1/iam/organizations?pageSize=0' });
    await call({ operation: 'GET /v1/iam/organizations/{name}', expect: 'success', path: '/v1/iam/organizations/conf-org' });
    await call({ operation: 'GET /v1/iam/organizations/{name}', expect: 'error', path: '/v1/iam/organizations/conf-none' });
    await call({ operation: 'DELETE /v1/iam/organizations/{name}', expect: 'success', path: '/v1/iam/organizations/conf-org' });
    await call({ operation: 'DELETE /v1/iam/organizations/{name}', expect: 'error', path: '/v1/iam/organizations/conf-org' });

    const rules = [{ resources: ['function'], actions: ['get'] }];
    await call({ operation: 'POST /v1/iam/roles', expect: 'success', body: { name: 'conf-role', rules } });
    await call({ operation: 'POST /v1/iam/roles', expect: 'error', body: { name: 'admin', rules } });
    await call({ operation: 'GET /v1/iam/roles', expect: 'success' });
    await call({ operation: 'GET /v1/iam/roles', expect: 'error', path: '/v1/iam/roles?pageToken=zz' });
    await call({ operation: 'GET /v1/iam/roles/{name}', expect: 'success', path: '/v1/iam/roles/conf-role' });
    await call({ operation: 'GET /v1/iam/roles/{name}', expect: 'error', path: '/v1/iam/roles/conf-none' });
    await call({ operation: 'PUT /v1/iam/roles/{name}', expect: 'success', path: '/v1/iam/roles/conf-role', body: { rules } });
    await call({ operation: 'PUT /v1/iam/roles/{name}', expect: 'error', path: '/v1/iam/roles/conf-none', body: { rules } });

    const subjects = [{ kind: 'user', name: 'ada' }];
    await call({ operation: 'POST /v1/iam/policies', expect: 'success', body: { name: 'conf-policy', role: 'conf-role', subjects } });
    await call({ operation: 'POST /v1/iam/policies', expect: 'error', body: { name: 'conf-policy-2', role: 'conf-none', subjects } });
    await call({ operation: 'GET /v1/iam/policies', expect: 'success' });
    await call({ operation: 'GET /v1/iam/policies', expect: 'error', path: '/v1/iam/policies?limit=10' });
    await call({ operation: 'GET /v1/iam/policies/{name}', expect: 'success', path: '/v1/iam/policies/conf-policy' });
    await call({ operation: 'GET /v1/iam/policies/{name}', expect: 'error', path: '/v1/iam/policies/conf-none' });
    await call({
      operation: 'PUT /v1/iam/policies/{name}',
      expect: 'success',
      path: '/v1/iam/policies/conf-policy',
      body: { role: 'viewer', subjects },
    });
    await call({
      operation: 'PUT /v1/iam/policies/{name}',
      expect: 'error',
      path: '/v1/iam/policies/conf-policy',
      body: { role: 'x', subjects: [] },
    });
    // The role is in use while the policy names it: refused, then deleted once the policy is gone.
    await call({
      operation: 'PUT /v1/iam/policies/{name}',
      expect: 'success',
      path: '/v1/iam/policies/conf-policy',
      body: { role: 'conf-role', subjects },
    });
    await call({ operation: 'DELETE /v1/iam/roles/{name}', expect: 'error', path: '/v1/iam/roles/conf-role' });
    await call({ operation: 'DELETE /v1/iam/policies/{name}', expect: 'success', path: '/v1/iam/policies/conf-policy' });
    await call({ operation: 'DELETE /v1/iam/policies/{name}', expect: 'error', path: '/v1/iam/policies/conf-policy' });
    await call({ operation: 'DELETE /v1/iam/roles/{name}', expect: 'success', path: '/v1/iam/roles/conf-role' });

    const publicKey = () =>
      generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'pem', type: 'spki' }).toString();
    await call({ operation: 'POST /v1/iam/serviceaccounts', expect: 'success', body: { name: 'conf-sa', publicKey: publicKey() } });
    await call({ operation: 'POST /v1/iam/serviceaccounts', expect: 'error', body: { name: 'conf-sa-2', publicKey: 'not a key' } });
    await call({ operation: 'GET /v1/iam/serviceaccounts', expect: 'success' });
    await call({ operation: 'GET /v1/iam/serviceaccounts', expect: 'error', path: '/v1/iam/serviceaccounts?pageSize=501' });
    await call({ operation: 'GET /v1/iam/serviceaccounts/{name}', expect: 'success', path: '/v1/iam/serviceaccounts/conf-sa' });
    await call({ operation: 'GET /v1/iam/serviceaccounts/{name}', expect: 'error', path: '/v1/iam/serviceaccounts/conf-none' });
    const sa = '/v1/iam/serviceaccounts/conf-sa';
    await call({ operation: 'PUT /v1/iam/serviceaccounts/{name}', expect: 'success', path: sa, body: { publicKey: publicKey() } });
    await call({
      operation: 'PUT /v1/iam/serviceaccounts/{name}',
      expect: 'error',
      path: '/v1/iam/serviceaccounts/conf-none',
      body: { publicKey: publicKey() },
    });
    await call({ operation: 'DELETE /v1/iam/serviceaccounts/{name}', expect: 'success', path: sa });
    await call({ operation: 'DELETE /v1/iam/serviceaccounts/{name}', expect: 'error', path: sa });
    expectNoProblems();
  });

  it('answers API keys, issuers, auth, quotas, usage, secrets and the audit log as documented', async () => {
    await call({ operation: 'POST /v1/iam/apikeys', expect: 'success', body: { name: 'conf-key', role: 'viewer' } });
    await call({ operation: 'POST /v1/iam/apikeys', expect: 'error', body: { name: 'conf-key-2', role: 'conf-none' } });
    await call({ operation: 'GET /v1/iam/apikeys', expect: 'success' });
    await call({ operation: 'GET /v1/iam/apikeys', expect: 'error', anonymous: true });
    await call({ operation: 'GET /v1/iam/apikeys/{name}', expect: 'success', path: '/v1/iam/apikeys/conf-key' });
    await call({ operation: 'GET /v1/iam/apikeys/{name}', expect: 'error', path: '/v1/iam/apikeys/conf-none' });
    await call({ operation: 'POST /v1/iam/apikeys/{name}/revoke', expect: 'success', path: '/v1/iam/apikeys/conf-key/revoke' });
    await call({ operation: 'POST /v1/iam/apikeys/{name}/revoke', expect: 'error', path: '/v1/iam/apikeys/conf-none/revoke' });
    await call({ operation: 'DELETE /v1/iam/apikeys/{name}', expect: 'success', path: '/v1/iam/apikeys/conf-key' });
    await call({ operation: 'DELETE /v1/iam/apikeys/{name}', expect: 'error', path: '/v1/iam/apikeys/conf-key' });

    const issuer = { issuer: 'https://idp.example.com/realms/conf', audience: 'dispatch', jwksUri: 'https://idp.example.com/jwks' };
    await call({ operation: 'POST /v1/iam/issuers', expect: 'success', body: { name: 'conf-idp', ...issuer } });
    await call({ operation: 'POST /v1/iam/issuers', expect: 'error', body: { name: 'conf-idp', ...issuer } });
    await call({ operation: 'GET /v1/iam/issuers', expect: 'success' });
    await call({ operation: 'GET /v1/iam/issuers', expect: 'error', path: '/v1/iam/issuers?cursor=x' });
    await call({ operation: 'GET /v1/iam/issuers/{name}', expect: 'success', path: '/v1/iam/issuers/conf-idp' });
    await call({ operation: 'GET /v1/iam/issuers/{name}', expect: 'error', path: '/v1/iam/issuers/conf-none' });
    await call({
      operation: 'PUT /v1/iam/issuers/{name}',
      expect: 'success',
      path: '/v1/iam/issuers/conf-idp',
      body: { ...issuer, audience: 'other' },
    });
    await call({ operation: 'PUT /v1/iam/issuers/{name}', expect: 'error', path: '/v1/iam/issuers/conf-none', body: issuer });
    await call({ operation: 'DELETE /v1/iam/issuers/{name}', expect: 'success', path: '/v1/iam/issuers/conf-idp' });
    await call({ operation: 'DELETE /v1/iam/issuers/{name}', expect: 'error', path: '/v1/iam/issuers/conf-idp' });

    await call({ operation: 'GET /v1/iam/auth', expect: 'success', path: '/v1/iam/auth?resource=function&action=create' });
    await call({ operation: 'GET /v1/iam/auth', expect: 'error', path: '/v1/iam/auth?resource=function' });
    await call({ operation: 'GET /v1/iam/auth', expect: 'error', anonymous: true });
    await call({ operation: 'GET /v1/iam/quotas', expect: 'success' });
    await call({ operation: 'GET /v1/iam/quotas', expect: 'error', anonymous: true });
    const limits = (await call({ operation: 'GET /v1/iam/quotas', expect: 'success' })) as { limits: Record<string, number> };
    await call({ operation: 'PUT /v1/iam/quotas/{org}', expect: 'success', path: '/v1/iam/quotas/default', body: limits.limits });
    await call({ operation: 'PUT /v1/iam/quotas/{org}', expect: 'error', path: '/v1/iam/quotas/conf-none', body: limits.limits });
    await call({ operation: 'GET /v1/iam/usage', expect: 'success', path: '/v1/iam/usage?since=2026-01-01' });
    await call({ operation: 'GET /v1/iam/usage', expect: 'error', path: '/v1/iam/usage?since=yesterday' });

    await call({ operation: 'POST /v1/secret', expect: 'success', body: { name: 'conf-secret', secrets: { user: 'ada' } } });
    await call({ operation: 'POST /v1/secret', expect: 'error', body: { name: 'conf-secret', secrets: { user: 'ada' } } });
    await call({ operation: 'GET /v1/secret', expect: 'success' });
    await call({ operation: 'GET /v1/secret', expect: 'error', path: '/v1/secret?pageSize=x' });
    await call({ operation: 'GET /v1/secret/{name}', expect: 'success', path: '/v1/secret/conf-secret' });
    await call({ operation: 'GET /v1/secret/{name}', expect: 'error', path: '/v1/secret/conf-none' });
    await call({
      operation: 'PUT /v1/secret/{name}',
      expect: 'success',
      path: '/v1/secret/conf-secret',
      body: { secrets: { user: 'bob' } },
    });
    await call({ operation: 'PUT /v1/secret/{name}', expect: 'error', path: '/v1/secret/conf-none', body: { secrets: {} } });
    await call({ operation: 'DELETE /v1/secret/{name}', expect: 'success', path: '/v1/secret/conf-secret' });
    await call({ operation: 'DELETE /v1/secret/{name}', expect: 'error', path: '/v1/secret/conf-secret' });

    // The audit log is written over the bus: wait until the changes above are in it, so the page has events.
    await waitFor(
      async () => {
        const page = (await call({ operation: 'GET /v1/iam/audit', expect: 'success', path: '/v1/iam/audit?resource=secret' })) as {
          items?: unknown[];
        };
        return (page.items?.length ?? 0) > 0;
      },
      { timeoutMs: 10_000, what: 'the audit log to hold the secret changes' },
    );
    await call({ operation: 'GET /v1/iam/audit', expect: 'error', path: '/v1/iam/audit?resource=nothing' });
    expectNoProblems();
  });

  it('answers functions, uploads, versions, rollbacks and runs as documented', async () => {
    const source = await sourceArchive({ 'index.js': HELLO });
    const spec = { name: 'conf-fn', runtime: 'nodejs', handler: 'index.js' };
    await call({ operation: 'POST /v1/function', expect: 'success', body: { ...spec, source } });
    await call({ operation: 'POST /v1/function', expect: 'error', body: { ...spec, source } });
    const upload = new FormData();
    upload.append('function', JSON.stringify({ ...spec, name: 'conf-upload' }));
    upload.append('files', new Blob([HELLO]), 'index.js');
    await call({ operation: 'POST /v1/function', expect: 'success', form: upload });
    const unknownField = new FormData();
    unknownField.append('function', JSON.stringify({ ...spec, name: 'conf-upload-2' }));
    unknownField.append('sources', new Blob([HELLO]), 'index.js');
    await call({ operation: 'POST /v1/function', expect: 'error', form: unknownField });
    await waitFor(
      async () =>
        ((await (await fetch(`${solo.api}/v1/function/conf-fn`, { headers: solo.admin })).json()) as { status: string }).status === 'READY',
      { timeoutMs: 60_000, what: 'conf-fn to be READY' },
    );

    await call({ operation: 'GET /v1/function', expect: 'success', path: '/v1/function?pageSize=1' });
    await call({ operation: 'GET /v1/function', expect: 'error', path: '/v1/function?pageToken=%00' });
    await call({ operation: 'GET /v1/function/{name}', expect: 'success', path: '/v1/function/conf-fn' });
    await call({ operation: 'GET /v1/function/{name}', expect: 'error', path: '/v1/function/conf-none' });

    for (const [operation, path] of [
      ['POST /v1/runs', '/v1/runs?functionName=conf-fn'],
      ['POST /v1/function/{name}/runs', '/v1/function/conf-fn/runs'],
    ]) {
      const run = (await call({ operation, expect: 'success', path, body: { input: { name: 'Ada' }, blocking: true } })) as Record<
        string,
        unknown
      >;
      expect(run).toMatchObject({ status: 'SUCCEEDED', output: { hello: 'Ada' } });
      await call({ operation, expect: 'success', path, body: { input: { name: 'Ada' } } });
    }
    await call({ operation: 'POST /v1/runs', expect: 'error', path: '/v1/runs', body: { blocking: true } });
    await call({ operation: 'POST /v1/function/{name}/runs', expect: 'error', path: '/v1/function/conf-none/runs', body: {} });
    const runs = (await call({ operation: 'GET /v1/runs', expect: 'success', path: '/v1/runs?functionName=conf-fn' })) as {
      items: { id: string }[];
    };
    await call({ operation: 'GET /v1/runs', expect: 'error', path: '/v1/runs?status=DONE' });
    await call({ operation: 'GET /v1/function/{name}/runs', expect: 'success', path: '/v1/function/conf-fn/runs?status=SUCCEEDED' });
    await call({ operation: 'GET /v1/function/{name}/runs', expect: 'error', path: '/v1/function/conf-fn/runs?functionName=x' });
    await call({ operation: 'GET /v1/runs/{id}', expect: 'success', path: `/v1/runs/${runs.items[0].id}` });
    await call({ operation: 'GET /v1/runs/{id}', expect: 'error', path: '/v1/runs/00000000-0000-4000-8000-000000000000' });

    await call({
      operation: 'PUT /v1/function/{name}',
      expect: 'success',
      path: '/v1/function/conf-fn',
      body: { env: { GREETING: 'hi' } },
    });
    await call({ operation: 'PUT /v1/function/{name}', expect: 'error', path: '/v1/function/conf-none', body: { env: {} } });
    await call({ operation: 'GET /v1/function/{name}/versions', expect: 'success', path: '/v1/function/conf-fn/versions' });
    await call({ operation: 'GET /v1/function/{name}/versions', expect: 'error', path: '/v1/function/conf-none/versions' });
    await call({
      operation: 'POST /v1/function/{name}/rollback',
      expect: 'success',
      path: '/v1/function/conf-fn/rollback',
      body: { version: 1 },
    });
    await call({
      operation: 'POST /v1/function/{name}/rollback',
      expect: 'error',
      path: '/v1/function/conf-fn/rollback',
      body: { version: 99 },
    });
    // APIs name a function that exists: conf-fn, READY above.
    const api = { function: 'conf-fn', paths: ['/conf'], cors: { origins: ['https://app.example.com'] }, rateLimit: { minute: 60 } };
    await call({ operation: 'POST /v1/api', expect: 'success', body: { name: 'conf-api', ...api } });
    await call({ operation: 'POST /v1/api', expect: 'error', body: { name: 'conf-api-2', ...api } });
    await call({ operation: 'GET /v1/api', expect: 'success', path: '/v1/api?pageSize=1' });
    await call({ operation: 'GET /v1/api', expect: 'error', path: '/v1/api?pageSize=0' });
    await call({ operation: 'GET /v1/api/{name}', expect: 'success', path: '/v1/api/conf-api' });
    await call({ operation: 'GET /v1/api/{name}', expect: 'error', path: '/v1/api/conf-none' });
    await call({ operation: 'PUT /v1/api/{name}', expect: 'success', path: '/v1/api/conf-api', body: { ...api, paths: ['/conf2'] } });
    await call({ operation: 'PUT /v1/api/{name}', expect: 'error', path: '/v1/api/conf-api', body: { ...api, function: 'conf-none' } });
    await call({ operation: 'GET /v1/api/export', expect: 'success' });
    await call({ operation: 'GET /v1/api/export', expect: 'error', path: '/v1/api/export?format=xml' });
    await call({ operation: 'DELETE /v1/api/{name}', expect: 'success', path: '/v1/api/conf-api' });
    // Not conf-api again: solo mode drives its gateway, and a second delete before the API is gone is still accepted.
    await call({ operation: 'DELETE /v1/api/{name}', expect: 'error', path: '/v1/api/conf-none' });
    await call({ operation: 'DELETE /v1/function/{name}', expect: 'success', path: '/v1/function/conf-upload' });
    await call({ operation: 'DELETE /v1/function/{name}', expect: 'error', path: '/v1/function/conf-none' });
    expectNoProblems();
  }, 90_000);

  it('called every documented operation, for its success and for a refusal', () => {
    const untested = operations()
      .map(([name]) => name)
      .filter((name) => covered.get(name)?.size !== 2)
      .map((name) => `${name}: ${covered.has(name) ? `only its ${[...covered.get(name)!].join()} case` : 'no case'}`);
    expect(untested).toEqual([]);
  });
});
