import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

/** The built CLI (npm test builds it first). */
export const CLI = resolve(__dirname, '../../dist/apps/cli/src/main.js');

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The built CLI as a child process: a temp DISPATCH_CONFIG, solo's DISPATCH_HOME, a HOME of its own. */
export function cli(env: Record<string, string>, args: string[], stdin?: string, timeoutMs = 30_000): Promise<Ran> {
  const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdin.end(stdin ?? '');
  return new Promise((done, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`dispatch ${args.join(' ')} still running:\n${stderr}`));
    }, timeoutMs);
    child.once('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}
