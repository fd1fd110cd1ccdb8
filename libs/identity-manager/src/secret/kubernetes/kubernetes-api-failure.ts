/**
 * Reading failures of @kubernetes/client-node calls. The client throws an `ApiException` whose
 * `code` is the HTTP status and whose `body` is the response text, a Kubernetes `Status`
 * (`{kind: 'Status', reason, message, details, code}`); anything else thrown means no HTTP answer
 * came (connection refused, DNS, TLS, reset).
 */
export interface KubeStatusBody {
  code?: number;
  reason?: string;
  message?: string;
  details?: { name?: string; kind?: string; causes?: { reason?: string; field?: string; message?: string }[] };
  metadata?: { continue?: string };
}

export interface ApiFailure {
  httpStatus: number;
  /** The Status the server answered, when the body was one. */
  status: KubeStatusBody;
}

/** The HTTP failure inside an error thrown by a client-node API call, or undefined when there was no HTTP answer. */
export function apiFailureOf(err: unknown): ApiFailure | undefined {
  if (!(err instanceof Error)) return undefined;
  const e = err as Error & { code?: unknown; body?: unknown };
  if (typeof e.code !== 'number' || !('body' in e)) return undefined;
  let status: KubeStatusBody = {};
  if (typeof e.body === 'string') {
    try {
      const parsed = JSON.parse(e.body) as unknown;
      if (parsed && typeof parsed === 'object') status = parsed as KubeStatusBody;
    } catch {
      // Not JSON (a proxy's HTML page, say): only the HTTP status is known.
    }
  } else if (e.body && typeof e.body === 'object') {
    status = e.body as KubeStatusBody;
  }
  return { httpStatus: e.code, status };
}

/** Why no HTTP answer came: the system error code (ECONNREFUSED, ENOTFOUND, …) or the error's name. */
export function transportProblemOf(err: unknown): string {
  const e = err as { code?: unknown; errno?: unknown; cause?: { code?: unknown }; name?: unknown };
  if (typeof e?.code === 'string') return e.code;
  if (typeof e?.cause?.code === 'string') return e.cause.code;
  return typeof e?.name === 'string' ? e.name : 'unknown error';
}

/**
 * The Kubernetes API refused a call for a reason no user of Dispatch can fix: credentials,
 * RBAC, a missing namespace, an object the server found invalid. It reaches the error filter as
 * an internal error (500 to the client, logged with these fields for the operator). It carries
 * the Status's reason, message and the field paths of its causes, never the Secret's data.
 */
export class KubernetesApiError extends Error {
  constructor(
    message: string,
    readonly operation: string,
    readonly namespace: string,
    readonly objectName: string | undefined,
    readonly httpStatus: number,
    readonly reason: string | undefined,
  ) {
    super(message);
    this.name = 'KubernetesApiError';
  }
}
