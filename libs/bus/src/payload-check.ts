import { ErrorCode, isSubject, SUBJECT_SCHEMAS } from '@dispatch/contracts';
import type { ReplyHandler } from './bus';

/**
 * Why `data` is not a valid payload of `subject`, or undefined when it is or when the subject is
 * not one of the contracts' map (a raw subject, such as a CloudEvent's, has no schema here).
 * Handlers receive `data` itself, not the schema's output: valid traffic reaches them as sent.
 */
export function payloadProblem(subject: string, data: unknown): string | undefined {
  if (!isSubject(subject)) return undefined;
  const result = SUBJECT_SCHEMAS[subject].safeParse(data);
  if (result.success) return undefined;
  return result.error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(payload)'}: ${issue.message}`).join('; ');
}

/** A request whose payload fails its subject's schema: the requester gets it instead of an answer. */
export class BusPayloadError extends Error {
  readonly code = ErrorCode.VALIDATION_FAILED;
  constructor(subject: string, problem: string) {
    super(`invalid payload for ${subject}: ${problem}`);
    this.name = 'BusPayloadError';
  }
}

/** Runs a reply handler on a request of the concrete `subject`, or throws {@link BusPayloadError} without calling it. */
export function answerChecked<Req, Res>(
  subject: string,
  handler: ReplyHandler<Req, Res>,
  data: unknown,
  headers: Record<string, string>,
): Promise<Res> {
  const problem = payloadProblem(subject, data);
  if (problem !== undefined) return Promise.reject(new BusPayloadError(subject, problem));
  return handler(data as Req, headers);
}
