import { randomUUID } from 'node:crypto';
import type { OutgoingHttpHeaders } from 'node:http';
import axios, { type AxiosInstance, type Method } from 'axios';
import type { Logger } from 'pino';
import {
  CALL_HEADER,
  ErrorCode,
  PROVIDER_FAILURES,
  type OpenFaasFunctionDeployment,
  type OpenFaasFunctionStatus,
  type OpenFaasGatewayInfo,
  type OpenFaasLogEntry,
  type ProviderFailure,
} from '@dispatch/contracts';
import { DispatchError } from '@dispatch/platform';
import type { OpenFaasBodyCheck, OpenFaasBodyKind } from './contract-checks';
import { assertFunctionName, qualifiedName } from './function-name';
import { postRaw, type RawAnswer } from './invoke-transport';
import { NdjsonError, parseLogNdjson } from './ndjson';
import { errorForBadBody, errorForStatus, errorForTransport, type ProviderOperation } from './openfaas-errors';
import { resolveOptions, type OpenFaasClientOptions, type ResolvedOptions } from './openfaas-options';

export interface InvokeOptions {
  /** Request headers for the function (Content-Type, X-Call-Id, …); names are case-insensitive. */
  headers?: Record<string, string>;
  /** Wall-clock budget of the call, from connect to the last body byte. */
  timeoutMs: number;
  signal?: AbortSignal;
}

/** The answer to a call, and what its call headers say. */
export interface InvokeResult extends RawAnswer {
  /** X-Call-Id of the answer, else the one sent (the caller's, or one generated per call). */
  callId: string;
  /** X-Duration-Seconds of the answer, when the provider timed the call. */
  durationSeconds?: number;
  /** X-Dispatch-Failure: why the provider failed the call (faas-local sets it on failed calls). */
  failure?: ProviderFailure;
}

export interface InvokeAsyncOptions {
  /** Where the provider's queue worker POSTs the result (X-Callback-Url). */
  callbackUrl: string;
  headers?: Record<string, string>;
}

export interface LogsQuery {
  /** Last lines per instance; ≤ 0 = all. */
  tail?: number;
  /** Only lines at or after this time. */
  since?: Date | string;
  /** Only this replica's lines. */
  instance?: string;
}

interface SystemRequest {
  method: Method;
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** Schema of `body`, for validateBodies. */
  bodyKind?: OpenFaasBodyKind;
  /** Statuses that mean success on this route (ENDPOINTS.md). */
  ok: readonly number[];
  /** `/healthz` does not take the gateway's credentials. */
  noAuth?: boolean;
  headers?: Record<string, string>;
}

const USER_AGENT = 'dispatch-openfaas-client';
// node:http folds answer header names to lower case.
const { callId: CALL_ID, callbackUrl: CALLBACK_URL, duration: DURATION, failure: FAILURE } = CALL_HEADER;
const JSON_TYPE = 'application/json';

/**
 * Typed client of the OpenFaaS gateway REST API (../shared/specs/openfaas/ENDPOINTS.md). The same
 * code talks to real OpenFaaS (cluster mode) and to faas-local (solo mode).
 *
 * Errors: every failure is a DispatchError from openfaas-errors.ts (see the table there).
 * `status` throws NOT_FOUND for an unknown function; `find` answers undefined instead.
 * `invoke` resolves for any HTTP status and throws only when no answer came: SERVICE_UNAVAILABLE
 * (connection failed), ProviderTimeoutError (`isProviderTimeout(err)`, details `{failure:'timeout'}`),
 * or the signal's reason when the caller aborted.
 *
 * Credentials: basic auth goes on `/system/*` only. The gateway does not ask for it on
 * `/function/*` and `/async-function/*`, and it forwards request headers to the function, so
 * sending it there would hand the gateway's admin credentials to user code.
 *
 * Transport: system routes use axios. The call routes (`invoke`, `invokeAsync`) use node:http
 * directly on the same keep-alive agent: `invoke` is the hot path (measured, see
 * invoke-transport.ts), and on both the gateway hands our request headers to user code, so they
 * carry exactly the caller's headers plus X-Call-Id / X-Callback-Url (axios would add Accept,
 * Accept-Encoding and a form Content-Type). Call `close()` at shutdown to free the sockets.
 */
export class OpenFaasClient {
  private readonly target: ResolvedOptions;
  private readonly http: AxiosInstance;
  private readonly logger: Logger | undefined;
  private readonly check: OpenFaasBodyCheck | undefined;
  /** Path of the call routes (`<prefix>/function/`), built once. */
  private readonly functionPath: string;

  constructor(options: OpenFaasClientOptions) {
    this.target = resolveOptions(options);
    this.logger = options.logger;
    this.check = options.validateBodies;
    this.functionPath = `${this.target.pathPrefix}/function/`;
    this.http = axios.create({
      baseURL: this.target.baseUrl,
      adapter: 'http',
      httpAgent: this.target.agent,
      httpsAgent: this.target.agent,
      // The gateway is addressed directly: an HTTP(S)_PROXY from the environment must not route
      // function management through a third party, and a redirect is never a gateway answer.
      proxy: false,
      maxRedirects: 0,
      // Bodies are encoded and decoded in one place below (and checked there in tests): no
      // double JSON parsing inside axios, and every status reaches the error mapper.
      transformRequest: [],
      transformResponse: [],
      responseType: 'arraybuffer',
      validateStatus: () => true,
      transitional: { clarifyTimeoutError: true },
      timeout: this.target.timeoutMs,
      ...(this.target.socketPath ? { socketPath: this.target.socketPath } : {}),
      headers: { 'User-Agent': USER_AGENT, Accept: JSON_TYPE },
    });
  }

  /** The gateway URL (without credentials). */
  get baseUrl(): string {
    return this.target.baseUrl;
  }

  /** POST /system/functions → 202 (200/201 also accepted): the deploy is accepted, not finished. */
  async deploy(deployment: OpenFaasFunctionDeployment): Promise<void> {
    assertFunctionName(deployment.service);
    const op = { action: `deploy function ${deployment.service}` };
    await this.system(op, {
      method: 'POST',
      path: '/system/functions',
      body: this.inNamespace(deployment),
      bodyKind: 'FunctionDeployment',
      ok: [200, 201, 202],
    });
  }

  /** PUT /system/functions → 200 (202 accepted); NOT_FOUND when the function is not deployed. */
  async update(deployment: OpenFaasFunctionDeployment): Promise<void> {
    assertFunctionName(deployment.service);
    const op = { action: `update function ${deployment.service}`, functionName: deployment.service };
    await this.system(op, {
      method: 'PUT',
      path: '/system/functions',
      body: this.inNamespace(deployment),
      bodyKind: 'FunctionDeployment',
      ok: [200, 202],
    });
  }

  /** DELETE /system/functions → 200 (202/204 accepted); NOT_FOUND when the function is not deployed. */
  async remove(name: string): Promise<void> {
    assertFunctionName(name);
    const body = this.target.namespace ? { functionName: name, namespace: this.target.namespace } : { functionName: name };
    await this.system(
      { action: `remove function ${name}`, functionName: name },
      { method: 'DELETE', path: '/system/functions', body, bodyKind: 'DeleteFunctionRequest', ok: [200, 202, 204] },
    );
  }

  /** GET /system/functions → 200, every function of the namespace. */
  async list(): Promise<OpenFaasFunctionStatus[]> {
    const op = { action: 'list functions' };
    const data = await this.system(op, {
      method: 'GET',
      path: '/system/functions',
      query: { namespace: this.target.namespace },
      ok: [200],
    });
    const list = this.json(op, data, 'FunctionList');
    if (!Array.isArray(list)) throw errorForBadBody(op, 'not a JSON array', this.target.baseUrl);
    return list as OpenFaasFunctionStatus[];
  }

  /** GET /system/function/{name} → 200; throws NOT_FOUND when the function is not deployed. */
  async status(name: string): Promise<OpenFaasFunctionStatus> {
    assertFunctionName(name);
    const op = { action: `read the status of function ${name}`, functionName: name };
    const data = await this.system(op, {
      method: 'GET',
      path: `/system/function/${name}`,
      query: { namespace: this.target.namespace },
      ok: [200],
    });
    return this.object<OpenFaasFunctionStatus>(op, data, 'FunctionStatus');
  }

  /** Like `status`, but undefined when the function is not deployed. */
  async find(name: string): Promise<OpenFaasFunctionStatus | undefined> {
    try {
      return await this.status(name);
    } catch (err) {
      if (err instanceof DispatchError && err.code === ErrorCode.NOT_FOUND) return undefined;
      throw err;
    }
  }

  /**
   * POST /system/scale-function/{name} → 200 or 202. The body's `namespace` is required by the
   * API; without a configured namespace it is `""`, which providers read as their default.
   */
  async scale(name: string, replicas: number): Promise<void> {
    assertFunctionName(name);
    if (!Number.isInteger(replicas) || replicas < 0) {
      throw new DispatchError(ErrorCode.VALIDATION_FAILED, `replicas must be a whole number ≥ 0, got ${replicas}`, { replicas });
    }
    const body = { serviceName: name, namespace: this.target.namespace ?? '', replicas };
    await this.system(
      { action: `scale function ${name} to ${replicas}`, functionName: name },
      { method: 'POST', path: `/system/scale-function/${name}`, body, bodyKind: 'ScaleServiceRequest', ok: [200, 202] },
    );
  }

  /** GET /system/logs (NDJSON, not followed) → the function's log lines. */
  async logs(name: string, query: LogsQuery = {}): Promise<OpenFaasLogEntry[]> {
    assertFunctionName(name);
    const op = { action: `read the logs of function ${name}`, functionName: name };
    const since = query.since instanceof Date ? query.since.toISOString() : query.since;
    const data = await this.system(op, {
      method: 'GET',
      path: '/system/logs',
      query: { name, namespace: this.target.namespace, tail: query.tail, since, instance: query.instance },
      ok: [200],
      headers: { Accept: 'application/x-ndjson' },
    });
    let entries: OpenFaasLogEntry[];
    try {
      entries = parseLogNdjson(data.toString('utf8'));
    } catch (err) {
      if (err instanceof NdjsonError) throw errorForBadBody(op, `not NDJSON: ${err.message}`, this.target.baseUrl);
      throw err;
    }
    if (this.check) for (const entry of entries) this.check('LogEntry', entry, 'response');
    return entries;
  }

  /** GET /system/info → 200, the gateway's and its provider's versions. */
  async info(): Promise<OpenFaasGatewayInfo> {
    const op = { action: 'read the gateway info' };
    return this.object<OpenFaasGatewayInfo>(op, await this.system(op, { method: 'GET', path: '/system/info', ok: [200] }), 'GatewayInfo');
  }

  /** GET /healthz → 200; throws (SERVICE_UNAVAILABLE, PROVIDER_ERROR) when the gateway is not healthy. */
  async healthz(): Promise<void> {
    await this.system({ action: 'check the gateway health' }, { method: 'GET', path: '/healthz', ok: [200], noAuth: true });
  }

  /**
   * POST /function/{name}: the hot path. Resolves with whatever the function or provider
   * answered, any status; throws only when no answer came (see the class comment).
   */
  async invoke(name: string, body: Buffer | string, options: InvokeOptions): Promise<InvokeResult> {
    assertFunctionName(name);
    const payload = typeof body === 'string' ? Buffer.from(body) : body;
    const headers = lowerCased(options.headers);
    const sentCallId = (headers[CALL_ID] as string | undefined) ?? (headers[CALL_ID] = randomUUID());
    headers['content-length'] = payload.length;
    const answer = await postRaw(
      this.target,
      { action: `call function ${name}`, functionName: name },
      this.functionPath + qualifiedName(name, this.target.namespace),
      headers,
      payload,
      options.timeoutMs,
      options.signal,
    );
    const h = answer.headers;
    const result: InvokeResult = { status: answer.status, headers: h, body: answer.body, callId: single(h[CALL_ID]) ?? sentCallId };
    const duration = single(h[DURATION]);
    if (duration !== undefined) {
      const seconds = Number(duration);
      if (Number.isFinite(seconds)) result.durationSeconds = seconds;
    }
    const failure = single(h[FAILURE]);
    if (failure !== undefined && (PROVIDER_FAILURES as readonly string[]).includes(failure)) result.failure = failure as ProviderFailure;
    return result;
  }

  /** POST /async-function/{name} with X-Callback-Url → 202: queued; answers the call's X-Call-Id. */
  async invokeAsync(name: string, body: Buffer | string, options: InvokeAsyncOptions): Promise<{ callId: string }> {
    assertFunctionName(name);
    if (!isHttpUrl(options.callbackUrl)) {
      throw new DispatchError(
        ErrorCode.VALIDATION_FAILED,
        `callbackUrl ${JSON.stringify(options.callbackUrl)} is not an http(s) URL: give an absolute http(s) URL`,
        {},
      );
    }
    const headers = lowerCased(options.headers);
    const callId = (headers[CALL_ID] as string | undefined) ?? (headers[CALL_ID] = randomUUID());
    headers[CALLBACK_URL] = options.callbackUrl;
    const payload = typeof body === 'string' ? Buffer.from(body) : body;
    headers['content-length'] = payload.length;
    const op = { action: `queue a call of function ${name}`, functionName: name };
    const path = `${this.target.pathPrefix}/async-function/${qualifiedName(name, this.target.namespace)}`;
    const answer = await postRaw(this.target, op, path, headers, payload, this.target.timeoutMs, undefined);
    if (answer.status !== 202) throw errorForStatus(op, answer.status, answer.body, this.target.baseUrl);
    return { callId: single(answer.headers[CALL_ID]) ?? callId };
  }

  /** Closes the kept-alive sockets of the client's own agent (not of one passed in). */
  close(): void {
    if (this.target.ownsAgent) this.target.agent.destroy();
  }

  private inNamespace(deployment: OpenFaasFunctionDeployment): OpenFaasFunctionDeployment {
    return this.target.namespace && deployment.namespace === undefined ? { ...deployment, namespace: this.target.namespace } : deployment;
  }

  private async system(op: ProviderOperation, req: SystemRequest): Promise<Buffer> {
    let data: string | undefined;
    const headers: Record<string, string> = { ...req.headers };
    if (req.body !== undefined) {
      if (req.bodyKind && this.check) this.check(req.bodyKind, req.body, 'request');
      data = JSON.stringify(req.body);
      headers['Content-Type'] = JSON_TYPE;
    }
    if (!req.noAuth && this.target.authorization) headers['Authorization'] = this.target.authorization;
    const started = Date.now();
    let res;
    try {
      res = await this.http.request<Buffer>({ method: req.method, url: req.path, params: req.query, data, headers });
    } catch (err) {
      this.logger?.debug(
        { method: req.method, path: req.path, ms: Date.now() - started, err: (err as { code?: string }).code },
        'openfaas call failed',
      );
      throw errorForTransport(op, err, this.target.baseUrl, this.target.timeoutMs) ?? err;
    }
    this.logger?.debug({ method: req.method, path: req.path, status: res.status, ms: Date.now() - started }, 'openfaas call');
    if (!req.ok.includes(res.status)) throw errorForStatus(op, res.status, res.data, this.target.baseUrl);
    return res.data;
  }

  private json(op: ProviderOperation, data: Buffer, kind: OpenFaasBodyKind): unknown {
    let value: unknown;
    try {
      value = JSON.parse(data.toString('utf8'));
    } catch {
      throw errorForBadBody(op, 'not JSON', this.target.baseUrl);
    }
    if (this.check) this.check(kind, value, 'response');
    return value;
  }

  private object<T>(op: ProviderOperation, data: Buffer, kind: OpenFaasBodyKind): T {
    const value = this.json(op, data, kind);
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw errorForBadBody(op, 'not a JSON object', this.target.baseUrl);
    return value as T;
  }
}

/** Header names folded to lower case, so the caller's `X-Call-Id` and ours are one header. */
function lowerCased(headers: Record<string, string> | undefined): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  if (headers) for (const name of Object.keys(headers)) out[name.toLowerCase()] = headers[name];
  return out;
}

function isHttpUrl(value: string): boolean {
  return URL.canParse(value) && /^https?:$/.test(new URL(value).protocol);
}

function single(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}
