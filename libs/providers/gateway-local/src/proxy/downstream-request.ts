import type { IncomingMessage } from 'node:http';
import type { PluginRequest } from '../plugins/plugin';

/**
 * The downstream request with its body read at most once, when a plugin asks: then the buffered
 * body is what goes upstream; otherwise the body streams straight through.
 */
export class DownstreamRequest implements PluginRequest {
  readonly method: string;
  readonly headers: IncomingMessage['headers'];
  readonly headersDistinct: IncomingMessage['headersDistinct'];
  readonly query: URLSearchParams;
  readonly clientIp: string;
  body: Buffer | undefined;
  private reading: Promise<Buffer | 'too-large'> | undefined;

  constructor(
    readonly raw: IncomingMessage,
    readonly path: string,
  ) {
    this.method = raw.method ?? 'GET';
    this.headers = raw.headers;
    this.headersDistinct = raw.headersDistinct;
    const target = raw.url ?? '/';
    const query = target.indexOf('?');
    this.query = new URLSearchParams(query === -1 ? '' : target.slice(query + 1));
    this.clientIp = raw.socket.remoteAddress ?? '';
  }

  readBody(maxBytes = Infinity): Promise<Buffer | 'too-large'> {
    this.reading ??= new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const onData = (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          this.raw.off('data', onData);
          this.raw.resume();
          resolve('too-large');
          return;
        }
        chunks.push(chunk);
      };
      this.raw.on('data', onData);
      this.raw.once('end', () => {
        this.body = Buffer.concat(chunks);
        resolve(this.body);
      });
      this.raw.once('error', reject);
    });
    return this.reading;
  }
}
