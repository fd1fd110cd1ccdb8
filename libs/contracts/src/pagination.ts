/** One page of a list; `nextPageToken` is absent on the last page. */
export interface Page<T> {
  items: T[];
  nextPageToken?: string;
}

export const PAGE_SIZE_DEFAULT = 50;
export const PAGE_SIZE_MAX = 500;
