/** Defaults both implementations share, so switching between solo and cluster mode changes no timing. */
export const DEFAULT_ACK_WAIT_MS = 30_000;
export const DEFAULT_MAX_DELIVER = 10;
export const DEFAULT_REQUEST_TIMEOUT_MS = 5_000;
export const DEFAULT_CLOSE_GRACE_MS = 10_000;
/** Bound on ping(), so /readyz answers "not ready" instead of hanging with the transport. */
export const PING_TIMEOUT_MS = 3_000;
/** Most messages one subscription may hold at once (JetStream's default max_ack_pending is 1000). */
export const MAX_CONCURRENCY = 1000;
/** Redelivery after a handler throws waits this long, doubling with each delivery up to REDELIVERY_MAX_MS. */
export const REDELIVERY_FIRST_MS = 200;
export const REDELIVERY_MAX_MS = 30_000;
