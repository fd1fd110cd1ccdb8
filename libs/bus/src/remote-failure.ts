/** What a requester learns about a reply handler that threw: a stable code and a message. */
export interface RemoteFailure {
  code: string;
  message: string;
}

/** Keeps the handler's own error code (e.g. NOT_FOUND) so callers can map it; anything else is INTERNAL. */
export function toRemoteFailure(err: unknown): RemoteFailure {
  const code = (err as { code?: unknown } | null)?.code;
  return {
    code: typeof code === 'string' && code !== '' ? code : 'INTERNAL',
    message: err instanceof Error ? err.message : String(err),
  };
}
