import { Inject, Injectable } from '@nestjs/common';
import type { Page } from '@dispatch/contracts';
import type { PageRequest } from '@dispatch/platform';
import { assertSecretSize } from './secret-limits';
import { SECRET_STORE, type SecretInput, type SecretStore, type SecretSummary, type SecretWithValues } from './secret-store';

/**
 * Secrets of an org, whatever backend keeps them. Limits are enforced here, before the backend
 * sees anything, so an oversized secret stores nothing; shapes were checked at the edge.
 */
@Injectable()
export class SecretsService {
  constructor(@Inject(SECRET_STORE) private readonly store: SecretStore) {}

  create(org: string, body: SecretInput): Promise<SecretSummary> {
    assertSecretSize(body.name, body.secrets);
    return this.store.put(org, body, 'create');
  }

  replace(org: string, name: string, body: Omit<SecretInput, 'name'>): Promise<SecretSummary> {
    assertSecretSize(name, body.secrets);
    return this.store.put(org, { name, ...body }, 'replace');
  }

  get(org: string, name: string): Promise<SecretWithValues> {
    return this.store.get(org, name);
  }

  list(org: string, page: PageRequest): Promise<Page<SecretSummary>> {
    return this.store.list(org, page);
  }

  delete(org: string, name: string): Promise<void> {
    return this.store.delete(org, name);
  }
}
