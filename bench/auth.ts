import { generateKeyPairSync } from 'node:crypto';
import { resolve } from 'node:path';
import { SignJWT } from 'jose';
import { freePort, startProcess } from '@dispatch/testing';
import { load } from './lib/load';
import { printTable } from './lib/report';
import { benchNodeArgs } from './lib/servers';

/**
 * The price of authentication on a `/v1` route: the same GET served with the guard (service-account
 * token verified, permission checked against the in-memory snapshot) and without it.
 */
export async function benchAuth(seconds: number, connections: number): Promise<void> {
  const server = resolve(__dirname, 'servers/guarded-server.js');
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuer('default/bench')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);
  const publicPem = publicKey.export({ format: 'pem', type: 'spki' }).toString();

  const run = async (auth: 'on' | 'off') => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/v1/bench/ping`;
    const headers = auth === 'on' ? { authorization: `Bearer ${token}` } : undefined;
    const nodeArgs = benchNodeArgs();
    const proc = await startProcess(
      [...nodeArgs, server],
      { PORT: String(port), BENCH_AUTH: auth, BENCH_PUBLIC_KEY: publicPem },
      `http://127.0.0.1:${port}/readyz`,
      120_000,
    );
    try {
      const check = await fetch(url, { headers });
      if (check.status !== 200) throw new Error(`${auth}: GET ${url} answered ${check.status}: ${await check.text()}`);
      await load(url, { seconds: Math.min(2, seconds), connections, headers });
      const result = await load(url, { seconds, connections, headers });
      if (result.errors + result.non2xx > 0) throw new Error(`${auth}: ${result.errors} errors, ${result.non2xx} non-2xx answers`);
      return result;
    } finally {
      await proc.stop('SIGTERM');
    }
  };
  const open = await run('off');
  const guarded = await run('on');
  printTable(`GET /v1/bench/ping with the auth guard vs without (${connections} connections, ${seconds} s each)`, [
    {
      name: 'throughput',
      value: guarded.requestsPerSec,
      baseline: open.requestsPerSec,
      unit: 'req/s',
      higherIsBetter: true,
      goal: '>= 0.85',
    },
    { name: 'p50 latency', value: guarded.p50Ms, baseline: open.p50Ms, unit: 'ms', higherIsBetter: false },
    { name: 'p99 latency', value: guarded.p99Ms, baseline: open.p99Ms, unit: 'ms', higherIsBetter: false },
  ]);
}
