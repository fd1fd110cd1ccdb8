import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { OpenFaasFunctionDeployment, OpenFaasFunctionStatus, OpenFaasLogEntry, RuntimeShim } from '@dispatch/contracts';
import { expectOpenFaasBody, waitFor } from '@dispatch/testing';
import pino, { type Logger } from 'pino';
import { startFaasLocal, type FaasLocal, type FaasLocalOptions } from '../faas-local';

/** The fixture shim: a plain Node script honouring the shim contract (fixtures are not built). */
export const TEST_SHIM_PATH = join(__dirname, '..', 'fixtures', 'test-shim.mjs');

export const testShim: RuntimeShim = { runtime: 'nodejs', command: () => ({ command: process.execPath, args: [TEST_SHIM_PATH] }) };

/** faas-local serving `imagesRoot` with the fixture shim as its nodejs runtime, unsandboxed unless `options` say otherwise. */
export function startTestFaas(imagesRoot: string, options: Partial<FaasLocalOptions> = {}): Promise<FaasLocal> {
  return startFaasLocal({ imagesRoot, runtimes: { nodejs: testShim }, sandbox: 'off', ...options });
}

/**
 * The handler most tests deploy: its behaviour is chosen by the payload, and `VERSION` tells an
 * updated image from the first one.
 */
export function handlerSource(version: string): string {
  return `
const VERSION = ${JSON.stringify(version)};
const fs = require('node:fs');
module.exports = async (context, payload) => {
  const p = payload || {};
  switch (p.action) {
    case 'sleep': await new Promise((r) => setTimeout(r, p.ms)); return { version: VERSION, pid: process.pid, slept: p.ms };
    case 'spin': for (;;) {}
    case 'hog': { const keep = []; for (;;) { keep.push(Buffer.alloc(8 * 1024 * 1024, 1)); await new Promise((r) => setTimeout(r, 2)); } }
    case 'crash': process.exit(7);
    case 'env': return { env: process.env, cwd: process.cwd() };
    case 'read': try { return { text: fs.readFileSync(p.path, 'utf8') }; } catch (err) { return { error: err.code }; }
    case 'write': try { fs.writeFileSync(p.path, 'x'); return { wrote: true }; } catch (err) { return { error: err.code }; }
    default: return { version: VERSION, pid: process.pid, echo: p, context };
  }
};
`;
}

/** Writes a local image (`local/<sha256 of its files>`) under `imagesRoot`; returns its reference. */
export function writeImage(imagesRoot: string, files: Record<string, string>): string {
  const hash = createHash('sha256');
  for (const [name, content] of Object.entries(files).sort()) hash.update(`${name}\0${content}\0`);
  const hex = hash.digest('hex');
  const dir = join(imagesRoot, hex);
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return `local/${hex}`;
}

const tempDirs: string[] = [];

/** A new temporary directory, removed by removeTempDirs() (each suite calls it in afterAll). */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function deployment(
  name: string,
  image: string,
  extra: { env?: Record<string, string>; labels?: Record<string, string>; memory?: string; handler?: string } = {},
): OpenFaasFunctionDeployment {
  const body: OpenFaasFunctionDeployment = {
    service: name,
    image,
    envVars: { DISPATCH_RUNTIME: 'nodejs', DISPATCH_HANDLER: extra.handler ?? 'handler.js', ...extra.env },
    labels: extra.labels ?? {},
  };
  if (extra.memory) body.limits = { memory: extra.memory };
  expectOpenFaasBody('FunctionDeployment', body);
  return body;
}

/** A pino logger whose lines the test can read. */
export function capturedLogger(): { logger: Logger; lines: () => Array<{ level: number; msg: string }> } {
  const lines: Array<{ level: number; msg: string }> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line) as { level: number; msg: string });
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, sink), lines: () => lines };
}

/** A client of one provider: every JSON body it reads is held to the OpenFaaS schema. */
export class Gateway {
  constructor(
    readonly faas: FaasLocal,
    private readonly auth?: string,
  ) {}

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { ...(this.auth ? { authorization: `Basic ${Buffer.from(this.auth).toString('base64')}` } : {}), ...extra };
  }

  system(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${this.faas.url}${path}`, {
      method,
      headers: this.headers({ 'content-type': 'application/json' }),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  async deploy(body: OpenFaasFunctionDeployment): Promise<void> {
    const res = await this.system('POST', '/system/functions', body);
    if (res.status !== 202) throw new Error(`deploy answered ${res.status}: ${await res.text()}`);
  }

  async status(name: string): Promise<OpenFaasFunctionStatus | undefined> {
    const res = await this.system('GET', `/system/function/${name}`);
    if (res.status === 404) return undefined;
    const body = (await res.json()) as OpenFaasFunctionStatus;
    expectOpenFaasBody('FunctionStatus', body);
    return body;
  }

  /** Deploys and waits until a worker is ready. */
  async deployReady(body: OpenFaasFunctionDeployment, replicas = 1): Promise<OpenFaasFunctionStatus> {
    await this.deploy(body);
    return this.waitAvailable(body.service, replicas);
  }

  waitAvailable(name: string, replicas = 1, timeoutMs = 10_000): Promise<OpenFaasFunctionStatus> {
    return waitFor(
      async () => {
        const s = await this.status(name);
        return s && (s.availableReplicas ?? 0) >= replicas && s;
      },
      { what: `${name} to have ${replicas} available replicas`, timeoutMs },
    );
  }

  async logs(name: string, query = ''): Promise<OpenFaasLogEntry[]> {
    const res = await this.system('GET', `/system/logs?name=${name}${query}`);
    if (res.status !== 200) throw new Error(`logs answered ${res.status}: ${await res.text()}`);
    expect(res.headers.get('content-type')).toBe('application/x-ndjson');
    const entries = (await res.text())
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as OpenFaasLogEntry);
    for (const entry of entries) expectOpenFaasBody('LogEntry', entry);
    return entries;
  }

  /** POST /function/{name} with the envelope the shims expect. */
  call(name: string, payload: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${this.faas.url}/function/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ context: {}, payload }),
    });
  }

  async callJson<T = { version: string; pid: number }>(name: string, payload: unknown): Promise<T> {
    const res = await this.call(name, payload);
    const text = await res.text();
    if (res.status !== 200) throw new Error(`call of ${name} answered ${res.status}: ${text}`);
    return (JSON.parse(text) as { payload: T }).payload;
  }
}

export { isAlive } from '@dispatch/testing';
