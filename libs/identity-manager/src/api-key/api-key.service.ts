import { Injectable } from '@nestjs/common';
import type { Tag } from '@dispatch/contracts';
import { entityBaseOf } from '@dispatch/persistence';
import { NamedOrgCollection } from '../named-org-collection';
import { assertRoleExists } from '../role/role-reference';
import { newApiKey } from './api-key-secret';
import { ApiKey } from './api-key.entity';

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
export class ApiKeyService extends NamedOrgCollection('apiKeys', apiKeyView) {
  /** The key itself is in this answer only: it is never stored nor shown again. */
  async create(org: string, body: NewApiKey): Promise<ApiKeyView & { key: string }> {
    const { key, prefix, sha256 } = newApiKey();
    const expiresAt = new Date(Date.now() + body.expiresInDays * 86_400_000);
    const created = await this.change(async (keys, tx) => {
      await assertRoleExists(tx.roles, org, body.role);
      return keys.put(
        Object.assign(new ApiKey(), { org, name: body.name, role: body.role, tags: body.tags, prefix, sha256, expiresAt, revokedAt: null }),
      );
    });
    return { ...created, key };
  }

  /** Stops the key working at once (this process) or within a refresh period (the others). */
  async revoke(org: string, name: string): Promise<ApiKeyView> {
    return this.change(async (keys) => {
      const key = await keys.lock(org, name);
      key.revokedAt ??= new Date();
      return keys.put(key);
    });
  }
}
