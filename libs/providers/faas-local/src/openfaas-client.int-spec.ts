import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Agent, createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DISPATCH_ENV_HANDLER,
  DISPATCH_ENV_RUNTIME,
  ErrorCode,
  type OpenFaasFunctionDeployment,
  type RuntimeShim,
} from '@dispatch/contracts';
import { isProviderTimeout, OpenFaasClient } from '@dispatch/openfaas-client';
import { DispatchError } from '@dispatch/platform';
import { expectOpenFaasBody, waitFor } from '@dispatch/testing';
import { startFaasLocal, type FaasLocal } from './index';

/**
 * The OpenFaaS client against faas-local, the provider it talks to in solo mode: the same calls as the
 * spec-gateway suite, now with real worker processes behind them. Together the two suites keep
 * client and provider on one protocol: both are held to the shared schema.
 */
const AUTH = { user: 'admin', password: 'faas-local-pw-3e8a' };
const HANDLER = `
module.exports = async (context, payload) => {
  const p = payload || {};
  if (p.action === 'sleep') { await new Promise((r) => setTimeout(r, p.ms)); return { slept: p.ms }; }
  if (p.action === 'crash') process.exit(7);
  console.log('called with ' + JSON.stringify(p));
  return { echo: p, version: process.env.VERSION };
};
`;
const echoShim: RuntimeShim = {
  runtime: 'nodejs',
  command: () => ({ command: process.execPath, args: [join(__dirname, 'test-support', 'echo-shim.mjs')] }),
};

let imagesRoot: string;
let faas: FaasLocal;
let client: OpenFaasClient;

/** A local image: the code tree at `<imagesRoot>/<sha256>/`, referenced as `local/<sha256>`. */
function writeImage(files: Record<string, string>): string {
  const hex = createHash('sha256').update(JSON.stringify(files)).digest('hex');
  mkdirSync(join(imagesRoot, hex), { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(join(imagesRoot, hex, name), content);
  return `local/${hex}`;
}

function deployment(name: string, version: string): OpenFaasFunctionDeployment {
  return {
    service: name,
    image: writeImage({ 'handler.js': HANDLER }),
    envVars: { [DISPATCH_ENV_RUNTIME]: 'nodejs', [DISPATCH_ENV_HANDLER]: 'handler.js', VERSION: version },
    labels: { 'dispatch.io/org': 'acme' },
  };
}

const envelope = (payload: unknown) => JSON.stringify({ context: {}, payload });

function available(name: string, replicas = 1) {
  return waitFor(
    async () => {
      const s = await client.find(name);
      return s && (s.availableReplicas ?? 0) >= replicas && s;
    },
    { what: `${name} to have ${replicas} available replicas`, timeoutMs: 15_000 },
  );
}

beforeAll(async () => {
  imagesRoot = mkdtempSync(join(tmpdir(), 'openfaas-client-images-'));
  faas = await startFaasLocal({
    imagesRoot,
    runtimes: { nodejs: echoShim },
    basicAuth: AUTH,
    sandbox: 'off',
    scaling: { idleDelayMs: 60_000 },
  });
  client = new OpenFaasClient({ baseUrl: faas.url, basicAuth: AUTH, validateBodies: (kind, body) => expectOpenFaasBody(kind, body) });
});

afterAll(async () => {
  client?.close();
  await faas?.stop();
  rmSync(imagesRoot, { recursive: true, force: true });
});

describe('OpenFaasClient against faas-local', () => {
  it('reads the gateway info and health', async () => {
    expect(await client.info()).toMatchObject({ provider: { provider: 'faas-local', orchestration: 'local' } });
    await client.healthz();
  });

  it('deploys, waits for a replica, lists, invokes, reads logs, scales, updates and removes', async () => {
    await client.deploy(deployment('echo', 'v1'));
    const status = await available('echo');
    expect(status).toMatchObject({ name: 'echo', namespace: 'openfaas-fn', labels: { 'dispatch.io/org': 'acme' } });
    expect((await client.list()).map((f) => f.name)).toContain('echo');

    const call = await client.invoke('echo', envelope({ n: 1 }), {
      timeoutMs: 10_000,
      headers: { 'Content-Type': 'application/json', 'X-Call-Id': 'call-1' },
    });
    expect(call).toMatchObject({ status: 200, callId: 'call-1' });
    expect(call.durationSeconds).toBeGreaterThan(0);
    expect(call.failure).toBeUndefined();
    expect(JSON.parse(call.body.toString())).toMatchObject({ payload: { echo: { n: 1 }, version: 'v1' } });

    const lines = await waitFor(
      async () => {
        const entries = await client.logs('echo', { tail: 50 });
        return entries.some((e) => e.text.includes('called with {"n":1}')) && entries;
      },
      { what: 'the call to reach the logs' },
    );
    expect(lines[0]).toMatchObject({ name: 'echo', namespace: 'openfaas-fn' });

    await client.scale('echo', 2);
    await available('echo', 2);

    await client.update(deployment('echo', 'v2'));
    await waitFor(
      async () => {
        const answer = await client.invoke('echo', envelope({}), { timeoutMs: 10_000 });
        return answer.status === 200 && (JSON.parse(answer.body.toString()) as { payload: { version: string } }).payload.version === 'v2';
      },
      { what: 'the update to serve', timeoutMs: 15_000 },
    );

    await client.remove('echo');
    expect(await client.find('echo')).toBeUndefined();
    const gone = await client.invoke('echo', envelope({}), { timeoutMs: 10_000 });
    expect(gone.status).toBe(404);
  });

  it('relays a crashed call with its X-Dispatch-Failure, and times out a slow one on the client side', async () => {
    await client.deploy(deployment('fragile', 'v1'));
    await available('fragile');
    const crashed = await client.invoke('fragile', envelope({ action: 'crash' }), { timeoutMs: 10_000 });
    expect(crashed.status).toBeGreaterThanOrEqual(500);
    expect(crashed.failure).toBe('crash');

    await available('fragile');
    const err = await client.invoke('fragile', envelope({ action: 'sleep', ms: 3000 }), { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(isProviderTimeout(err)).toBe(true);
  });

  it('maps 404 and wrong credentials like the spec-gateway suite', async () => {
    const missing = await client.status('ghost').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(DispatchError);
    expect(missing).toMatchObject({
      code: ErrorCode.NOT_FOUND,
      message: `function ghost not found on the provider at ${faas.url}: deploy it first, or check its name and namespace`,
    });
    const wrong = new OpenFaasClient({ baseUrl: faas.url, basicAuth: { user: 'admin', password: 'nope' } });
    try {
      expect(await wrong.list().catch((e: unknown) => e)).toMatchObject({
        code: ErrorCode.PROVIDER_ERROR,
        message: expect.stringMatching(/rejected the gateway credentials \(HTTP 401\)/),
      });
    } finally {
      wrong.close();
    }
  });

  it('queues an async call whose result reaches the X-Callback-Url', async () => {
    await client.deploy(deployment('later', 'v1'));
    await available('later');
    const received: { headers: IncomingHttpHeaders; body: string }[] = [];
    const receiver: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString() });
        res.end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    try {
      const callbackUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/callback`;
      const { callId } = await client.invokeAsync('later', envelope({ n: 2 }), {
        callbackUrl,
        headers: { 'Content-Type': 'application/json' },
      });
      const [callback] = await waitFor(() => received.length > 0 && received, { what: 'the async callback' });
      expect(callback.headers).toMatchObject({ 'x-call-id': callId, 'x-function-status': '200', 'x-function-name': 'later' });
      expect(JSON.parse(callback.body)).toMatchObject({ payload: { echo: { n: 2 } } });
      expect(await client.invokeAsync('ghost', '', { callbackUrl }).catch((e: unknown) => e)).toMatchObject({ code: ErrorCode.NOT_FOUND });
    } finally {
      await new Promise((r) => receiver.close(r));
    }
  });

  it('serves the same API on a unix socket only its user may open (solo mode), which the client reaches with socketPath', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faas-sock-'));
    const socketPath = join(dir, 'faas-local.sock');
    const onSocket = await startFaasLocal({ imagesRoot, socketPath, runtimes: { nodejs: echoShim }, basicAuth: AUTH, sandbox: 'off' });
    const viaSocket = new OpenFaasClient({
      baseUrl: onSocket.url,
      socketPath,
      basicAuth: AUTH,
      validateBodies: (kind, body) => expectOpenFaasBody(kind, body),
    });
    try {
      expect(onSocket).toMatchObject({ url: 'http://localhost', port: 0, socketPath });
      expect(statSync(socketPath).mode & 0o777).toBe(0o600);
      await viaSocket.deploy(deployment('sock', 'v1'));
      await waitFor(async () => ((await viaSocket.find('sock'))?.availableReplicas ?? 0) >= 1, {
        what: 'sock to be available',
        timeoutMs: 15_000,
      });
      const call = await viaSocket.invoke('sock', envelope({ via: 'socket' }), { timeoutMs: 10_000 });
      expect(JSON.parse(call.body.toString())).toMatchObject({ payload: { echo: { via: 'socket' } } });
    } finally {
      viaSocket.close();
      await onSocket.stop();
      rmSync(dir, { recursive: true, force: true });
    }
    expect(existsSync(socketPath)).toBe(false);
  });

  it('takes in-memory connections, so a client in the same process speaks the same HTTP without a socket', async () => {
    const agent = new Agent({ keepAlive: true });
    agent.createConnection = () => faas.connect() as Socket;
    const inProcess = new OpenFaasClient({
      baseUrl: faas.url,
      basicAuth: AUTH,
      httpAgent: agent,
      validateBodies: (kind, body) => expectOpenFaasBody(kind, body),
    });
    try {
      await inProcess.deploy(deployment('mem', 'v1'));
      await waitFor(async () => ((await inProcess.find('mem'))?.availableReplicas ?? 0) >= 1, {
        what: 'mem to be available',
        timeoutMs: 15_000,
      });
      for (let i = 0; i < 3; i++) {
        const call = await inProcess.invoke('mem', envelope({ i }), { timeoutMs: 10_000 });
        expect(JSON.parse(call.body.toString())).toMatchObject({ payload: { echo: { i } } });
      }
      // Keep-alive works as over a socket: the calls shared one connection.
      expect(Object.values(agent.freeSockets).flat()).toHaveLength(1);
      await inProcess.remove('mem');
    } finally {
      agent.destroy();
    }
  });
});
