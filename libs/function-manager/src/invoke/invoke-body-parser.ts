import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { ErrorCode } from '@dispatch/contracts';
import { DispatchError } from '@dispatch/platform';
import { FUNCTION_CONFIG, type FunctionConfig } from '../function-config';

/** Where invocations arrive: the only routes that take a body of any content type. */
export const INVOKE_PREFIX = '/v1/invoke/';

/**
 * Lets the invoke route read bodies of any content type, as raw bytes up to INVOKE_BODY_LIMIT_BYTES
 * (JSON keeps the platform's parser). Every other route still refuses them with 415, as the
 * platform's parsers do: only JSON is read there.
 */
@Injectable()
export class InvokeBodyParser implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(FUNCTION_CONFIG) private readonly config: FunctionConfig,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance?.() as FastifyInstance | undefined;
    if (!fastify || fastify.hasContentTypeParser('*')) return;
    const limit = this.config.INVOKE_BODY_LIMIT_BYTES;
    fastify.addContentTypeParser('*', (request: FastifyRequest, payload: Readable, done: (err: Error | null, body?: unknown) => void) => {
      if (!request.url.startsWith(INVOKE_PREFIX)) {
        done(new DispatchError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, 'unsupported Content-Type; send application/json'));
        return;
      }
      readLimited(payload, limit).then(
        (body) => done(null, body),
        (err: Error) => done(err),
      );
    });
  }
}

/** The whole body, or PAYLOAD_TOO_LARGE as soon as it passes `limit` bytes. */
export async function readLimited(stream: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += buffer.length;
    if (size > limit) {
      stream.destroy();
      throw new DispatchError(
        ErrorCode.PAYLOAD_TOO_LARGE,
        `request body is larger than ${limit} bytes, the limit of an invocation (INVOKE_BODY_LIMIT_BYTES); send a smaller body`,
      );
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}
