import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { baseConfigSchema } from '@dispatch/platform';

/** AES-256 takes exactly 32 bytes of key. */
export const SECRET_KEY_BYTES = 32;

/**
 * The version stored with every encrypted row. There is one key today; rotation adds a new
 * version as `current` and keeps the old ones readable until every row is re-encrypted.
 */
export const CURRENT_KEY_VERSION = 1;

/** Where solo mode keeps its generated key, inside DISPATCH_HOME. */
export const SECRET_KEY_FILE = 'secret.key';

/** The keys secrets are encrypted with: one to write with, any held one to read with. */
export interface SecretKeyring {
  readonly current: { readonly version: number; readonly key: Buffer };
  /** The key rows of `version` were written with; undefined when this process does not hold it. */
  key(version: number): Buffer | undefined;
  /** Where the current key came from, for the boot log: never the key itself. */
  readonly source: string;
}

const HOW_TO_GENERATE = 'generate one with: openssl rand -base64 32';

/** Decodes a base64 (or base64url) key and checks it is 32 bytes. The message never holds the key text. */
export function decodeSecretKey(text: string): { key: Buffer } | { problem: string } {
  const trimmed = text.trim();
  // Buffer.from(…, 'base64') skips characters it does not know; refuse them instead.
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) {
    return { problem: `must be the base64 encoding of ${SECRET_KEY_BYTES} random bytes, but it is not base64; ${HOW_TO_GENERATE}` };
  }
  const key = Buffer.from(trimmed, 'base64');
  if (key.length !== SECRET_KEY_BYTES) {
    return {
      problem: `must be the base64 encoding of ${SECRET_KEY_BYTES} random bytes (AES-256), but it decodes to ${key.length} bytes; ${HOW_TO_GENERATE}`,
    };
  }
  return { key };
}

/**
 * The settings the key is read from (DESIGN §8): `DISPATCH_SECRET_KEY` when set, else the key file
 * in `DISPATCH_HOME` (same default as every app's config).
 */
export const secretKeyConfigSchema = z.object({
  DISPATCH_HOME: baseConfigSchema.shape.DISPATCH_HOME,
  DISPATCH_SECRET_KEY: z
    .string()
    .transform((text, ctx) => {
      const decoded = decodeSecretKey(text);
      if ('key' in decoded) return decoded.key;
      ctx.addIssue({ code: 'custom', message: decoded.problem });
      return z.NEVER;
    })
    .optional(),
});

export type SecretKeyConfig = z.infer<typeof secretKeyConfigSchema>;

/**
 * Loads the key at boot, from settings already checked by {@link secretKeyConfigSchema}:
 * `DISPATCH_SECRET_KEY` when set, else `<DISPATCH_HOME>/secret.key`, generating that file
 * (mode 0600) on the first start.
 */
export async function loadSecretKeyring(config: SecretKeyConfig): Promise<SecretKeyring> {
  if (config.DISPATCH_SECRET_KEY) return keyringOf(config.DISPATCH_SECRET_KEY, 'DISPATCH_SECRET_KEY');
  const file = join(config.DISPATCH_HOME, SECRET_KEY_FILE);
  return keyringOf(await readOrCreateKeyFile(file), file);
}

function keyringOf(key: Buffer, source: string): SecretKeyring {
  const current = { version: CURRENT_KEY_VERSION, key };
  return { current, source, key: (version) => (version === current.version ? key : undefined) };
}

/**
 * Reads the key file, or creates it with a fresh random key. The new key is written to a private
 * temporary file first and then hard-linked into place, which fails if the file exists: two first
 * starts racing end up with the same key, and no reader ever sees a half-written file.
 */
export async function readOrCreateKeyFile(file: string): Promise<Buffer> {
  const existing = await readKeyFile(file);
  if (existing) return existing;
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, `${randomBytes(SECRET_KEY_BYTES).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    // The umask can only remove bits; chmod makes 0600 hold regardless of it.
    await chmod(temporary, 0o600);
    try {
      await link(temporary, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
  const key = await readKeyFile(file);
  if (!key) throw new Error(`secret key file ${file} vanished while it was being created`);
  return key;
}

async function readKeyFile(file: string): Promise<Buffer | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const decoded = decodeSecretKey(text);
  if ('key' in decoded) return decoded.key;
  throw new Error(
    `secret key file ${file} ${decoded.problem}. Restore the file from a backup (secrets encrypted with the old key cannot be read without it), or set DISPATCH_SECRET_KEY.`,
  );
}
