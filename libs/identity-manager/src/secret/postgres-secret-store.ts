import { Inject, Injectable } from '@nestjs/common';
import { type DataSource, MoreThan } from 'typeorm';
import { ErrorCode, type Page } from '@dispatch/contracts';
import { entityBaseOf, isUniqueViolation } from '@dispatch/persistence';
import { DispatchError, InjectDataSource, mapPage, toPage, type PageRequest } from '@dispatch/platform';
import { SecretCipher } from './secret-cipher';
import { Secret } from './secret.entity';
import type { SecretInput, SecretStore, SecretSummary, SecretWithValues } from './secret-store';

/** Every column but the sealed values: enough for lists and write answers. */
const SUMMARY_COLUMNS: (keyof Secret)[] = ['id', 'org', 'name', 'status', 'reason', 'tags', 'createdTime', 'modifiedTime'];

/**
 * Secrets as rows of identity's `secret` table, each value set sealed with AES-256-GCM under the
 * deployment's key (a fresh IV per write, bound to org/name): the database never sees plaintext,
 * so neither do its backups, its logs nor a query error's parameters.
 */
@Injectable()
export class PostgresSecretStore implements SecretStore {
  constructor(
    @InjectDataSource('identity') private readonly dataSource: DataSource,
    @Inject(SecretCipher) private readonly cipher: SecretCipher,
  ) {}

  async put(org: string, input: SecretInput, mode: 'create' | 'replace'): Promise<SecretSummary> {
    const sealed = this.cipher.seal(org, input.name, input.secrets);
    const columns = { ciphertext: sealed.ciphertext, iv: sealed.iv, authTag: sealed.tag, keyVersion: sealed.keyVersion, tags: input.tags };
    if (mode === 'create') {
      try {
        const repo = this.dataSource.getRepository(Secret);
        return entityBaseOf(await repo.save(repo.create({ org, name: input.name, ...columns })));
      } catch (err) {
        if (isUniqueViolation(err)) {
          throw new DispatchError(ErrorCode.NAME_CONFLICT, `secret "${input.name}" already exists in this org; replace it with PUT /v1/secret/${input.name} or choose another name`);
        }
        throw err;
      }
    }
    return this.dataSource.transaction(async (m) => {
      const row = await m.findOne(Secret, { where: { org, name: input.name }, lock: { mode: 'pessimistic_write' } });
      if (!row) throw notFound(input.name);
      Object.assign(row, columns);
      return entityBaseOf(await m.save(row));
    });
  }

  async get(org: string, name: string): Promise<SecretWithValues> {
    const row = await this.dataSource.getRepository(Secret).findOneBy({ org, name });
    if (!row) throw notFound(name);
    const secrets = this.cipher.open(org, name, { ciphertext: row.ciphertext, iv: row.iv, tag: row.authTag, keyVersion: row.keyVersion });
    return { ...entityBaseOf(row), secrets };
  }

  async list(org: string, page: PageRequest): Promise<Page<SecretSummary>> {
    const rows = await this.dataSource.getRepository(Secret).find({
      select: SUMMARY_COLUMNS,
      where: page.after === undefined ? { org } : { org, name: MoreThan(page.after) },
      order: { name: 'ASC' },
      take: page.limit + 1,
    });
    return mapPage(toPage(rows, page.limit, (r) => r.name), entityBaseOf);
  }

  async delete(org: string, name: string): Promise<void> {
    const result = await this.dataSource.getRepository(Secret).delete({ org, name });
    if (!result.affected) throw notFound(name);
  }
}

function notFound(name: string): DispatchError {
  return new DispatchError(ErrorCode.NOT_FOUND, `secret "${name}" not found`);
}
