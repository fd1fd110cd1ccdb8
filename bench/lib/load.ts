import autocannon from 'autocannon';

export interface LoadResult {
  requestsPerSec: number;
  /** Requests answered in all. */
  requests: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

export interface LoadOptions {
  seconds: number;
  connections: number;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Send to this unix socket; the URL then gives only the path. */
  socketPath?: string;
}

/** A bounded autocannon run against a loopback URL; refuses any other host. */
export async function load(url: string, options: LoadOptions): Promise<LoadResult> {
  const host = new URL(url).hostname;
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)) throw new Error(`benchmarks target loopback only, not ${host}`);
  const result = await autocannon({
    url,
    duration: options.seconds,
    connections: options.connections,
    method: options.method ?? 'GET',
    headers: options.headers,
    body: options.body,
    ...(options.socketPath ? { socketPath: options.socketPath } : {}),
  });
  return {
    requestsPerSec: result.requests.average,
    requests: result.requests.total,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}
