import { createHash } from 'node:crypto';

const UNSAFE = /[^A-Za-z0-9_-]/g;
const PART_MAX = 48;

/**
 * Name of the durable consumer behind `subscribe(subject, {group})`. The subject is part of the
 * name so one group can hold subscriptions on several subjects, each with its own cursor. NATS
 * consumer names may not contain `.`, `*`, `>` or whitespace; the hash keeps names that only
 * differ in such characters (or in a truncated tail) apart.
 */
export function durableName(group: string, subject: string): string {
  if (!group) throw new Error('a subscription needs a non-empty group');
  const hash = createHash('sha256').update(`${group}\n${subject}`).digest('hex').slice(0, 10);
  const clean = (s: string) => s.replace(UNSAFE, '_').slice(0, PART_MAX);
  return `${clean(group)}_${clean(subject)}_${hash}`;
}
