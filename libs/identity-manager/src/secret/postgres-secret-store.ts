import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode, type Page } from '@dispatch/contracts';
import { entityBaseOf, isUniqueViolation } from '@dispatch/persistence';
import { DispatchError, pageByName, type PageRequest } from '@dispatch/platform';
import { SecretCipher } from './secret-cipher';
import type { SecretInput, SecretStore, SecretSummary, SecretWithValues } from './secret-store';
import { type SealedColumns, SecretRepository } from './secret.repository';

/**
 * Secrets as rows of identity's `secret` table, each value set sealed with AES-256-GCM under the
 * deployment's key (a fresh IV per write, bound to org/name): the database never sees plaintext,
 * so neither do its backups, its logs nor a query error's parameters.
 */
@Injectable()
export class PostgresSecretStore implements SecretStore {
  constructor(
    private readonly rows: SecretRepository,
    @Inject(SecretCipher) private readonly cipher: SecretCipher,
  ) {}

  async put(org: string, input: SecretInput, mode: 'create' | 'replace'): Promise<SecretSummary> {
    const sealed = this.cipher.seal(org, input.name, input.secrets);
    const columns: SealedColumns = {
      ciphertext: sealed.ciphertext,
      iv: sealed.iv,
      authTag: sealed.tag,
      keyVersion: sealed.keyVersion,
      tags: input.tags,
    };
    if (mode === 'create') {
      try {
        return entityBaseOf(await this.rows.add(org, input.name, columns));
      } catch (err) {
        if (isUniqueViolation(err)) {
          throw new DispatchError(
            ErrorCode.NAME_CONFLICT,
            `secret "${input.name}" already exists in this org; replace it with PUT /v1/secret/${input.name} or choose another name`,
          );
        }
        throw err;
      }
    }
    const row = await this.rows.replace(org, input.name, columns);
    if (!row) throw notFound(input.name);
    return entityBaseOf(row);
  }

  async get(org: string, name: string): Promise<SecretWithValues> {
    const row = await this.rows.byName(org, name);
    if (!row) throw notFound(name);
    const secrets = this.cipher.open(org, name, { ciphertext: row.ciphertext, iv: row.iv, tag: row.authTag, keyVersion: row.keyVersion });
    return { ...entityBaseOf(row), secrets };
  }

  async list(org: string, page: PageRequest): Promise<Page<SecretSummary>> {
    return pageByName(await this.rows.page(org, page), page.limit, entityBaseOf);
  }

  async delete(org: string, name: string): Promise<void> {
    if (!(await this.rows.deleteByName(org, name))) throw notFound(name);
  }
}

function notFound(name: string): DispatchError {
  return new DispatchError(ErrorCode.NOT_FOUND, `secret "${name}" not found`);
}
