import { NatsError } from 'nats';

/** JetStream API error codes the bus reacts to. */
export const JsErrCode = {
  StreamNotFound: 10059,
  ConsumerNotFound: 10014,
} as const;

export function isJsError(err: unknown, errCode: number): boolean {
  return err instanceof NatsError && err.api_error?.err_code === errCode;
}
