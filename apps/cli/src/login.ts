import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { soloCredentialsOf, type SoloCredentials } from '@dispatch/contracts';
import type { ContextAuth } from './config';
import { readAllStdin } from './command-kit';
import { UsageError } from './output';

/**
 * A service account key file (`dispatch login --key-file FILE`):
 * `{"org": "default", "name": "ci", "privateKey": "-----BEGIN PRIVATE KEY-----\n…", "apiUrl": "http://…"}`;
 * `apiUrl` is optional (`--server` or the solo server's otherwise).
 */
export interface KeyFile {
  org: string;
  name: string;
  privateKey: string;
  apiUrl?: string;
}

/** Where solo mode keeps the CLI's credentials: `DISPATCH_HOME/config.json`, DISPATCH_HOME defaulting to ~/.dispatch. */
export function soloCredentialsPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.DISPATCH_HOME || join(homedir(), '.dispatch'), 'config.json');
}

/** The solo server's credentials, or undefined when that file is missing or not solo's. */
export async function readSoloCredentials(path = soloCredentialsPath()): Promise<SoloCredentials | undefined> {
  try {
    return soloCredentialsOf(JSON.parse(await readFile(path, 'utf8')));
  } catch {
    return undefined;
  }
}

/** Reads and checks a key file, naming the field that is missing. */
export async function readKeyFile(path: string): Promise<KeyFile> {
  let parsed: Partial<KeyFile>;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<KeyFile>;
  } catch (e) {
    throw new UsageError(`cannot read key file ${path}: ${(e as Error).message}`);
  }
  for (const field of ['org', 'name', 'privateKey'] as const)
    if (typeof parsed[field] !== 'string' || !parsed[field]) throw new UsageError(`key file ${path} has no "${field}" (a string)`);
  return parsed as KeyFile;
}

export function serviceAccountAuth(name: string, privateKeyPem: string): ContextAuth {
  return { serviceAccount: { name, privateKeyPem } };
}

/** Reads a token pasted on stdin (`--token -`). */
export async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Paste the token, then press Enter and Ctrl-D:\n');
  return (await readAllStdin()).trim();
}
