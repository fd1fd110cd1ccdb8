import { ancestorsOf, canTraverse, type OsUser } from './os-user';

const postgres: OsUser = { name: 'postgres', uid: 101, gid: 104, groups: [104, 103] };

describe('canTraverse', () => {
  it('checks the owner, then group, then other search bit, like the kernel', () => {
    expect(canTraverse(postgres, { uid: 0, gid: 0, mode: 0o700 })).toBe(false);
    expect(canTraverse(postgres, { uid: 0, gid: 0, mode: 0o701 })).toBe(true);
    expect(canTraverse(postgres, { uid: 101, gid: 0, mode: 0o700 })).toBe(true);
    expect(canTraverse(postgres, { uid: 101, gid: 0, mode: 0o071 })).toBe(false);
    expect(canTraverse(postgres, { uid: 0, gid: 103, mode: 0o710 })).toBe(true);
    expect(canTraverse(postgres, { uid: 0, gid: 103, mode: 0o701 })).toBe(false);
  });
});

describe('ancestorsOf', () => {
  it('lists every directory from the root down', () => {
    expect(ancestorsOf('/root/.dispatch/postgres')).toEqual(['/', '/root', '/root/.dispatch', '/root/.dispatch/postgres']);
    expect(ancestorsOf('/')).toEqual(['/']);
  });
});
