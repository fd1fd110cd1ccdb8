import { randomBytes } from 'node:crypto';

export const TEST_NATS_URL = process.env['TEST_NATS_URL'] ?? 'nats://127.0.0.1:4222';

/** A namespace of its own per suite: prefixes subjects and stream names so suites never share messages. */
export function testNamespace(prefix = 't'): string {
  return `${prefix}${randomBytes(4).toString('hex')}`;
}
