import { STATUS_CODES } from 'node:http';
import { CoreV1Api, type KubeConfig, type V1Secret } from '@kubernetes/client-node';
import { EntityStatus, ErrorCode, type Page, type Tag } from '@dispatch/contracts';
import { DispatchError, encodePageToken, type PageRequest } from '@dispatch/platform';
import type { SecretInput, SecretStore, SecretSummary, SecretWithValues } from '../secret-store';
import { apiFailureOf, KubernetesApiError, transportProblemOf } from './kubernetes-api-failure';
import { decodeListCursor, encodeListCursor, invalidToken, type ListCursor } from './list-cursor';
import {
  CREATED_TIME_ANNOTATION,
  isDispatchSecretOf,
  MODIFIED_TIME_ANNOTATION,
  orgLabelSelector,
  parseSecretObjectName,
  secretLabels,
  secretObjectName,
  TAGS_ANNOTATION,
} from './secret-naming';

export interface KubernetesSecretStoreOptions {
  /** The namespace every Dispatch secret is kept in (it must exist). */
  namespace: string;
  /** How often a replace or delete that raced another writer (409 Conflict) is tried again. Default 5. */
  conflictRetries?: number;
  /** Where transient failures (API server unreachable, 5xx, 429) are reported; they reach clients as 503. */
  logger?: { warn(obj: object, msg: string): void };
}

type Operation = 'create' | 'read' | 'replace' | 'delete' | 'list';

/**
 * Secrets as Kubernetes Secrets (cluster mode, DESIGN §2), through @kubernetes/client-node's
 * CoreV1Api: one Secret per Dispatch secret, in one namespace, named `dispatch.<org>.<name>` and
 * labelled with org and name (see secret-naming.ts for why that name cannot collide).
 *
 * - Values go into `data`, base64 of their UTF-8 bytes. Base64 is an encoding, not encryption:
 *   at rest, Secrets are as safe as etcd is. Encrypting them is the cluster's job, with an
 *   EncryptionConfiguration on the API server (a KMS provider, or aescbc/secretbox), together with
 *   RBAC that lets only Dispatch's service account read Secrets of this namespace. Unlike the
 *   PostgreSQL backend, Dispatch adds no encryption of its own here, so that functions' pods can
 *   consume the Secrets as Kubernetes does.
 * - Tags and Dispatch's created/modified times are annotations (`dispatch.io/tags` as JSON,
 *   `dispatch.io/created-time`, `dispatch.io/modified-time`); the id is the Secret's `uid`, kept
 *   across replaces.
 * - A list is one label-selected, name-ordered list call per page, mapped onto `limit`/`continue`
 *   (the pageToken carries the last name and the continue token; see list-cursor.ts).
 * - Replace and delete read the Secret first, so that a Secret Dispatch did not write (right name,
 *   wrong labels) is never touched, then write with a precondition (`resourceVersion` on replace,
 *   `uid` on delete) and retry when another writer got in between.
 * - Errors: AlreadyExists → NAME_CONFLICT; NotFound (and a Secret that is not Dispatch's) →
 *   NOT_FOUND; unreachable API server, 429 and 5xx → SERVICE_UNAVAILABLE; anything else (401,
 *   403, missing namespace, 422) → KubernetesApiError, an internal error whose message tells the
 *   operator what to fix. No error or log line carries a value: the client's exception (which
 *   holds the response body and headers) is never passed on.
 */
export class KubernetesSecretStore implements SecretStore {
  readonly namespace: string;
  private readonly api: CoreV1Api;
  private readonly conflictRetries: number;
  private readonly logger: KubernetesSecretStoreOptions['logger'];

  constructor(kubeConfig: KubeConfig, options: KubernetesSecretStoreOptions) {
    this.api = kubeConfig.makeApiClient(CoreV1Api);
    this.namespace = options.namespace;
    this.conflictRetries = options.conflictRetries ?? 5;
    this.logger = options.logger;
  }

  async put(org: string, input: SecretInput, mode: 'create' | 'replace'): Promise<SecretSummary> {
    const objectName = secretObjectName(org, input.name);
    const data = encodeValues(input.secrets);
    if (mode === 'create') {
      const now = new Date().toISOString();
      const body: V1Secret = {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: objectName, labels: secretLabels(org, input.name), annotations: dispatchAnnotations(input.tags, now, now) },
        type: 'Opaque',
        data,
      };
      try {
        return summaryOf(await this.api.createNamespacedSecret({ namespace: this.namespace, body }), org, input.name);
      } catch (err) {
        if (apiFailureOf(err)?.status.reason === 'AlreadyExists') {
          throw new DispatchError(
            ErrorCode.NAME_CONFLICT,
            `secret "${input.name}" already exists in this org; replace it with PUT /v1/secret/${input.name} or choose another name`,
          );
        }
        throw this.failure(err, 'create', objectName);
      }
    }
    for (let attempt = 0; ; attempt++) {
      const current = await this.readOwned(org, input.name, objectName);
      const meta = current.metadata ?? {};
      const now = new Date().toISOString();
      const created = meta.annotations?.[CREATED_TIME_ANNOTATION] ?? meta.creationTimestamp?.toISOString() ?? now;
      // Everything else on the object (other labels and annotations, owner references) is kept;
      // managedFields left out are kept by the server. resourceVersion makes the write conditional.
      const { managedFields: _managedFields, ...keptMeta } = meta;
      const body: V1Secret = {
        ...current,
        metadata: {
          ...keptMeta,
          labels: { ...meta.labels, ...secretLabels(org, input.name) },
          annotations: { ...meta.annotations, ...dispatchAnnotations(input.tags, created, now) },
        },
        data,
      };
      delete body.stringData;
      try {
        return summaryOf(await this.api.replaceNamespacedSecret({ name: objectName, namespace: this.namespace, body }), org, input.name);
      } catch (err) {
        const failure = apiFailureOf(err);
        if (failure?.httpStatus === 404) throw notFound(input.name);
        if (failure?.status.reason === 'Conflict' && attempt < this.conflictRetries) continue;
        throw this.failure(err, 'replace', objectName);
      }
    }
  }

  async get(org: string, name: string): Promise<SecretWithValues> {
    const secret = await this.readOwned(org, name, secretObjectName(org, name));
    return { ...summaryOf(secret, org, name), secrets: decodeValues(secret.data) };
  }

  async list(org: string, page: PageRequest): Promise<Page<SecretSummary>> {
    const cursor: ListCursor | undefined = page.after === undefined ? undefined : decodeListCursor(page.after);
    const selector = orgLabelSelector(org);
    const items: SecretSummary[] = [];
    let from = cursor?.continue;
    let next: ListCursor | undefined;
    chunks: for (;;) {
      // A full page asks for one more item, only to learn whether another page exists.
      const chunk = await this.listChunk(selector, items.length < page.limit ? page.limit - items.length : 1, from);
      for (const secret of chunk.items) {
        const own = parseSecretObjectName(secret.metadata?.name ?? '');
        // Only Dispatch's own objects of this org (name and labels agree), and only those after
        // the cursor (the server's order is name order: one org's names share `dispatch.<org>.`).
        if (!own || own.org !== org || !isDispatchSecretOf(secret.metadata?.labels, org, own.name) || (cursor && own.name <= cursor.last))
          continue;
        if (items.length === page.limit) {
          // There is more: the next page resumes where this chunk started and skips what was served.
          next = { last: items[items.length - 1].name, ...(chunk.startedFrom ? { continue: chunk.startedFrom } : {}) };
          break chunks;
        }
        items.push(summaryOf(secret, org, own.name));
      }
      if (!chunk.continueToken) break;
      from = chunk.continueToken;
    }
    return next ? { items, nextPageToken: encodePageToken(encodeListCursor(next)) } : { items };
  }

  async delete(org: string, name: string): Promise<void> {
    const objectName = secretObjectName(org, name);
    for (let attempt = 0; ; attempt++) {
      const current = await this.readOwned(org, name, objectName);
      try {
        await this.api.deleteNamespacedSecret({
          name: objectName,
          namespace: this.namespace,
          body: { preconditions: { uid: current.metadata?.uid } },
        });
        return;
      } catch (err) {
        const failure = apiFailureOf(err);
        if (failure?.httpStatus === 404) throw notFound(name);
        if (failure?.status.reason === 'Conflict' && attempt < this.conflictRetries) continue;
        throw this.failure(err, 'delete', objectName);
      }
    }
  }

  /** The Secret, when it exists and Dispatch wrote it for this org and name; NOT_FOUND otherwise. */
  private async readOwned(org: string, name: string, objectName: string): Promise<V1Secret> {
    let secret: V1Secret;
    try {
      secret = await this.api.readNamespacedSecret({ name: objectName, namespace: this.namespace });
    } catch (err) {
      if (apiFailureOf(err)?.httpStatus === 404) throw notFound(name);
      throw this.failure(err, 'read', objectName);
    }
    if (!isDispatchSecretOf(secret.metadata?.labels, org, name)) throw notFound(name);
    return secret;
  }

  /** One list call. An expired continue token (410) resumes from the token the server offers, or from the start. */
  private async listChunk(
    labelSelector: string,
    limit: number,
    from: string | undefined,
  ): Promise<{ items: V1Secret[]; continueToken?: string; startedFrom?: string }> {
    try {
      const list = await this.api.listNamespacedSecret({
        namespace: this.namespace,
        labelSelector,
        limit,
        ...(from ? { _continue: from } : {}),
      });
      return { items: list.items, continueToken: list.metadata?._continue || undefined, startedFrom: from };
    } catch (err) {
      const failure = apiFailureOf(err);
      if (from !== undefined && failure?.httpStatus === 410) {
        // The offered token resumes at the same place, without the snapshot guarantee; names
        // already served are skipped by the caller either way.
        return this.listChunk(labelSelector, limit, failure.status.metadata?.continue || undefined);
      }
      // A continue token the server cannot read came from a forged or mangled pageToken.
      if (from !== undefined && failure?.httpStatus === 400) throw invalidToken();
      throw this.failure(err, 'list', undefined);
    }
  }

  /** What a failed call becomes: see the class comment. */
  private failure(err: unknown, operation: Operation, objectName: string | undefined): Error {
    if (err instanceof DispatchError) return err;
    const where = `namespace "${this.namespace}"`;
    const target = objectName ? `secret "${objectName}" in ${where}` : `secrets in ${where}`;
    const failure = apiFailureOf(err);
    if (!failure) {
      const problem = transportProblemOf(err);
      this.logger?.warn({ operation, namespace: this.namespace, objectName, problem }, 'Kubernetes API server unreachable');
      return new DispatchError(
        ErrorCode.SERVICE_UNAVAILABLE,
        'the secrets backend (the Kubernetes API server) cannot be reached; try again later',
      );
    }
    const { httpStatus, status } = failure;
    const reason = status.reason ?? STATUS_CODES[httpStatus]?.replace(/ /g, '') ?? `HTTP ${httpStatus}`;
    if (httpStatus === 429 || httpStatus >= 500) {
      this.logger?.warn(
        { operation, namespace: this.namespace, objectName, httpStatus, reason },
        'Kubernetes API server failed a secrets call',
      );
      return new DispatchError(
        ErrorCode.SERVICE_UNAVAILABLE,
        'the secrets backend (the Kubernetes API server) is not available; try again later',
      );
    }
    let hint: string;
    if (httpStatus === 401) {
      hint = 'the API server refused the credentials: check the kubeconfig or the pod service account token';
    } else if (httpStatus === 403) {
      hint = `Dispatch's service account needs get, list, create, update and delete on secrets in ${where} (a Role and RoleBinding): ${status.message ?? ''}`;
    } else if (httpStatus === 404 && status.details?.kind === 'namespaces') {
      hint = `${where} does not exist: create it, or set SECRETS_NAMESPACE to an existing one`;
    } else if (httpStatus === 422) {
      // Field paths and reasons only: a Status message quotes offending values.
      const fields = (status.details?.causes ?? []).map((c) => `${c.field ?? '?'} (${c.reason ?? 'invalid'})`).join(', ');
      hint = `the API server found the Secret invalid${fields ? `: ${fields}` : ''}`;
    } else {
      hint = status.message ?? 'no further detail';
    }
    return new KubernetesApiError(
      `Kubernetes API answered ${httpStatus} ${reason} to ${operation} of ${target}: ${hint}`,
      operation,
      this.namespace,
      objectName,
      httpStatus,
      status.reason,
    );
  }
}

function notFound(name: string): DispatchError {
  return new DispatchError(ErrorCode.NOT_FOUND, `secret "${name}" not found`);
}

function encodeValues(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, Buffer.from(value, 'utf8').toString('base64')]));
}

function decodeValues(data: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(data ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64').toString('utf8')]));
}

function dispatchAnnotations(tags: Tag[], created: string, modified: string): Record<string, string> {
  return { [TAGS_ANNOTATION]: JSON.stringify(tags), [CREATED_TIME_ANNOTATION]: created, [MODIFIED_TIME_ANNOTATION]: modified };
}

function summaryOf(secret: V1Secret, org: string, name: string): SecretSummary {
  const meta = secret.metadata ?? {};
  const created = meta.annotations?.[CREATED_TIME_ANNOTATION] ?? meta.creationTimestamp?.toISOString() ?? '';
  return {
    id: meta.uid ?? '',
    name,
    org,
    createdTime: created,
    modifiedTime: meta.annotations?.[MODIFIED_TIME_ANNOTATION] ?? created,
    status: EntityStatus.READY,
    reason: [],
    tags: tagsOf(meta.annotations?.[TAGS_ANNOTATION]),
  };
}

/** The tags annotation, when it is what Dispatch wrote; an edited, unreadable one counts as no tags. */
function tagsOf(annotation: string | undefined): Tag[] {
  if (!annotation) return [];
  try {
    const parsed = JSON.parse(annotation) as unknown;
    if (Array.isArray(parsed) && parsed.every((t) => typeof t?.key === 'string' && typeof t?.value === 'string')) {
      return parsed.map((t: Tag) => ({ key: t.key, value: t.value }));
    }
  } catch {
    // fall through
  }
  return [];
}
