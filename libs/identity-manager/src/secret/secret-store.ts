import type { EntityBase, Page, Tag } from '@dispatch/contracts';
import type { PageRequest } from '@dispatch/platform';

/** Injection token of the backend secrets are kept in. */
export const SECRET_STORE = Symbol.for('dispatch.secret-store');

/** What a caller asks to store. */
export interface SecretInput {
  name: string;
  secrets: Record<string, string>;
  tags: Tag[];
}

/** A secret without its values: what lists and writes answer. */
export type SecretSummary = EntityBase;

/** A secret with its values: only `get` returns it. */
export interface SecretWithValues extends EntityBase {
  secrets: Record<string, string>;
}

/**
 * Where secrets are kept. Every method is scoped by org: another org's secret does not exist for
 * it. Failures a client caused are DispatchErrors: NAME_CONFLICT when `create` finds the name
 * taken, NOT_FOUND when `replace`, `get` or `delete` finds no such secret. Implementations never
 * put values into errors or logs.
 *
 * Backends: PostgreSQL (encrypted rows) and Kubernetes Secrets, chosen by SECRETS_BACKEND.
 */
export interface SecretStore {
  put(org: string, input: SecretInput, mode: 'create' | 'replace'): Promise<SecretSummary>;
  get(org: string, name: string): Promise<SecretWithValues>;
  /** One page by name, without values. */
  list(org: string, page: PageRequest): Promise<Page<SecretSummary>>;
  delete(org: string, name: string): Promise<void>;
}
