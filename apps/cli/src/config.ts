import { chmod, mkdir, open, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** The IdP a context logged in to with the device flow, and how to refresh its token. */
export interface OidcSession {
  issuer: string;
  clientId: string;
  audience: string;
  refreshToken?: string;
  /** When `token` expires, in ms since the epoch. */
  expiresAt?: number;
}

/**
 * How a context authenticates: a service account's key (tokens signed per request), a fixed token,
 * or a token from an IdP's device flow (`oidc`), refreshed when it expires.
 */
export type ContextAuth = { serviceAccount: { name: string; privateKeyPem: string } } | { token: string; oidc?: OidcSession };

export interface Context {
  name: string;
  apiUrl: string;
  org: string;
  auth: ContextAuth;
}

/** `~/.dispatch/config.json`: every context and the current one. */
export interface CliConfigFile {
  current?: string;
  contexts: Context[];
  /**
   * Other fields of the file, kept as they are: by default solo mode's DISPATCH_HOME/config.json is
   * this same file, and solo's credentials (apiUrl, organization, serviceAccount, privateKey) live beside the contexts.
   */
  [other: string]: unknown;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** The config file: `DISPATCH_CONFIG`, else `~/.dispatch/config.json`. */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.DISPATCH_CONFIG || join(homedir(), '.dispatch', 'config.json');
}

/**
 * Reads the config file; a missing file is an empty config. A file others can read or write holds
 * credentials anyone on the machine could take: its mode is repaired to 0600 before it is read.
 */
export async function loadConfig(path = configPath()): Promise<CliConfigFile> {
  let mode: number;
  try {
    mode = (await stat(path)).mode & 0o777;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { contexts: [] };
    throw e;
  }
  if (mode & 0o077) {
    await chmod(path, 0o600);
    process.stderr.write(`warning: ${path} had mode ${mode.toString(8).padStart(4, '0')}; changed to 0600\n`);
  }
  return parseConfig(await readFile(path, 'utf8'), path);
}

/** Validates the file's JSON; a broken file is named rather than overwritten. */
export function parseConfig(text: string, path: string): CliConfigFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigError(`${path} is not JSON: fix or remove it, then run dispatch login`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ConfigError(`${path} does not hold a JSON object`);
  // A file solo mode wrote has no contexts yet.
  const p = { ...(parsed as Partial<CliConfigFile>), contexts: (parsed as Partial<CliConfigFile>).contexts ?? [] };
  if (!Array.isArray(p.contexts)) throw new ConfigError(`${path}: "contexts" is not an array`);
  for (const [i, c] of (p.contexts as Context[]).entries()) {
    if (!c || typeof c.name !== 'string' || typeof c.apiUrl !== 'string' || typeof c.org !== 'string' || !c.auth)
      throw new ConfigError(`${path}: context ${i} needs name, apiUrl, org and auth`);
  }
  return { ...p, current: typeof p.current === 'string' ? p.current : undefined, contexts: p.contexts as Context[] };
}

/** Writes the config with mode 0600 (aside, then renamed, so a crash never leaves half a key). */
export async function saveConfig(config: CliConfigFile, path = configPath()): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, path);
}

/** Adds or replaces a context by name and makes it current. */
export function upsertContext(config: CliConfigFile, context: Context): CliConfigFile {
  return { ...config, current: context.name, contexts: [...config.contexts.filter((c) => c.name !== context.name), context] };
}

/** The context to use: `name` when given, else the current one. */
export function currentContext(config: CliConfigFile, name?: string): Context | undefined {
  const wanted = name ?? config.current;
  return config.contexts.find((c) => c.name === wanted);
}

/** A lock older than this was left by a process that died holding it. */
const LOCK_STALE_MS = 30_000;
const LOCK_WAIT_MS = 15_000;

/**
 * Runs `work` while holding `<config>.lock` (created exclusively), so CLI processes sharing the
 * file take turns at a read-change-write of it. A lock left by a dead process is taken over once stale.
 */
export async function withConfigLock<T>(work: () => Promise<T>, path = configPath()): Promise<T> {
  const lock = `${path}.lock`;
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      await (await open(lock, 'wx', 0o600)).close();
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const age = await stat(lock).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > LOCK_STALE_MS) await unlink(lock).catch(() => undefined);
      else if (Date.now() > deadline)
        throw new ConfigError(`${lock} is held by another dispatch command: wait for it, or remove the file if none runs`);
      else await new Promise((r) => setTimeout(r, 50));
    }
  }
  try {
    return await work();
  } finally {
    await unlink(lock).catch(() => undefined);
  }
}
