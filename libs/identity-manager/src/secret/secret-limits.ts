import { ErrorCode } from '@dispatch/contracts';
import { DispatchError } from '@dispatch/platform';

/**
 * Limits of a secret; the 4xx messages quote them:
 * - at most 64 KiB (65 536 bytes) per secret, counted as the sum of the UTF-8 bytes of every key
 *   and every value; more is 413 PAYLOAD_TOO_LARGE and nothing is stored;
 * - at most 256 keys, each matching `^[A-Za-z_][A-Za-z0-9_.-]{0,252}$` (an environment-variable
 *   style name, also a valid Kubernetes Secret data key), and string values;
 * - the secret's own name is a DNS-1123 label like every entity's (DESIGN §6).
 */
export const SECRET_MAX_BYTES = 64 * 1024;
export const SECRET_MAX_KEYS = 256;
export const SECRET_KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_.-]{0,252}$/;

/** The size a secret counts against {@link SECRET_MAX_BYTES}: UTF-8 bytes of its keys and values. */
export function secretSizeOf(values: Record<string, string>): number {
  let bytes = 0;
  for (const [key, value] of Object.entries(values)) bytes += Buffer.byteLength(key, 'utf8') + Buffer.byteLength(value, 'utf8');
  return bytes;
}

/** 413 PAYLOAD_TOO_LARGE when the secret is over 64 KiB; the message gives sizes, never contents. */
export function assertSecretSize(name: string, values: Record<string, string>): void {
  const size = secretSizeOf(values);
  if (size <= SECRET_MAX_BYTES) return;
  throw new DispatchError(
    ErrorCode.PAYLOAD_TOO_LARGE,
    `secret "${name}" is ${size} bytes (UTF-8 keys plus values); a secret holds at most ${SECRET_MAX_BYTES} bytes (64 KiB): split it into several secrets`,
    { field: 'secrets', sizeBytes: size, limitBytes: SECRET_MAX_BYTES },
  );
}
