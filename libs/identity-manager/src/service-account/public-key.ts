import { createPublicKey } from 'node:crypto';
import { z } from 'zod';
import { ErrorCode } from '@dispatch/contracts';
import { DispatchError } from '@dispatch/platform';

const MIN_RSA_BITS = 2048;
const MAX_PEM_LENGTH = 16 * 1024;

/** A public key as a body carries it: PEM is checked (and canonicalised) by the domain; here only its size is bounded. */
export const publicKeySchema = z.string().min(1).max(MAX_PEM_LENGTH, 'at most 16 KiB');

/**
 * Checks a service account's public key and returns it in a canonical SPKI PEM: RSA (its tokens
 * are RS256) of at least 2048 bits. Refused keys are never stored.
 */
export function canonicalPublicKeyPem(pem: string): string {
  const refuse = (why: string) =>
    new DispatchError(
      ErrorCode.INVALID_PUBLIC_KEY,
      `publicKey ${why}; send an RSA public key of ${MIN_RSA_BITS} bits or more in PEM ("-----BEGIN PUBLIC KEY-----")`,
    );
  if (pem.length > MAX_PEM_LENGTH) throw refuse(`is longer than ${MAX_PEM_LENGTH} characters`);
  let key;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch {
    throw refuse('is not a PEM public key');
  }
  if (key.asymmetricKeyType !== 'rsa') throw refuse(`is a ${key.asymmetricKeyType ?? 'unknown'} key, not RSA`);
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) throw refuse(`has ${bits} bits`);
  return key.export({ format: 'pem', type: 'spki' }).toString();
}
