import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { DispatchApiError } from './errors';
import type { paths } from './generated/openapi';
import type { TokenProvider } from './tokens';

export interface DispatchClientOptions {
  /** The server, e.g. `http://127.0.0.1:8080` (paths start with `/v1`). */
  baseUrl: string;
  /** A fixed bearer token. */
  token?: string;
  /** Gives the bearer token of each request (e.g. serviceAccountTokenProvider); wins over `token`. */
  tokenProvider?: TokenProvider;
  /** Headers sent on every request. */
  headers?: Record<string, string>;
  /** The fetch to use (default: the global one). */
  fetch?: typeof globalThis.fetch;
}

/** A page of a list as the API answers it (Page in libs/contracts): `nextPageToken` is absent on the last page. */
export interface Page<T> {
  items: T[];
  nextPageToken?: string;
}

type Get<P extends keyof paths> = paths[P] extends { get: infer Op } ? Op : never;
type QueryOf<Op> = Op extends { parameters: { query?: infer Q } }
  ? [NonNullable<Q>] extends [never]
    ? Record<never, never>
    : NonNullable<Q>
  : never;
type PathParamsOf<Op> = Op extends { parameters: { path?: infer Pp } } ? Pp : never;
type JsonOf<Op> = Op extends { responses: { 200: { content: { 'application/json': infer B } } } } ? B : unknown;

/** The paths whose GET pages its answer with `pageToken`. */
export type PagedPath = {
  [P in keyof paths]: [QueryOf<Get<P>>] extends [never] ? never : 'pageToken' extends keyof QueryOf<Get<P>> ? P : never;
}[keyof paths];

/** What a list's items are, as far as its documented response says (unknown while it documents none). */
export type PageItem<P extends PagedPath> = JsonOf<Get<P>> extends { items: (infer T)[] } ? T : unknown;

/** The parameters of a paged GET, but its page token, which the iterator carries from page to page. */
export type PageParams<P extends PagedPath> = (PathParamsOf<Get<P>> extends undefined | never
  ? { path?: never }
  : { path: NonNullable<PathParamsOf<Get<P>>> }) & { query?: Omit<QueryOf<Get<P>>, 'pageToken'> };

export type DispatchClient = Client<paths> & {
  /**
   * Every item of a paginated list, fetching page after page (`pageSize` sets the page size) until
   * the server's answer carries no `nextPageToken`.
   */
  pages<P extends PagedPath>(
    path: P,
    ...params: Partial<PageParams<P>> extends PageParams<P> ? [PageParams<P>?] : [PageParams<P>]
  ): AsyncIterable<PageItem<P>>;
};

/**
 * A typed client of the Dispatch API `/v1`: openapi-fetch over the types generated from the
 * server's OpenAPI document, with bearer auth on every request, and a DispatchApiError thrown for
 * every answer outside 2xx, so a call that returns has succeeded.
 */
export function createDispatchClient(options: DispatchClientOptions): DispatchClient {
  const { baseUrl, token, tokenProvider, headers } = options;
  const client = createClient<paths>({ baseUrl: baseUrl.replace(/\/+$/, ''), headers, fetch: options.fetch });

  const auth: Middleware = {
    async onRequest({ request }) {
      const bearer = tokenProvider ? await tokenProvider() : token;
      if (bearer) request.headers.set('authorization', `Bearer ${bearer}`);
      return request;
    },
    async onResponse({ response }) {
      if (!response.ok) throw await DispatchApiError.fromResponse(response);
      return undefined;
    },
  };
  client.use(auth);

  const pages = async function* (path: string, params?: { path?: Record<string, unknown>; query?: Record<string, unknown> }) {
    let pageToken: string | undefined;
    do {
      const init = { params: { path: params?.path, query: { ...params?.query, ...(pageToken ? { pageToken } : {}) } } };
      const { data } = await (client.GET as (p: string, i: unknown) => Promise<{ data?: unknown }>)(path, init);
      const page = data as Page<unknown> | undefined;
      if (!page || !Array.isArray(page.items))
        throw new DispatchApiError(
          200,
          'UNEXPECTED_RESPONSE',
          `GET ${path} did not answer a page ({items, nextPageToken})`,
          undefined,
          undefined,
        );
      yield* page.items;
      pageToken = page.nextPageToken;
    } while (pageToken);
  };

  return Object.assign(client, { pages }) as DispatchClient;
}
