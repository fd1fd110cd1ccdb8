import { createHash } from 'node:crypto';

/**
 * A stable bigint for pg_advisory_lock from a readable name. Every process derives the same key
 * without a shared registry; 64 hash bits make collisions with other names negligible.
 * Returned as a decimal string, the form `$1::bigint` parameters take.
 */
export function advisoryLockKey(name: string): string {
  return createHash('sha256').update(name).digest().readBigInt64BE(0).toString();
}
