/** One page of a Kong list: `offset` (and `next`) only when another page follows. */
export interface KongPage<T> {
  data: T[];
  /** The path of the next page (`/services?offset=…`), null on the last one. */
  next?: string | null;
  /** The opaque token of the next page, given back as `?offset=`. */
  offset?: string;
}

/**
 * Every item of a Kong list, page after page: each page is asked for with the `offset` the
 * previous one gave (the document: "use the value of the 'offset' field … as input here"), or,
 * from a Kong that only gives `next`, with the offset read from `next`. Stops at a page with
 * neither, and refuses an offset that repeats (a peer that would page forever).
 */
export async function* allPages<T>(fetchPage: (offset: string | undefined) => Promise<KongPage<T>>): AsyncGenerator<T> {
  const seen = new Set<string>();
  let offset: string | undefined;
  for (;;) {
    const page = await fetchPage(offset);
    yield* page.data;
    offset = page.offset ?? offsetOfNext(page.next);
    if (offset === undefined) return;
    if (seen.has(offset)) throw new Error(`Kong answered the offset ${JSON.stringify(offset)} twice: the list would never end`);
    seen.add(offset);
  }
}

/** The `offset` query parameter of a `next` path, if it has one. */
export function offsetOfNext(next: string | null | undefined): string | undefined {
  if (!next) return undefined;
  return new URL(next, 'http://kong').searchParams.get('offset') ?? undefined;
}
