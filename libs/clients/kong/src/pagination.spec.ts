import { allPages, offsetOfNext, type KongPage } from './pagination';

describe('pagination', () => {
  function pages<T>(...all: KongPage<T>[]): { fetch: (offset: string | undefined) => Promise<KongPage<T>>; asked: (string | undefined)[] } {
    const asked: (string | undefined)[] = [];
    return {
      asked,
      fetch: async (offset) => {
        asked.push(offset);
        return all[asked.length - 1];
      },
    };
  }

  async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
    const out: T[] = [];
    for await (const x of it) out.push(x);
    return out;
  }

  it('asks for each page with the offset the previous one gave, until one has none', async () => {
    const p = pages(
      { data: [1, 2], next: '/services?offset=b2&size=2', offset: 'b2' },
      { data: [3, 4], offset: 'b4', next: '/x' },
      { data: [5], next: null },
    );
    expect(await collect(allPages(p.fetch))).toEqual([1, 2, 3, 4, 5]);
    expect(p.asked).toEqual([undefined, 'b2', 'b4']);
  });

  it('reads the offset from next when a server gives only next', async () => {
    expect(offsetOfNext('/services?size=2&offset=WyJhIl0%3D')).toBe('WyJhIl0=');
    expect(offsetOfNext(null)).toBeUndefined();
    const p = pages({ data: ['a'], next: '/routes?offset=o1' }, { data: ['b'], next: null });
    expect(await collect(allPages(p.fetch))).toEqual(['a', 'b']);
    expect(p.asked).toEqual([undefined, 'o1']);
  });

  it('stops a peer whose offsets would page forever', async () => {
    const p = pages({ data: [1], offset: 'same' }, { data: [2], offset: 'same' });
    await expect(collect(allPages(p.fetch))).rejects.toThrow('Kong answered the offset "same" twice: the list would never end');
  });
});
