import { DispatchError, ErrorCode } from '@dispatch/contracts';

/** How the tags of a list combine: every one (`a,b` in Kong's query) or any one (`a/b`). */
export type TagsMode = 'and' | 'or';

// Kong's tag typedef: printable characters, and neither separator of the filter syntax.
const TAG = /^[\x21-\x7e]+$/;

/** The problem with `tag` as a Kong tag, or undefined when Kong takes it. */
export function tagProblem(tag: string): string | undefined {
  if (!TAG.test(tag)) return `tag ${JSON.stringify(tag)} must be non-empty printable ASCII without spaces`;
  if (tag.includes(',') || tag.includes('/'))
    return `tag ${JSON.stringify(tag)} must not contain ',' or '/' (Kong's tag filter separators)`;
  return undefined;
}

/**
 * The `tags` query value of a list: Kong ANDs tags joined by `,` and ORs tags joined by `/`, and
 * one filter cannot mix both (admin-oss-3.9.openapi.yaml, parameter pagination-tags-filter).
 * Undefined when there is no tag to filter on.
 */
export function tagQuery(tags: readonly string[] | undefined, mode: TagsMode = 'and'): string | undefined {
  if (!tags || tags.length === 0) return undefined;
  for (const tag of tags) {
    const problem = tagProblem(tag);
    if (problem) throw new DispatchError(ErrorCode.VALIDATION_FAILED, `${problem}: give tags like dispatch, org:acme, api:hello`, { tag });
  }
  return tags.join(mode === 'or' ? '/' : ',');
}

/** Tags of an entity that a `tagQuery` filter selects, as Kong evaluates it. */
export function matchesTags(entityTags: readonly string[] | null | undefined, filter: string | undefined): boolean {
  if (!filter) return true;
  const have = new Set(entityTags ?? []);
  if (filter.includes('/')) return filter.split('/').some((t) => have.has(t));
  return filter.split(',').every((t) => have.has(t));
}
