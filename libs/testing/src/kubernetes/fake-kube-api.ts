import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Status } from '@kubernetes-models/apimachinery/apis/meta/v1/Status';
import { Secret, SecretList } from 'kubernetes-models/v1';
import { validateSecret, validateSecretUpdate, type StatusCause } from './apiserver-validation';
import { LabelSelectorError, matchesLabels, parseLabelSelector } from './label-selector';

/**
 * A Kubernetes API server on loopback that serves the part of core/v1 the secrets backend uses:
 * Secrets in namespaces — create, read, replace, delete, list with `labelSelector`, `limit` and
 * `continue`. It exists because no API server can run on this machine (DESIGN §10); it answers
 * the way kube-apiserver does, so a client that works here works against a cluster:
 *
 * - every written object is validated against the Kubernetes OpenAPI schema of core/v1 Secret
 *   (kubernetes-models) and then against the API server's own rules (names, labels, annotations,
 *   data keys, sizes, immutability; see apiserver-validation.ts); a failure is a 422 `Invalid`
 *   Status with `details.causes`, and nothing is stored;
 * - failures are `Status` objects (`NotFound`, `AlreadyExists`, `Conflict`, `Invalid`,
 *   `BadRequest`, `Unauthorized`, `Expired`) with the real messages and `details`;
 * - objects get `uid`, `resourceVersion` (one global revision counter, like etcd's) and
 *   `creationTimestamp`; replace keeps `uid` and `creationTimestamp`, honours a `resourceVersion`
 *   precondition (409 Conflict when stale); delete honours `preconditions`;
 * - lists are ordered by name (etcd key order), filtered by label selector before `limit`, and
 *   paged with continue tokens shaped like the real ones (base64url JSON `{v, rv, start}`); a page
 *   after the first is read at the revision of the first (a consistent snapshot, as etcd's MVCC
 *   gives); after `compact()` older tokens answer 410 `Expired` with an inconsistent-continue
 *   token, as after an etcd compaction;
 * - it requires `Authorization: Bearer <token>`.
 *
 * Not served (answered 405 or 404): PATCH, watch, deletecollection, other resources. Where the
 * real server answers a body that does not decode (wrong types, bad base64) with 400, this one
 * answers 422 as it validates the decoded JSON against the schema instead.
 */
export interface FakeKubeApi {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** The bearer token every request must carry. */
  readonly token: string;
  /** Every request served, in order. */
  readonly requests: FakeKubeRequest[];
  /** Writes (POST/PUT bodies) that passed both validations and were stored. */
  readonly acceptedWrites: number;
  /** Writes refused as invalid, and why. */
  readonly rejectedWrites: WriteRejection[];
  /** Namespaces that exist (creating in any other answers 404, as the real server does). */
  readonly namespaces: Set<string>;
  /** Current objects of a namespace, ordered by name (copies). */
  secrets(namespace: string): StoredSecret[];
  /** Expire every continue token handed out so far (what an etcd compaction does). */
  compact(): void;
  /** Answer the next matching request with this failure instead of serving it. */
  failNext(fault: InjectedFault): void;
  stop(): Promise<void>;
}

export interface FakeKubeRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** The parsed JSON body, when there was one. */
  body?: unknown;
  status: number;
  /** `reason` of the Status answered, when it was one. */
  reason?: string;
}

export interface WriteRejection {
  method: string;
  path: string;
  /** Which check refused it: the OpenAPI schema (kubernetes-models) or the API server's rules. */
  by: 'schema' | 'apiserver';
  causes: StatusCause[];
}

export interface InjectedFault {
  status: number;
  reason: string;
  message?: string;
  /** Only requests with this method; any by default. */
  method?: string;
}

/** A Secret as the fake stores and answers it. */
export interface StoredSecret {
  apiVersion: 'v1';
  kind: 'Secret';
  metadata: {
    name: string;
    namespace: string;
    uid: string;
    resourceVersion: string;
    creationTimestamp: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [field: string]: unknown;
  };
  data?: Record<string, string>;
  type: string;
  immutable?: boolean;
}

export interface KubeStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: { continue?: string };
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: { name?: string; kind?: string; uid?: string; causes?: StatusCause[] };
  code: number;
}

export interface FakeKubeApiOptions {
  /** Namespaces that exist; default `['default']`. */
  namespaces?: string[];
  token?: string;
}

/** kube-apiserver's default limit on a request body (3 MiB). */
const MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024;
const SECRETS_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/secrets(?:\/([^/]+))?\/?$/;
/** The continue token's version, as apimachinery's storage package writes it. */
const CONTINUE_VERSION = 'meta.k8s.io/v1';
const EXPIRED_MESSAGE =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

export async function startFakeKubeApi(options: FakeKubeApiOptions = {}): Promise<FakeKubeApi> {
  const fake = new FakeKubeApiServer(options.namespaces ?? ['default'], options.token ?? randomBytes(24).toString('base64url'));
  await fake.listen();
  return fake;
}

/** A write's body once decoded: defaults applied, server fields not yet set. */
type DecodedSecret = Omit<StoredSecret, 'metadata'> & { metadata: Partial<StoredSecret['metadata']> };

/** One version of an object in the revision history: the object, or null once deleted. */
interface Version {
  rv: number;
  object: StoredSecret | null;
}

class HttpFailure extends Error {
  constructor(readonly status: KubeStatus) {
    super(status.message);
  }
}

class FakeKubeApiServer implements FakeKubeApi {
  readonly requests: FakeKubeRequest[] = [];
  readonly rejectedWrites: WriteRejection[] = [];
  readonly namespaces: Set<string>;
  acceptedWrites = 0;
  private readonly server = createServer((req, res) => void this.serve(req, res));
  /** Keyed by `<namespace>/<name>`, oldest version first. */
  private readonly history = new Map<string, Version[]>();
  /** Real clusters start far from zero; so does this one, so no client assumes small numbers. */
  private revision = 4711;
  private compactedRevision = 0;
  private readonly faults: InjectedFault[] = [];
  private port = 0;

  constructor(
    namespaces: string[],
    readonly token: string,
  ) {
    this.namespaces = new Set(namespaces);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  secrets(namespace: string): StoredSecret[] {
    return this.snapshot(namespace, this.revision).map((s) => structuredClone(s));
  }

  compact(): void {
    this.compactedRevision = this.revision;
    for (const [key, versions] of this.history) {
      const latest = versions[versions.length - 1];
      if (latest.object === null) this.history.delete(key);
      else this.history.set(key, [latest]);
    }
  }

  failNext(fault: InjectedFault): void {
    this.faults.push(fault);
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const entry: FakeKubeRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      status: 0,
    };
    this.requests.push(entry);
    const reply = (code: number, answer: unknown) => {
      // What it answers must fit the schema as well; a misfit is a bug of the fake, answered as 500.
      const body = conformingAnswer(answer);
      entry.status = body === answer ? code : 500;
      if ((body as KubeStatus).kind === 'Status') entry.reason = (body as KubeStatus).reason;
      res.writeHead(entry.status, { 'content-type': 'application/json', 'audit-id': randomUUID() });
      res.end(JSON.stringify(body));
    };
    try {
      const text = await readBody(req);
      if (text !== '') {
        try {
          entry.body = JSON.parse(text);
        } catch {
          throw new HttpFailure(failure(400, 'BadRequest', 'the request body is not valid JSON'));
        }
      }
      if (req.headers.authorization !== `Bearer ${this.token}`) throw new HttpFailure(failure(401, 'Unauthorized', 'Unauthorized'));
      const faultAt = this.faults.findIndex((f) => !f.method || f.method === entry.method);
      if (faultAt >= 0) {
        const [fault] = this.faults.splice(faultAt, 1);
        throw new HttpFailure(failure(fault.status, fault.reason, fault.message ?? fault.reason));
      }
      const route = SECRETS_PATH.exec(url.pathname);
      if (!route) throw new HttpFailure(failure(404, 'NotFound', 'the server could not find the requested resource'));
      const namespace = decodeURIComponent(route[1]);
      const name = route[2] === undefined ? undefined : decodeURIComponent(route[2]);
      const [code, body] = this.route(entry.method, namespace, name, url.searchParams, entry.body);
      reply(code, body);
    } catch (err) {
      if (err instanceof HttpFailure) reply(err.status.code, err.status);
      else reply(500, failure(500, 'InternalError', `fake API server error: ${(err as Error).message}`));
    }
  }

  private route(method: string, namespace: string, name: string | undefined, query: URLSearchParams, body: unknown): [number, unknown] {
    if (name === undefined) {
      if (method === 'GET') {
        if (query.get('watch') === 'true' || query.get('watch') === '1') throw notServed('watch');
        return [200, this.list(namespace, query)];
      }
      if (method === 'POST') return [201, this.create(namespace, body)];
      throw methodNotAllowed();
    }
    switch (method) {
      case 'GET':
        return [200, this.read(namespace, name)];
      case 'PUT':
        return [200, this.replace(namespace, name, body)];
      case 'DELETE':
        return [200, this.delete(namespace, name, body)];
      default:
        throw methodNotAllowed();
    }
  }

  private create(namespace: string, body: unknown): StoredSecret {
    const input = this.decodeWrite('POST', `/api/v1/namespaces/${namespace}/secrets`, namespace, body);
    if (!this.namespaces.has(namespace))
      throw new HttpFailure(failure(404, 'NotFound', `namespaces "${namespace}" not found`, { name: namespace, kind: 'namespaces' }));
    if (input.metadata.resourceVersion)
      throw new HttpFailure(failure(500, 'InternalError', 'resourceVersion should not be set on objects to be created'));
    if (!input.metadata.name && typeof input.metadata.generateName === 'string') {
      input.metadata.name = `${input.metadata.generateName}${randomBytes(4).toString('hex').slice(0, 5)}`;
    }
    this.check('POST', namespace, input, validateSecret(input));
    const name = input.metadata.name as string;
    if (this.current(namespace, name)) {
      throw new HttpFailure(failure(409, 'AlreadyExists', `secrets "${name}" already exists`, { name, kind: 'secrets' }));
    }
    return this.store(namespace, {
      ...input,
      metadata: { ...input.metadata, name, namespace, uid: randomUUID(), resourceVersion: '', creationTimestamp: rfc3339Now() },
    });
  }

  private read(namespace: string, name: string): StoredSecret {
    const found = this.current(namespace, name);
    if (!found) throw notFound(name);
    return structuredClone(found);
  }

  private replace(namespace: string, name: string, body: unknown): StoredSecret {
    const path = `/api/v1/namespaces/${namespace}/secrets/${name}`;
    const input = this.decodeWrite('PUT', path, namespace, body);
    if (input.metadata.name !== name) {
      throw new HttpFailure(
        failure(
          400,
          'BadRequest',
          `the name of the object (${String(input.metadata.name ?? '')}) does not match the name on the URL (${name})`,
        ),
      );
    }
    const previous = this.current(namespace, name);
    // Secrets do not allow create-on-update: a PUT of a missing one is 404.
    if (!previous) throw notFound(name);
    const { uid, resourceVersion } = input.metadata;
    if (uid && uid !== previous.metadata.uid) {
      throw conflict(name, `Precondition failed: UID in precondition: ${String(uid)}, UID in object meta: ${previous.metadata.uid}`);
    }
    if (resourceVersion && resourceVersion !== previous.metadata.resourceVersion) {
      throw conflict(name, 'the object has been modified; please apply your changes to the latest version and try again');
    }
    this.check('PUT', namespace, input, validateSecretUpdate(input, previous));
    return this.store(namespace, {
      ...input,
      metadata: {
        ...input.metadata,
        name,
        namespace,
        uid: previous.metadata.uid,
        resourceVersion: '',
        creationTimestamp: previous.metadata.creationTimestamp,
      },
    });
  }

  private delete(namespace: string, name: string, body: unknown): KubeStatus {
    const previous = this.current(namespace, name);
    if (!previous) throw notFound(name);
    const preconditions = (body as { preconditions?: { uid?: string; resourceVersion?: string } } | undefined)?.preconditions;
    if (preconditions?.uid && preconditions.uid !== previous.metadata.uid) {
      throw conflict(name, `Precondition failed: UID in precondition: ${preconditions.uid}, UID in object meta: ${previous.metadata.uid}`);
    }
    if (preconditions?.resourceVersion && preconditions.resourceVersion !== previous.metadata.resourceVersion) {
      throw conflict(
        name,
        `Precondition failed: ResourceVersion in precondition: ${preconditions.resourceVersion}, ResourceVersion in object meta: ${previous.metadata.resourceVersion}`,
      );
    }
    this.revision++;
    this.versionsOf(namespace, name).push({ rv: this.revision, object: null });
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: { name, kind: 'secrets', uid: previous.metadata.uid },
      code: 200,
    };
  }

  private list(namespace: string, query: URLSearchParams): unknown {
    let selector;
    try {
      selector = parseLabelSelector(query.get('labelSelector') ?? '');
    } catch (err) {
      if (err instanceof LabelSelectorError) throw new HttpFailure(failure(400, 'BadRequest', err.message));
      throw err;
    }
    if (query.get('fieldSelector')) throw notServed('fieldSelector');
    const limitText = query.get('limit');
    const limit = limitText === null || limitText === '' ? 0 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 0) throw new HttpFailure(failure(400, 'BadRequest', `limit: Invalid value: "${limitText}"`));
    const continueToken = query.get('continue');
    let rv = this.revision;
    let after: string | undefined;
    if (continueToken) {
      if (query.get('resourceVersion'))
        throw new HttpFailure(failure(400, 'BadRequest', 'specifying resource version is not allowed when using continue'));
      const decoded = decodeContinue(continueToken);
      after = decoded.after;
      if (decoded.rv === -1) {
        rv = this.revision;
      } else if (decoded.rv < this.compactedRevision) {
        const fresh = encodeContinue(-1, decoded.after);
        throw new HttpFailure({ ...failure(410, 'Expired', EXPIRED_MESSAGE), metadata: { continue: fresh } });
      } else {
        rv = decoded.rv;
      }
    }
    const all = this.snapshot(namespace, rv).filter((s) => after === undefined || s.metadata.name > after);
    const items: StoredSecret[] = [];
    let index = 0;
    for (; index < all.length && (limit === 0 || items.length < limit); index++) {
      if (matchesLabels(selector, all[index].metadata.labels)) items.push(all[index]);
    }
    // As etcd3's lister: more keys in the range means a continue token, matching or not.
    const more = limit > 0 && index < all.length;
    const metadata: Record<string, unknown> = { resourceVersion: String(rv) };
    if (more) {
      metadata['continue'] = encodeContinue(rv, all[index - 1].metadata.name);
      if (selector.length === 0) metadata['remainingItemCount'] = all.length - index;
    }
    return {
      kind: 'SecretList',
      apiVersion: 'v1',
      metadata,
      // The items of a typed list carry no kind/apiVersion, as the real server answers.
      items: items.map(({ kind: _kind, apiVersion: _apiVersion, ...rest }) => structuredClone(rest)),
    };
  }

  /** The JSON body of a write as the API server decodes it: defaults applied, `stringData` merged into `data`. */
  private decodeWrite(method: string, path: string, namespace: string, body: unknown): DecodedSecret {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new HttpFailure(failure(400, 'BadRequest', 'the body of the request must be a JSON object'));
    }
    const raw = body as Record<string, unknown>;
    // The OpenAPI schema, through kubernetes-models: kind/apiVersion default to Secret/v1 as the
    // server defaults them from the URL; anything that does not fit the schema is refused here.
    try {
      new Secret(raw as ConstructorParameters<typeof Secret>[0]).validate();
    } catch (err) {
      const causes = schemaCauses(err);
      this.rejectedWrites.push({ method, path, by: 'schema', causes });
      throw new HttpFailure(invalidStatus(nameIn(raw), causes));
    }
    const metadata: DecodedSecret['metadata'] = { ...((raw['metadata'] as DecodedSecret['metadata'] | undefined) ?? {}) };
    if (metadata['namespace'] !== undefined && metadata['namespace'] !== namespace) {
      throw new HttpFailure(
        failure(400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request'),
      );
    }
    // Fields the server owns are dropped, never taken from a client.
    for (const field of ['selfLink', 'managedFields', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation', 'creationTimestamp'])
      delete metadata[field];
    const data: Record<string, string> = { ...((raw['data'] as Record<string, string> | undefined) ?? {}) };
    for (const [key, value] of Object.entries((raw['stringData'] as Record<string, string> | undefined) ?? {})) {
      data[key] = Buffer.from(value, 'utf8').toString('base64');
    }
    const { stringData: _stringData, data: _data, ...rest } = raw;
    return {
      ...rest,
      apiVersion: 'v1',
      kind: 'Secret',
      metadata,
      type: typeof raw['type'] === 'string' && raw['type'] !== '' ? raw['type'] : 'Opaque',
      ...(Object.keys(data).length > 0 ? { data } : {}),
    };
  }

  /** Refuses a write the API server's own rules refuse, with their causes. */
  private check(method: string, namespace: string, object: DecodedSecret, causes: StatusCause[]): void {
    if (causes.length === 0) return;
    const name = object.metadata.name ?? '';
    const path = method === 'POST' ? `/api/v1/namespaces/${namespace}/secrets` : `/api/v1/namespaces/${namespace}/secrets/${name}`;
    this.rejectedWrites.push({ method, path, by: 'apiserver', causes });
    throw new HttpFailure(invalidStatus(name, causes));
  }

  private store(namespace: string, object: StoredSecret): StoredSecret {
    this.revision++;
    const stored = structuredClone({ ...object, metadata: { ...object.metadata, resourceVersion: String(this.revision) } });
    // What is stored (server fields included) must fit the schema too: a failure is a bug here.
    new Secret(stored as ConstructorParameters<typeof Secret>[0]).validate();
    this.versionsOf(namespace, stored.metadata.name).push({ rv: this.revision, object: stored });
    this.acceptedWrites++;
    return structuredClone(stored);
  }

  private versionsOf(namespace: string, name: string): Version[] {
    const key = `${namespace}/${name}`;
    let versions = this.history.get(key);
    if (!versions) this.history.set(key, (versions = []));
    return versions;
  }

  private current(namespace: string, name: string): StoredSecret | undefined {
    const versions = this.history.get(`${namespace}/${name}`);
    return versions?.[versions.length - 1].object ?? undefined;
  }

  /** The objects of a namespace as they were at revision `rv`, ordered by name. */
  private snapshot(namespace: string, rv: number): StoredSecret[] {
    const prefix = `${namespace}/`;
    const out: StoredSecret[] = [];
    for (const [key, versions] of this.history) {
      if (!key.startsWith(prefix)) continue;
      let at: Version | undefined;
      for (const v of versions) if (v.rv <= rv) at = v;
      if (at?.object) out.push(at.object);
    }
    return out.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
  }
}

/** The answer itself when it fits its kind's schema (Secret, SecretList, Status), else a 500 Status saying why not. */
function conformingAnswer(answer: unknown): unknown {
  const kind = (answer as { kind?: unknown }).kind;
  const model = kind === 'Secret' ? Secret : kind === 'SecretList' ? SecretList : kind === 'Status' ? Status : undefined;
  try {
    if (!model) throw new Error(`unexpected kind ${String(kind)}`);
    // The API server leaves kind/apiVersion out of a list's items; kubernetes-models requires
    // them on every Secret, so the items are checked with them put back.
    const checked =
      kind === 'SecretList'
        ? { ...(answer as object), items: (answer as { items: object[] }).items.map((i) => ({ apiVersion: 'v1', kind: 'Secret', ...i })) }
        : answer;
    new model(checked as never).validate();
    return answer;
  } catch (err) {
    return failure(
      500,
      'InternalError',
      `fake API server answered a ${String(kind)} that does not fit the schema: ${(err as Error).message}`,
    );
  }
}

function failure(code: number, reason: string, message: string, details?: KubeStatus['details']): KubeStatus {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
}

function notFound(name: string): HttpFailure {
  return new HttpFailure(failure(404, 'NotFound', `secrets "${name}" not found`, { name, kind: 'secrets' }));
}

function conflict(name: string, why: string): HttpFailure {
  return new HttpFailure(failure(409, 'Conflict', `Operation cannot be fulfilled on secrets "${name}": ${why}`, { name, kind: 'secrets' }));
}

function methodNotAllowed(): HttpFailure {
  return new HttpFailure(failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource'));
}

function notServed(what: string): HttpFailure {
  return new HttpFailure(failure(400, 'BadRequest', `${what} is not served by this fake API server`));
}

/** 422 as the API server words it: `Secret "x" is invalid: <field>: <message>`, several in brackets. */
function invalidStatus(name: string, causes: StatusCause[]): KubeStatus {
  const each = causes.map((c) => `${c.field}: ${c.message}`);
  const message = `Secret "${name}" is invalid: ${each.length === 1 ? each[0] : `[${each.join(', ')}]`}`;
  return failure(422, 'Invalid', message, { name, kind: 'Secret', causes });
}

/** ajv's errors from kubernetes-models as Status causes: `/data/K` becomes `data[K]`, `/metadata/name` `metadata.name`. */
function schemaCauses(err: unknown): StatusCause[] {
  const errors = (err as { errors?: { instancePath?: string; message?: string }[] }).errors;
  if (!Array.isArray(errors) || errors.length === 0)
    return [{ reason: 'FieldValueInvalid', field: '', message: String((err as Error).message) }];
  return errors.map((e) => ({
    reason: 'FieldValueInvalid',
    field: fieldPath(e.instancePath ?? ''),
    message: `Invalid value: ${e.message ?? 'does not fit the schema'}`,
  }));
}

function fieldPath(pointer: string): string {
  const parts = pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let out = '';
  for (let i = 0; i < parts.length; i++) {
    const mapParent = i > 0 && ['data', 'stringData', 'labels', 'annotations'].includes(parts[i - 1]);
    out += mapParent ? `[${parts[i]}]` : out === '' ? parts[i] : `.${parts[i]}`;
  }
  return out;
}

function nameIn(raw: Record<string, unknown>): string {
  const name = (raw['metadata'] as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' ? name : '';
}

function rfc3339Now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** apimachinery's storage.EncodeContinue: base64url (unpadded) JSON; `start` is the next key. */
function encodeContinue(rv: number, lastName: string): string {
  return Buffer.from(JSON.stringify({ v: CONTINUE_VERSION, rv, start: `${lastName}\u0000` })).toString('base64url');
}

function decodeContinue(token: string): { rv: number; after: string } {
  let parsed: { v?: unknown; rv?: unknown; start?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as typeof parsed;
  } catch {
    throw new HttpFailure(
      failure(
        400,
        'BadRequest',
        'invalid continue token: continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
      ),
    );
  }
  if (parsed.v !== CONTINUE_VERSION || typeof parsed.rv !== 'number' || typeof parsed.start !== 'string' || parsed.start === '') {
    throw new HttpFailure(
      failure(400, 'BadRequest', 'invalid continue token: continue key is not valid: server does not recognize this encoded version'),
    );
  }
  return { rv: parsed.rv, after: parsed.start.replace(/\u0000$/, '') };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BODY_BYTES)
      throw new HttpFailure(failure(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728'));
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
