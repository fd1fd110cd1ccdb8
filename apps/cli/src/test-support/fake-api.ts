import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../main';

/** A request the CLI made, as the fake API received it. */
export interface Received {
  method: string;
  url: string;
  contentType: string;
  body: Buffer;
  /** The JSON body, or the multipart form's `function` field. */
  json(): Promise<unknown>;
  /** The multipart form's files by their paths. */
  files(): Promise<Record<string, string>>;
}

export type Answer = { status: number; body?: unknown };
export type Route = (req: Received) => Answer | Promise<Answer>;

async function receive(req: IncomingMessage): Promise<Received> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const body = Buffer.concat(chunks);
  const contentType = req.headers['content-type'] ?? '';
  const form = () => new Response(body, { headers: { 'content-type': contentType } }).formData();
  return {
    method: req.method ?? '',
    url: req.url ?? '',
    contentType,
    body,
    json: async () =>
      contentType.startsWith('multipart/') ? JSON.parse(String((await form()).get('function'))) : JSON.parse(body.toString()),
    files: async () => {
      const out: Record<string, string> = {};
      for (const [field, value] of await form())
        if (field === 'files' && typeof value !== 'string') out[(value as File).name] = await (value as File).text();
      return out;
    },
  };
}

/**
 * An HTTP server standing in for the Dispatch API, and the CLI run in-process against it (a
 * context with a token in a temp config), with what it printed and the requests it made.
 */
export class FakeApi {
  readonly requests: Received[] = [];
  out = '';
  err = '';
  private server!: Server;
  private dir!: string;
  private savedConfig: string | undefined;

  constructor(private route: Route) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      void (async () => {
        const received = await receive(req);
        this.requests.push(received);
        const answer = await this.route(received);
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
      })();
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    const { port } = this.server.address() as AddressInfo;
    this.dir = await mkdtemp(join(tmpdir(), 'dispatch-cli-fake-'));
    const config = join(this.dir, 'config.json');
    const context = { name: 'fake', apiUrl: `http://127.0.0.1:${port}`, org: 'o', auth: { token: 't' } };
    await writeFile(config, JSON.stringify({ current: 'fake', contexts: [context] }));
    await chmod(config, 0o600);
    this.savedConfig = process.env.DISPATCH_CONFIG;
    process.env.DISPATCH_CONFIG = config;
    jest.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((this.out += String(c)), true));
    jest.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((this.err += String(c)), true));
  }

  async stop(): Promise<void> {
    jest.restoreAllMocks();
    process.env.DISPATCH_CONFIG = this.savedConfig;
    await new Promise((r) => this.server.close(r));
    await rm(this.dir, { recursive: true, force: true });
  }

  /** `dispatch ARGS`: its exit code. */
  cli(...args: string[]): Promise<number> {
    return run(['node', 'dispatch', ...args]);
  }

  /** The requests but the polls: what the command changed. */
  writes(): Received[] {
    return this.requests.filter((r) => r.method !== 'GET');
  }
}
