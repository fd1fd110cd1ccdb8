import { Injectable } from '@nestjs/common';
import type { Page } from '@dispatch/contracts';
import { pageByName, type PageRequest } from '@dispatch/platform';
import { type AuthzChange, AuthzRepository } from './authz/authz.repository';
import type { NamedOrgRepository } from './persistence/named-org.repository';

/** The named collections of an org in the authorization snapshot, by their name in AuthzChange. */
export type CollectionKey = Exclude<keyof AuthzChange, 'organizations'>;
/** The row type of a collection. */
export type RowOf<K extends CollectionKey> = Awaited<ReturnType<AuthzChange[K]['get']>>;

/**
 * The base of the service of one named collection of an org in the authorization snapshot (roles,
 * bindings, service accounts, API keys, trusted issuers): `NamedOrgCollection('roles', roleView)`
 * answers a page of views by name, one view by name and a delete the same way for each, and
 * commits every change with the snapshot's revision (AuthzRepository.change). Each aggregate's
 * service extends it with its own create and update, where its rules live, and overrides what
 * differs. A function that makes the class, so that each service names its collection and view
 * once and needs no constructor of its own just to pass them on.
 */
export function NamedOrgCollection<K extends CollectionKey, V>(collection: K, view: (row: RowOf<K>) => V) {
  // TypeScript cannot narrow AuthzChange[K] for a K not yet known; each entry is a NamedOrgRepository of its rows.
  const rowsIn = (change: AuthzChange) => change[collection] as unknown as NamedOrgRepository<RowOf<K>>;

  @Injectable()
  abstract class Collection {
    constructor(protected readonly authz: AuthzRepository) {}

    async list(org: string, page: PageRequest): Promise<Page<V>> {
      return pageByName(await rowsIn(this.authz.rows).page(org, page), page.limit, view);
    }

    async get(org: string, name: string): Promise<V> {
      return view(await rowsIn(this.authz.rows).get(org, name));
    }

    async delete(org: string, name: string): Promise<void> {
      await this.authz.change((tx) => rowsIn(tx).removeNamed(org, name));
    }

    /** Runs `write` in an authorization change and answers the view of the row it resolves. */
    protected async change(write: (rows: AuthzChange[K], tx: AuthzChange) => Promise<RowOf<K>>): Promise<V> {
      return view(await this.authz.change((tx) => write(tx[collection], tx)));
    }
  }
  return Collection;
}
