import type { FunctionFields } from '../function-deploy';
import type { SeedDocument } from './documents';
import { kindProblem, type SeedKind } from './kinds';
import type { Problem } from './problems';
import {
  dispatchApi,
  dispatchFunction,
  dispatchSecret,
  issuesOf,
  OWN_API_VERSION,
  ownApi,
  ownFunction,
  ownSecret,
  type DispatchApiDoc,
  type DispatchFunctionDoc,
  type DispatchSecretDoc,
  type OwnApiDoc,
  type OwnFunctionDoc,
  type OwnSecretDoc,
} from './schemas';

interface Located {
  name: string;
  /** Dispatch's seed format, or this platform's (`apiVersion: dispatch/v1`): the field names differ. */
  format: 'dispatch' | 'own';
  file: string;
  index: number;
  baseDir: string;
}

export interface SecretResource extends Located {
  kind: 'Secret';
  secrets: Record<string, string>;
  tags: { key: string; value: string }[];
}

export interface FunctionResource extends Located {
  kind: 'Function';
  /** The API's fields (`POST /v1/function`) but the name and the source. */
  fields: FunctionFields;
  /** As written in the document, relative to `baseDir` unless absolute. */
  sourcePath?: string;
}

export interface ApiResource extends Located {
  kind: 'API';
  /** The body of `POST /v1/api` but the name (and of `PUT /v1/api/{name}`, which replaces it whole). */
  body: Record<string, unknown>;
}

export type SeedResource = SecretResource | FunctionResource | ApiResource;

const SCHEMAS = {
  Function: { dispatch: dispatchFunction, own: ownFunction },
  Secret: { dispatch: dispatchSecret, own: ownSecret },
  API: { dispatch: dispatchApi, own: ownApi },
} as const;

/** `Function hello`, as problems and progress lines name a resource. */
export const labelOf = (r: { kind: SeedKind; name: string }) => `${r.kind} ${r.name}`;

/** A document as the resource it declares, or what is wrong with it (file, document and field named). */
export function resourceOf(doc: SeedDocument): { resource: SeedResource } | { problems: Problem[] } {
  const at = { file: doc.file, index: doc.index };
  const fail = (field: string | undefined, message: string) => ({ problems: [{ ...at, field, message }] });
  const value = doc.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return fail(undefined, 'a document must be a mapping with a kind (Function, Secret or API) and a name');
  const fields = value as Record<string, unknown>;
  if (fields.kind === undefined) return fail('kind', 'required: Function, Secret or API');
  if (typeof fields.kind !== 'string') return fail('kind', 'must be a string: Function, Secret or API');
  const refused = kindProblem(fields.kind);
  if (refused)
    return {
      problems: [
        { ...at, resource: typeof fields.name === 'string' ? `${fields.kind} ${fields.name}` : undefined, field: 'kind', message: refused },
      ],
    };
  const own = fields.apiVersion !== undefined;
  if (own && fields.apiVersion !== OWN_API_VERSION)
    return fail('apiVersion', `must be ${OWN_API_VERSION}, or left out for a document in Dispatch's seed format`);

  const kind = fields.kind as SeedKind;
  const parsed = SCHEMAS[kind][own ? 'own' : 'dispatch'].safeParse(value);
  if (!parsed.success) {
    const resource = typeof fields.name === 'string' ? `${kind} ${fields.name}` : undefined;
    return { problems: issuesOf(parsed.error).map((i) => ({ ...at, resource, field: i.field, message: i.message })) };
  }
  const located = {
    name: (parsed.data as { name: string }).name,
    format: own ? ('own' as const) : ('dispatch' as const),
    file: doc.file,
    index: doc.index,
    baseDir: doc.baseDir,
  };
  if (kind === 'Secret') {
    const data = parsed.data as DispatchSecretDoc | OwnSecretDoc;
    const secrets = 'spec' in data ? data.spec.secrets : data.secrets;
    return { resource: { kind, ...located, secrets, tags: data.tags ?? [] } };
  }
  if (kind === 'API') {
    const data = parsed.data as DispatchApiDoc | OwnApiDoc;
    return { resource: { kind, ...located, body: 'spec' in data ? ownApiBodyOf(data) : dispatchApiBodyOf(data) } };
  }
  return {
    resource: {
      kind,
      ...located,
      ...(own ? ownFunctionOf(parsed.data as OwnFunctionDoc) : dispatchFunctionOf(parsed.data as DispatchFunctionDoc)),
    },
  };
}

/** Dispatch's fields in the API's: the seed image names the runtime; `timeout` (ms) becomes whole seconds. */
function dispatchFunctionOf(doc: DispatchFunctionDoc): Pick<FunctionResource, 'fields' | 'sourcePath'> {
  const fields: FunctionFields = {
    runtime: doc.image,
    ...(doc.handler ? { handler: doc.handler } : {}),
    inputSchema: doc.schema?.in ?? null,
    outputSchema: doc.schema?.out ?? null,
    secrets: doc.secrets ?? [],
    services: doc.services ?? [],
    tags: doc.tags ?? [],
  };
  // Dispatch's 0 is no timeout; here every function has one, so 0 keeps the platform's default.
  if (doc.timeout) fields.timeoutSeconds = Math.ceil(doc.timeout / 1000);
  return { fields, sourcePath: doc.sourcePath };
}

function ownFunctionOf(doc: OwnFunctionDoc): Pick<FunctionResource, 'fields' | 'sourcePath'> {
  const { sourcePath, ...spec } = doc.spec;
  // What the document leaves out of these is none, so applying it again takes away what it no longer says.
  const fields: FunctionFields = { inputSchema: null, outputSchema: null, secrets: [], env: {}, ...spec, tags: doc.tags ?? [] };
  return { fields, sourcePath };
}

/** Dispatch's fields in the API's: `uris` are the paths; methods as Dispatch's CLI sent them, upper-cased. */
function dispatchApiBodyOf(doc: DispatchApiDoc): Record<string, unknown> {
  const { kind: _kind, name: _name, uris, methods, tags, ...rest } = doc;
  return { ...rest, paths: uris, ...(methods ? { methods: methods.map((m) => m.toUpperCase()) } : {}), tags: tags ?? [] };
}

function ownApiBodyOf(doc: OwnApiDoc): Record<string, unknown> {
  return { ...doc.spec, tags: doc.tags ?? [] };
}
