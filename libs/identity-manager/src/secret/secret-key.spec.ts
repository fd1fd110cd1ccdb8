import { randomBytes } from 'node:crypto';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '@dispatch/platform';
import { useTempDir } from '@dispatch/testing/temp-dir';
import {
  CURRENT_KEY_VERSION,
  decodeSecretKey,
  loadSecretKeyring as loadFromConfig,
  readOrCreateKeyFile,
  SECRET_KEY_FILE,
  secretKeyConfigSchema,
} from './secret-key';

/** As at boot: the settings checked first, then the key loaded from them. */
const loadSecretKeyring = async (env: NodeJS.ProcessEnv) => loadFromConfig(loadConfig(secretKeyConfigSchema, env));

describe('secret key loading', () => {
  const dir = useTempDir('dispatch-secret-key-', 'test');

  it('decodes base64 and base64url keys of exactly 32 bytes', () => {
    const key = randomBytes(32);
    expect(decodeSecretKey(key.toString('base64'))).toEqual({ key });
    expect(decodeSecretKey(`${key.toString('base64url')}\n`)).toEqual({ key });
  });

  it('refuses a key of the wrong length or not in base64, without repeating it', () => {
    const short = randomBytes(16).toString('base64');
    const tooShort = decodeSecretKey(short);
    expect(tooShort).toEqual({
      problem: expect.stringMatching(/32 random bytes .* decodes to 16 bytes; generate one with: openssl rand -base64 32/),
    });
    expect(JSON.stringify(tooShort)).not.toContain(short);
    expect(decodeSecretKey('not a key!')).toEqual({ problem: expect.stringMatching(/is not base64/) });
    expect(decodeSecretKey(randomBytes(33).toString('base64'))).toEqual({ problem: expect.stringMatching(/33 bytes/) });
  });

  it('takes DISPATCH_SECRET_KEY when set, as key version 1, and writes no file', async () => {
    const key = randomBytes(32);
    const keyring = await loadSecretKeyring({ DISPATCH_SECRET_KEY: key.toString('base64'), DISPATCH_HOME: dir.path });
    expect(keyring.current).toEqual({ version: CURRENT_KEY_VERSION, key });
    expect(keyring.key(CURRENT_KEY_VERSION)).toEqual(key);
    expect(keyring.key(CURRENT_KEY_VERSION + 1)).toBeUndefined();
    expect(keyring.source).toBe('DISPATCH_SECRET_KEY');
    expect(await readdir(dir.path)).toEqual([]);
  });

  it('stops the boot with a ConfigError naming DISPATCH_SECRET_KEY when its length is wrong', async () => {
    const bad = randomBytes(24).toString('base64');
    const failure = loadSecretKeyring({ DISPATCH_SECRET_KEY: bad, DISPATCH_HOME: dir.path });
    await expect(failure).rejects.toBeInstanceOf(ConfigError);
    await expect(failure).rejects.toThrow(
      /DISPATCH_SECRET_KEY: must be the base64 encoding of 32 random bytes \(AES-256\), but it decodes to 24 bytes/,
    );
    await expect(failure).rejects.not.toThrow(bad);
  });

  it('generates <DISPATCH_HOME>/secret.key once, mode 0600, when DISPATCH_SECRET_KEY is unset or empty', async () => {
    const home = join(dir.path, 'nested', 'home');
    const first = await loadSecretKeyring({ DISPATCH_HOME: home });
    const file = join(home, SECRET_KEY_FILE);
    expect(first.source).toBe(file);
    expect(first.current.key).toHaveLength(32);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(Buffer.from((await readFile(file, 'utf8')).trim(), 'base64')).toEqual(first.current.key);
    const again = await loadSecretKeyring({ DISPATCH_HOME: home, DISPATCH_SECRET_KEY: '' });
    expect(again.current.key).toEqual(first.current.key);
  });

  it('gives racing first starts the same key and leaves no temporary files', async () => {
    const file = join(dir.path, SECRET_KEY_FILE);
    const keys = await Promise.all(Array.from({ length: 8 }, () => readOrCreateKeyFile(file)));
    for (const key of keys) expect(key).toEqual(keys[0]);
    expect(await readdir(dir.path)).toEqual([SECRET_KEY_FILE]);
  });

  it('refuses a damaged key file with a message naming the file, rather than making a new key', async () => {
    const file = join(dir.path, SECRET_KEY_FILE);
    await writeFile(file, 'c2hvcnQ=\n', { mode: 0o600 });
    await expect(loadSecretKeyring({ DISPATCH_HOME: dir.path })).rejects.toThrow(
      new RegExp(`secret key file ${file} must be the base64 encoding of 32 random bytes .* decodes to 5 bytes`),
    );
    expect(await readFile(file, 'utf8')).toBe('c2hvcnQ=\n');
  });
});
