import { Injectable } from '@nestjs/common';
import type { Page, Tag } from '@dispatch/contracts';
import { entityBaseOf } from '@dispatch/persistence';
import { mapPage, toPage, type PageRequest } from '@dispatch/platform';
import { AuthzRepository } from '../authz/authz.repository';
import { assertRoleExists } from '../role/role-reference';
import { newApiKey } from './api-key-secret';
import { ApiKey } from './api-key.entity';
import { ApiKeyRepository } from './api-key.repository';

export interface NewApiKey {
  name: string;
  role: string;
  expiresInDays: number;
  tags: Tag[];
}

const apiKeyView = (k: ApiKey) => ({
  ...entityBaseOf(k),
  role: k.role,
  prefix: k.prefix,
  expiresTime: k.expiresAt?.toISOString() ?? null,
  revokedTime: k.revokedAt?.toISOString() ?? null,
});
export type ApiKeyView = ReturnType<typeof apiKeyView>;

/** API keys of an org: each acts with one role, until it expires or is revoked. */
@Injectable()
export class ApiKeyService {
  constructor(
    private readonly authz: AuthzRepository,
    private readonly keys: ApiKeyRepository,
  ) {}

  /** The key itself is in this answer only: it is never stored nor shown again. */
  async create(org: string, body: NewApiKey): Promise<ApiKeyView & { key: string }> {
    const { key, prefix, sha256 } = newApiKey();
    const expiresAt = new Date(Date.now() + body.expiresInDays * 86_400_000);
    const saved = await this.authz.change(async (tx) => {
      await assertRoleExists(tx.roles, org, body.role);
      return tx.apiKeys.put(
        Object.assign(new ApiKey(), { org, name: body.name, role: body.role, tags: body.tags, prefix, sha256, expiresAt, revokedAt: null }),
      );
    });
    return { ...apiKeyView(saved), key };
  }

  async list(org: string, page: PageRequest): Promise<Page<ApiKeyView>> {
    return mapPage(
      toPage(await this.keys.page(org, page), page.limit, (k) => k.name),
      apiKeyView,
    );
  }

  async get(org: string, name: string): Promise<ApiKeyView> {
    return apiKeyView(await this.keys.get(org, name));
  }

  /** Stops the key working at once (this process) or within a refresh period (the others). */
  async revoke(org: string, name: string): Promise<ApiKeyView> {
    return apiKeyView(
      await this.authz.change(async (tx) => {
        const key = await tx.apiKeys.lock(org, name);
        key.revokedAt ??= new Date();
        return tx.apiKeys.put(key);
      }),
    );
  }

  async delete(org: string, name: string): Promise<void> {
    await this.authz.change((tx) => tx.apiKeys.removeNamed(org, name));
  }
}
