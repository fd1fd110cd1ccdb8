import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SecretKeyring } from './secret-key';

const ALGORITHM = 'aes-256-gcm';
/** GCM's recommended nonce size; a fresh random one per write. */
export const IV_BYTES = 12;
/** The full 128-bit tag: shorter tags are refused on decryption, not just accepted. */
export const TAG_BYTES = 16;

/** A secret's key/value set as stored: nothing in it is plaintext. */
export interface SealedSecret {
  ciphertext: Buffer;
  iv: Buffer;
  tag: Buffer;
  /** Which key of the keyring sealed it. */
  keyVersion: number;
}

/** Raised when a stored secret cannot be opened. It names the secret, never its contents. */
export class SecretDecryptionError extends Error {
  constructor(org: string, name: string, why: string) {
    super(`secret "${name}" of org "${org}" cannot be decrypted: ${why}`);
    this.name = 'SecretDecryptionError';
  }
}

/**
 * The additional authenticated data: binds a ciphertext to the org and name it was written for,
 * so ciphertext copied into another row fails to decrypt instead of leaking there. Org and name
 * are DNS-1123 labels, so the `/` cannot be part of either.
 */
export function associatedDataOf(org: string, name: string): Buffer {
  return Buffer.from(`${org}/${name}`, 'utf8');
}

/** Low level: AES-256-GCM of `plaintext` under `key`, authenticated with `aad`. */
export function encrypt(key: Buffer, plaintext: Buffer, aad: Buffer): { ciphertext: Buffer; iv: Buffer; tag: Buffer } {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { ciphertext, iv, tag: cipher.getAuthTag() };
}

/** Low level: the inverse of {@link encrypt}; throws when anything (ciphertext, iv, tag, aad, key) differs. */
export function decrypt(key: Buffer, sealed: { ciphertext: Buffer; iv: Buffer; tag: Buffer }, aad: Buffer): Buffer {
  if (sealed.iv.length !== IV_BYTES) throw new Error(`the IV is ${sealed.iv.length} bytes, not ${IV_BYTES}`);
  if (sealed.tag.length !== TAG_BYTES) throw new Error(`the auth tag is ${sealed.tag.length} bytes, not ${TAG_BYTES}`);
  const decipher = createDecipheriv(ALGORITHM, key, sealed.iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.tag);
  return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
}

/** Seals and opens secrets' key/value sets with the keyring's keys, bound to their org and name. */
export class SecretCipher {
  constructor(private readonly keyring: SecretKeyring) {}

  seal(org: string, name: string, values: Record<string, string>): SealedSecret {
    const { version, key } = this.keyring.current;
    const plaintext = Buffer.from(JSON.stringify(values), 'utf8');
    try {
      return { ...encrypt(key, plaintext, associatedDataOf(org, name)), keyVersion: version };
    } finally {
      plaintext.fill(0);
    }
  }

  open(org: string, name: string, sealed: SealedSecret): Record<string, string> {
    const key = this.keyring.key(sealed.keyVersion);
    if (!key)
      throw new SecretDecryptionError(org, name, `it was written with key version ${sealed.keyVersion}, which this process does not hold`);
    let plaintext: Buffer;
    try {
      plaintext = decrypt(key, sealed, associatedDataOf(org, name));
    } catch (err) {
      // Node's message ("Unsupported state or unable to authenticate data") says nothing secret.
      throw new SecretDecryptionError(
        org,
        name,
        `wrong key, or the stored row was altered or copied from another secret (${(err as Error).message})`,
      );
    }
    try {
      const values = JSON.parse(plaintext.toString('utf8')) as unknown;
      if (!isStringMap(values)) throw new SecretDecryptionError(org, name, 'the decrypted data is not a key/value set');
      return values;
    } catch (err) {
      if (err instanceof SecretDecryptionError) throw err;
      // JSON.parse quotes the text it failed on: never pass its message along.
      throw new SecretDecryptionError(org, name, 'the decrypted data is not JSON');
    } finally {
      plaintext.fill(0);
    }
  }
}

function isStringMap(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
}
