/** Defaults both implementations share, so switching between solo and cluster mode changes no timing. */
export const DEFAULT_ACK_WAIT_MS = 30_000;
export const DEFAULT_MAX_DELIVER = 10;
export const DEFAULT_REQUEST_TIMEOUT_MS = 5_000;
export const DEFAULT_CLOSE_GRACE_MS = 10_000;
/** Bound on ping(), so /readyz answers "not ready" instead of hanging with the transport. */
export const PING_TIMEOUT_MS = 3_000;
