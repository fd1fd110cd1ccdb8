import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { FunctionEnvelope } from '@dispatch/contracts';
import { invoke } from './invoke';
import type { UserFunction } from './load-handler';

const HEALTHY = '{"ready":true}';
const NOT_FOUND = '{"error":"not found: the shim serves POST / and GET /_/health"}';
// Longer than any client's idle timeout, so the shim never closes a kept-alive connection just
// as the provider reuses it.
const KEEP_ALIVE_MS = 65_000;

/** The shim's HTTP server and the state of its graceful stop. */
export class ShimServer {
  readonly server: Server;
  private inFlight = 0;
  private draining = false;
  private drained: (() => void) | undefined;

  constructor(private readonly fn: UserFunction) {
    this.server = createServer({ noDelay: true, keepAliveTimeout: KEEP_ALIVE_MS }, (req, res) => this.route(req, res));
    // Above the keep-alive timeout, as Node advises, so the header timer never ends a reused connection first.
    this.server.headersTimeout = KEEP_ALIVE_MS + 1_000;
  }

  /**
   * Stops accepting, lets calls in flight answer (their connections close after), and resolves
   * once none is left or after `graceMs`, with the number of calls abandoned.
   */
  drain(graceMs: number): Promise<number> {
    this.draining = true;
    this.server.close();
    this.server.closeIdleConnections();
    return new Promise((resolve) => {
      if (this.inFlight === 0) return resolve(0);
      const timer = setTimeout(() => resolve(this.inFlight), graceMs);
      this.drained = () => {
        clearTimeout(timer);
        resolve(0);
      };
    });
  }

  private route(req: IncomingMessage, res: ServerResponse): void {
    if (this.draining) res.shouldKeepAlive = false;
    if (req.method === 'POST' && (req.url === '/' || req.url?.startsWith('/?'))) return this.call(req, res);
    if (req.method === 'GET' && req.url === '/_/health') return send(res, 200, HEALTHY);
    send(res, 404, NOT_FOUND);
  }

  private call(req: IncomingMessage, res: ServerResponse): void {
    this.inFlight++;
    res.once('close', () => {
      if (--this.inFlight === 0 && this.drained) this.drained();
    });
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => {
      const envelope = parseEnvelope(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
      if (typeof envelope === 'string') return send(res, 400, JSON.stringify({ error: envelope }));
      void invoke(this.fn, envelope).then((reply) => {
        if (this.draining) res.shouldKeepAlive = false;
        send(res, 200, reply);
      });
    });
  }
}

/** The envelope, or what is wrong with it. */
export function parseEnvelope(body: Buffer): FunctionEnvelope | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (err) {
    return `the body is not JSON: ${(err as Error).message}`;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return 'the body must be a JSON object {context, payload}';
  const { context = {}, payload = null } = parsed as { context?: unknown; payload?: unknown };
  if (context === null || typeof context !== 'object' || Array.isArray(context)) return 'context must be a JSON object';
  return { context, payload };
}

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
