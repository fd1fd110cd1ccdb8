import type { ReplyHandler } from '../bus';
import { subjectMatches } from '../subject-match';

export interface ReplyRegistration {
  subject: string;
  group: string;
  handler: ReplyHandler<unknown, unknown>;
}

/**
 * In-memory request routing of solo mode. Unlike NATS, where every queue group gets a copy and
 * the first answer wins, a request goes to exactly one handler: round robin over all matching
 * registrations, which is what callers observe anyway (one answer per request).
 */
export class ReplyRegistry {
  private readonly registrations: ReplyRegistration[] = [];
  private readonly cursors = new Map<string, number>();

  add(registration: ReplyRegistration): () => void {
    this.registrations.push(registration);
    return () => {
      const i = this.registrations.indexOf(registration);
      if (i >= 0) this.registrations.splice(i, 1);
    };
  }

  pick(subject: string): ReplyRegistration | undefined {
    const candidates = this.registrations.filter((r) => subjectMatches(r.subject, subject));
    if (candidates.length === 0) return undefined;
    const turn = this.cursors.get(subject) ?? 0;
    this.cursors.set(subject, turn + 1);
    return candidates[turn % candidates.length];
  }

  clear(): void {
    this.registrations.length = 0;
  }
}
