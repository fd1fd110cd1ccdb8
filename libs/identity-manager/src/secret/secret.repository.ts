import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OrgScopedRepository } from '@dispatch/persistence';
import { InjectDataSource, type PageRequest } from '@dispatch/platform';
import type { RowSource } from '../persistence/named-org.repository';
import { Secret } from './secret.entity';

/** Every column but the sealed values: enough for lists and write answers. */
const SUMMARY_COLUMNS = ['id', 'org', 'name', 'status', 'reason', 'tags', 'createdTime', 'modifiedTime'] as const;

/** The sealed columns of a secret: what a write sets. */
export type SealedColumns = Pick<Secret, 'ciphertext' | 'iv' | 'authTag' | 'keyVersion' | 'tags'>;

/** The rows of the PostgreSQL secrets backend; values are sealed before they get here. */
@Injectable()
export class SecretRepository extends OrgScopedRepository<Secret> {
  constructor(@InjectDataSource('identity') private readonly source: RowSource) {
    super(source.getRepository(Secret));
  }

  async add(org: string, name: string, columns: SealedColumns): Promise<Secret> {
    return this.save(Object.assign(new Secret(), { org, name, ...columns }));
  }

  /** Replaces the sealed columns of the org's secret `name`; null when there is none. */
  async replace(org: string, name: string, columns: SealedColumns): Promise<Secret | null> {
    return this.source.transaction(async (manager: EntityManager) => {
      const rows = new SecretRepository(manager);
      const row = await rows.findOneForUpdate(org, { name });
      if (!row) return null;
      Object.assign(row, columns);
      return rows.save(row);
    });
  }

  async byName(org: string, name: string): Promise<Secret | null> {
    return this.findOne(org, { name });
  }

  /** One page of the org's secrets by name, without their values, plus one to tell whether more follow. */
  async page(org: string, page: PageRequest): Promise<Secret[]> {
    const q = this.select(org, 's').select(SUMMARY_COLUMNS.map((c) => `s.${c}`));
    if (page.after !== undefined) q.andWhere('s.name > :after', { after: page.after });
    return q
      .orderBy('s.name', 'ASC')
      .limit(page.limit + 1)
      .getMany();
  }

  /** Resolves whether there was such a secret. */
  async deleteByName(org: string, name: string): Promise<boolean> {
    return (await this.delete(org, { name })) > 0;
  }
}
