import axios, { type AxiosInstance, type Method } from 'axios';
import type { Logger } from 'pino';
import type { operations } from './generated/kong-admin';
import {
  collectionPath,
  segment,
  type KongAcl,
  type KongAclInput,
  type KongConsumer,
  type KongConsumerInput,
  type KongEntities,
  type KongEntityKind,
  type KongJwtSecret,
  type KongJwtSecretInput,
  type KongKeyAuth,
  type KongKeyAuthInput,
  type KongParent,
  type KongPlugin,
  type KongPluginInput,
  type KongPluginScope,
  type KongRoute,
  type KongRouteInput,
  type KongService,
  type KongServiceInput,
} from './kong-entities';
import { errorForBadBody, errorForStatus, errorForTransport, KongApiError, type KongOperation } from './kong-errors';
import { resolveOptions, type KongClientOptions, type ResolvedOptions } from './kong-options';
import { allPages, type KongPage } from './pagination';
import { tagQuery, type TagsMode } from './tag-query';

type Json200<Op> = Op extends { responses: { 200: { content: { 'application/json': infer T } } } } ? T : never;

/** `GET /`: the node's version, edition, plugins available and enabled, configuration. */
export type KongNodeInfo = Json200<operations['geInfo']>;
/** `GET /status`: the node's connections, memory and database reachability. */
export type KongNodeStatus = Json200<operations['get-status']>;

export interface ListOptions extends KongParent {
  /** Only entities carrying these tags: all of them (`tagsMode: 'and'`, the default) or any (`'or'`). */
  tags?: readonly string[];
  tagsMode?: TagsMode;
  /** Page size of this list (Kong's `size`, 1–1000); default the client's `pageSize`. */
  pageSize?: number;
}

interface Call {
  method: Method;
  path: string;
  /** The path as logs may show it: a credential's key in the path is masked. */
  logPath?: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** Statuses that mean success; the body of the first is read. */
  ok: readonly number[];
}

const JSON_TYPE = 'application/json';
const USER_AGENT = 'dispatch-kong-client';

/**
 * Typed client of the Kong Admin API (../shared/specs/kong/admin-oss-3.9.openapi.yaml), for Kong
 * 3.x in cluster mode and gateway-local's Admin API in solo mode: one client, two servers.
 *
 * Writes are `PUT /<entities>/{name}`: Kong's create-or-replace by endpoint key (a service's or
 * route's `name`, a consumer's `username`, a plugin's `instance_name`, a key-auth or jwt `key`,
 * an acl `group`), so a reconcile loop can write the wanted state again and again with the same
 * result. A PUT replaces the entity: fields not sent fall back to Kong's defaults.
 * `get*` answer undefined for an entity that does not exist; `delete*` succeed when it is already
 * gone (Kong answers 204 for a missing entity, 404 for a missing parent). `list` pages through a
 * collection, filtered by tags.
 *
 * Errors (kong-errors.ts): KongApiError for what Kong refused (status, Kong's name, message and
 * fields); KongUnavailableError (503) when Kong cannot be reached, does not answer within
 * `timeoutMs`, or answers 502/503/504. The admin token is never logged nor put in a message;
 * request bodies are never logged.
 */
export class KongAdminClient {
  private readonly target: ResolvedOptions;
  private readonly http: AxiosInstance;
  private readonly logger: Logger | undefined;

  constructor(options: KongClientOptions) {
    this.target = resolveOptions(options);
    this.logger = options.logger;
    this.http = axios.create({
      baseURL: this.target.baseUrl,
      adapter: 'http',
      httpAgent: this.target.agent,
      httpsAgent: this.target.agent,
      // The Admin API is addressed directly: an HTTP(S)_PROXY from the environment must not see
      // the admin token, and a redirect is never an Admin API answer.
      proxy: false,
      maxRedirects: 0,
      // Bodies are encoded and decoded below, and every status reaches the error mapper.
      transformRequest: [],
      transformResponse: [],
      responseType: 'arraybuffer',
      validateStatus: () => true,
      transitional: { clarifyTimeoutError: true },
      timeout: this.target.timeoutMs,
      ...(this.target.socketPath ? { socketPath: this.target.socketPath } : {}),
      headers: {
        'User-Agent': USER_AGENT,
        Accept: JSON_TYPE,
        ...(this.target.adminToken ? { 'Kong-Admin-Token': this.target.adminToken } : {}),
      },
    });
  }

  /** The Admin API URL. */
  get baseUrl(): string {
    return this.target.baseUrl;
  }

  /** `GET /`: version, edition, plugins. */
  async info(): Promise<KongNodeInfo> {
    return this.object({ action: "read Kong's node information" }, { method: 'GET', path: '/', ok: [200] });
  }

  /** `GET /status`: whether the node serves and reaches its database. */
  async status(): Promise<KongNodeStatus> {
    return this.object({ action: "read Kong's node status" }, { method: 'GET', path: '/status', ok: [200] });
  }

  // Services

  /** `PUT /services/{name}`: creates or replaces the service. */
  async upsertService(name: string, service: KongServiceInput): Promise<KongService> {
    return this.upsert(`service ${name}`, `/services/${segment('service', name)}`, service);
  }

  async getService(nameOrId: string): Promise<KongService | undefined> {
    return this.find(`service ${nameOrId}`, `/services/${segment('service', nameOrId)}`);
  }

  async deleteService(nameOrId: string): Promise<void> {
    return this.remove(`service ${nameOrId}`, `/services/${segment('service', nameOrId)}`);
  }

  // Routes

  /**
   * `PUT /routes/{name}`, or `PUT /services/{service}/routes/{name}` to attach it to a service by
   * name (the body's `service` is then set by Kong). Spread KONG_ROUTE_DEFAULTS into `route`.
   */
  async upsertRoute(name: string, route: KongRouteInput, parent: { service?: string } = {}): Promise<KongRoute> {
    const path = parent.service
      ? `/services/${segment('service', parent.service)}/routes/${segment('route', name)}`
      : `/routes/${segment('route', name)}`;
    return this.upsert(`route ${name}`, path, route);
  }

  async getRoute(nameOrId: string): Promise<KongRoute | undefined> {
    return this.find(`route ${nameOrId}`, `/routes/${segment('route', nameOrId)}`);
  }

  async deleteRoute(nameOrId: string): Promise<void> {
    return this.remove(`route ${nameOrId}`, `/routes/${segment('route', nameOrId)}`);
  }

  // Plugins

  /**
   * `PUT /plugins/{instance_name}` (global), `PUT /services/{service}/plugins/{instance_name}`
   * or `PUT /routes/{route}/plugins/{instance_name}`: creates or replaces the plugin instance
   * named `instanceName` (Kong's endpoint key of plugins). Its `config` is checked by Kong
   * against the plugin's schema.
   */
  async upsertPlugin(instanceName: string, plugin: KongPluginInput, scope: KongPluginScope = {}): Promise<KongPlugin> {
    const name = segment('plugin', instanceName);
    const path =
      'service' in scope && scope.service
        ? `/services/${segment('service', scope.service)}/plugins/${name}`
        : 'route' in scope && scope.route
          ? `/routes/${segment('route', scope.route)}/plugins/${name}`
          : `/plugins/${name}`;
    return this.upsert(`${plugin.name} plugin ${instanceName}`, path, { ...plugin, instance_name: instanceName });
  }

  async getPlugin(instanceNameOrId: string): Promise<KongPlugin | undefined> {
    return this.find(`plugin ${instanceNameOrId}`, `/plugins/${segment('plugin', instanceNameOrId)}`);
  }

  async deletePlugin(instanceNameOrId: string): Promise<void> {
    return this.remove(`plugin ${instanceNameOrId}`, `/plugins/${segment('plugin', instanceNameOrId)}`);
  }

  // Consumers

  /** `PUT /consumers/{username}`. */
  async upsertConsumer(username: string, consumer: KongConsumerInput): Promise<KongConsumer> {
    return this.upsert(`consumer ${username}`, `/consumers/${segment('consumer', username)}`, { ...consumer, username });
  }

  async getConsumer(usernameOrId: string): Promise<KongConsumer | undefined> {
    return this.find(`consumer ${usernameOrId}`, `/consumers/${segment('consumer', usernameOrId)}`);
  }

  /** Deletes the consumer and, by Kong's cascade, its credentials. */
  async deleteConsumer(usernameOrId: string): Promise<void> {
    return this.remove(`consumer ${usernameOrId}`, `/consumers/${segment('consumer', usernameOrId)}`);
  }

  // Credentials of consumers. The key is a secret: it is masked in logs and never in a message.

  /** `PUT /consumers/{consumer}/key-auth/{key}`: the consumer's API key `key`. */
  async upsertKeyAuth(consumer: string, key: string, credential: KongKeyAuthInput = {}): Promise<KongKeyAuth> {
    const base = `/consumers/${segment('consumer', consumer)}/key-auth/`;
    return this.upsert(`a key-auth key of consumer ${consumer}`, base + segment('key', key), credential, `${base}…`);
  }

  async deleteKeyAuth(consumer: string, keyOrId: string): Promise<void> {
    const base = `/consumers/${segment('consumer', consumer)}/key-auth/`;
    return this.remove(`a key-auth key of consumer ${consumer}`, base + segment('key', keyOrId), `${base}…`);
  }

  /** `PUT /consumers/{consumer}/jwt/{key}`: the consumer's JWT secret for tokens whose `iss` is `key`. */
  async upsertJwtSecret(consumer: string, key: string, credential: KongJwtSecretInput = {}): Promise<KongJwtSecret> {
    const path = `/consumers/${segment('consumer', consumer)}/jwt/${segment('key', key)}`;
    return this.upsert(`jwt secret ${key} of consumer ${consumer}`, path, credential);
  }

  async deleteJwtSecret(consumer: string, keyOrId: string): Promise<void> {
    const path = `/consumers/${segment('consumer', consumer)}/jwt/${segment('key', keyOrId)}`;
    return this.remove(`jwt secret ${keyOrId} of consumer ${consumer}`, path);
  }

  /** `PUT /consumers/{consumer}/acls/{group}`: puts the consumer in the ACL group. */
  async upsertAcl(consumer: string, group: string, acl: KongAclInput = {}): Promise<KongAcl> {
    const path = `/consumers/${segment('consumer', consumer)}/acls/${segment('group', group)}`;
    return this.upsert(`acl group ${group} of consumer ${consumer}`, path, acl);
  }

  async deleteAcl(consumer: string, groupOrId: string): Promise<void> {
    const path = `/consumers/${segment('consumer', consumer)}/acls/${segment('group', groupOrId)}`;
    return this.remove(`acl group ${groupOrId} of consumer ${consumer}`, path);
  }

  /**
   * Every entity of a collection, following Kong's `offset` page after page, optionally nested
   * (`{service}` for routes and plugins, `{route}` for plugins, `{consumer}` for credentials) and
   * filtered by tags.
   */
  list<K extends KongEntityKind>(kind: K, options: ListOptions = {}): AsyncIterable<KongEntities[K]> {
    // Checked now, so a bad call throws before the first page is asked for.
    const path = collectionPath(kind, { service: options.service, route: options.route, consumer: options.consumer });
    const tags = tagQuery(options.tags, options.tagsMode);
    const size = options.pageSize ?? this.target.pageSize;
    const op = { action: `list ${path}${tags ? ` tagged ${tags}` : ''}` };
    return allPages<KongEntities[K]>(async (offset) => {
      const page = await this.object<KongPage<KongEntities[K]>>(op, { method: 'GET', path, query: { size, tags, offset }, ok: [200] });
      if (!Array.isArray(page.data)) throw errorForBadBody(op, 'a list page without a data array', 200, this.target.baseUrl);
      return page;
    });
  }

  /** Every entity of the collection, as an array (see `list`). */
  async listAll<K extends KongEntityKind>(kind: K, options: ListOptions = {}): Promise<KongEntities[K][]> {
    const all: KongEntities[K][] = [];
    for await (const entity of this.list(kind, options)) all.push(entity);
    return all;
  }

  /** Closes the kept-alive sockets of the client's own agent (not of one passed in). */
  close(): void {
    if (this.target.ownsAgent) this.target.agent.destroy();
  }

  private upsert<T>(what: string, path: string, body: unknown, logPath?: string): Promise<T> {
    // A masked path is a credential's: Kong's errors about it are withheld too.
    return this.object<T>(
      { action: `upsert ${what}`, secret: logPath !== undefined },
      { method: 'PUT', path, logPath, body, ok: [200, 201] },
    );
  }

  private async find<T>(what: string, path: string): Promise<T | undefined> {
    try {
      return await this.object<T>({ action: `read ${what}` }, { method: 'GET', path, ok: [200] });
    } catch (err) {
      if (err instanceof KongApiError && err.isNotFound) return undefined;
      throw err;
    }
  }

  private async remove(what: string, path: string, logPath?: string): Promise<void> {
    // 404: the parent is gone, and with it what was to be deleted.
    await this.call({ action: `delete ${what}`, secret: logPath !== undefined }, { method: 'DELETE', path, logPath, ok: [204, 200, 404] });
  }

  private async object<T>(op: KongOperation, call: Call): Promise<T> {
    const { status, data } = await this.call(op, call);
    let value: unknown;
    try {
      value = JSON.parse(data.toString('utf8'));
    } catch {
      throw errorForBadBody(op, 'not JSON', status, this.target.baseUrl);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw errorForBadBody(op, 'not a JSON object', status, this.target.baseUrl);
    return value as T;
  }

  private async call(op: KongOperation, call: Call): Promise<{ status: number; data: Buffer }> {
    const headers: Record<string, string> = {};
    let data: string | undefined;
    if (call.body !== undefined) {
      data = JSON.stringify(call.body);
      headers['Content-Type'] = JSON_TYPE;
    }
    const params = call.query && Object.fromEntries(Object.entries(call.query).filter(([, v]) => v !== undefined));
    const logged = { method: call.method, path: call.logPath ?? call.path };
    const started = Date.now();
    // axios's `timeout` is the socket's idle time: a peer that drips bytes would never trip it.
    // The signal bounds the whole call, connect to last byte.
    const deadline = AbortSignal.timeout(this.target.timeoutMs);
    let res;
    try {
      res = await this.http.request<Buffer>({ method: call.method, url: call.path, params, data, headers, signal: deadline });
    } catch (caught) {
      const err = deadline.aborted ? Object.assign(new Error('deadline passed'), { code: 'ETIMEDOUT', cause: caught }) : caught;
      this.logger?.debug({ ...logged, ms: Date.now() - started, err: (err as { code?: string }).code }, 'kong admin call failed');
      throw errorForTransport(op, err, this.target.baseUrl, this.target.timeoutMs) ?? err;
    }
    this.logger?.debug({ ...logged, status: res.status, ms: Date.now() - started }, 'kong admin call');
    if (!call.ok.includes(res.status)) throw errorForStatus(op, res.status, res.data, this.target.baseUrl);
    return { status: res.status, data: res.data };
  }
}
