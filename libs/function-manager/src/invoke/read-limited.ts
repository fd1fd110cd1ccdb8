import type { Readable } from 'node:stream';
import { ErrorCode } from '@dispatch/contracts';
import { DispatchError } from '@dispatch/platform';

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
