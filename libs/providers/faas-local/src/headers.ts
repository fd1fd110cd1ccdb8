import {
  DISPATCH_HEADER_FAILURE,
  OPENFAAS_HEADER_CALL_ID,
  OPENFAAS_HEADER_CALLBACK_URL,
  OPENFAAS_HEADER_DURATION,
  OPENFAAS_HEADER_FUNCTION_NAME,
  OPENFAAS_HEADER_FUNCTION_STATUS,
} from '@dispatch/contracts';

/**
 * The gateway's headers of the contracts, in lower case: Node hands incoming names over in lower
 * case, and a name the provider adds to a worker's headers must match theirs, or both are sent.
 */
export const HEADER = {
  callId: OPENFAAS_HEADER_CALL_ID.toLowerCase(),
  callbackUrl: OPENFAAS_HEADER_CALLBACK_URL.toLowerCase(),
  duration: OPENFAAS_HEADER_DURATION.toLowerCase(),
  functionName: OPENFAAS_HEADER_FUNCTION_NAME.toLowerCase(),
  functionStatus: OPENFAAS_HEADER_FUNCTION_STATUS.toLowerCase(),
  failure: DISPATCH_HEADER_FAILURE.toLowerCase(),
} as const;
