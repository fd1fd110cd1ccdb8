import type { Readable } from 'node:stream';
import { ErrorCode } from '@dispatch/contracts';
import { DispatchError } from '@dispatch/platform';

/**
 * The whole body, or PAYLOAD_TOO_LARGE as soon as it passes `limit` bytes. The rest is drained,
 * not cut: a client still sending would see its connection reset instead of the 413.
 */
export function readLimited(stream: Readable, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer | string) => {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
      size += buffer.length;
      if (size <= limit) {
        chunks.push(buffer);
        return;
      }
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.resume();
      reject(
        new DispatchError(
          ErrorCode.PAYLOAD_TOO_LARGE,
          `request body is larger than ${limit} bytes, the limit of an invocation (INVOKE_BODY_LIMIT_BYTES); send a smaller body`,
        ),
      );
    };
    const onEnd = () => resolve(Buffer.concat(chunks));
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('error', reject);
  });
}
