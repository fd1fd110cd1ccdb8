import { Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Pool } from 'pg';
import type { Logger } from 'pino';
import { BUS_SCHEMA, busMigrations, InProcessBus } from '@dispatch/bus';
import { migrateSchemas, serviceSchema } from '@dispatch/persistence';
import { baseConfigSchema, createHttpApp, createLogger, InfrastructureModule, loadConfig, PlatformModule } from '@dispatch/platform';
import {
  createTestDatabase,
  probeCredentials,
  startTestIdp,
  type ProbeCredentials,
  type TestDatabase,
  type TestIdp,
} from '@dispatch/testing';
import { identityInProcess } from '../identity-in-process';
import { IDENTITY_SCHEMA } from '../persistence/schema';

export interface ApiAnswer {
  status: number;
  headers: Headers;
  text: string;
  body: Record<string, unknown> & { items?: { name: string }[] };
}

export interface IdentityTestApp {
  app: NestFastifyApplication;
  base: string;
  db: TestDatabase;
  idp: TestIdp;
  pool: Pool;
  bus: InProcessBus;
  /** Bearer tokens from the real IdP, by subject. */
  tokens: Record<string, string>;
  /** Credentials for describeTenantProbes: acme is the probed org, bob (beta) the other org's admin. */
  probe: ProbeCredentials;
  api(who: string, method: string, path: string, body?: unknown): Promise<ApiAnswer>;
  close(): Promise<void>;
}

/** Who the suites sign in as: root is the platform admin; alice and bob admin acme and beta. */
const PEOPLE: [subject: string, org: string, groups: string[]][] = [
  ['root', 'default', []],
  ['alice', 'acme', []],
  ['carol', 'acme', ['auditors']],
  ['dave', 'acme', ['devs']],
  ['bob', 'beta', []],
];

/**
 * identity-manager as a user meets it: a real OIDC provider, a database of its own, the in-process
 * bus, the guard every service uses, and two tenant orgs (acme, beta) with their admins. The
 * `auditors` group of acme is bound to viewer, `devs` to developer.
 */
export async function startIdentityTestApp(options: {
  name: string;
  logger?: Logger;
  refreshMs?: number;
  secretsBackend?: 'postgres' | 'kubernetes';
}): Promise<IdentityTestApp> {
  const [db, idp] = await Promise.all([createTestDatabase(), startTestIdp()]);
  const logger = options.logger ?? createLogger({ level: 'silent', name: options.name });
  await migrateSchemas(db.url, [serviceSchema(BUS_SCHEMA, [], busMigrations), IDENTITY_SCHEMA], { log: logger });
  const pool = new Pool({ connectionString: db.url, max: 3 });
  const bus = await InProcessBus.start({ pool, log: logger });
  const config = loadConfig(baseConfigSchema, {});

  @Module({
    imports: [
      PlatformModule.forRoot({ serviceName: options.name, config, logger }),
      InfrastructureModule.forRoot({ databaseUrl: db.url, bus }),
      // The suites set the secrets' settings in the environment before they start the app.
      ...identityInProcess({
        deploymentIssuers: [idp.trustedIssuer()],
        refreshMs: options.refreshMs ?? 60_000,
        admins: [{ kind: 'user', name: 'root' }],
        secretsBackend: options.secretsBackend ?? 'postgres',
      }),
    ],
  })
  class IdentityTestModule {}
  const app: NestFastifyApplication = await createHttpApp(IdentityTestModule, {
    config,
    logger,
    title: options.name,
    version: '0',
    serviceName: options.name,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;

  const tokens: Record<string, string> = {};
  for (const [subject, org, groups] of PEOPLE) tokens[subject] = await idp.issueToken({ subject, org, groups });
  const api = async (who: string, method: string, path: string, body?: unknown): Promise<ApiAnswer> => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${tokens[who]}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, body: (text ? JSON.parse(text) : {}) as ApiAnswer['body'] };
  };
  const must = async (who: string, path: string, body: unknown) => {
    const res = await api(who, 'POST', path, body);
    if (res.status !== 201) throw new Error(`set-up POST ${path} as ${who} answered ${res.status}: ${res.text}`);
  };
  for (const [org, admin] of [
    ['acme', 'alice'],
    ['beta', 'bob'],
  ]) {
    await must('root', '/v1/iam/organizations', { name: org, admins: [{ kind: 'user', name: admin }] });
  }
  await must('alice', '/v1/iam/policies', { name: 'readers', role: 'viewer', subjects: [{ kind: 'group', name: 'auditors' }] });
  await must('alice', '/v1/iam/policies', { name: 'devs', role: 'developer', subjects: [{ kind: 'group', name: 'devs' }] });

  const probe = await probeCredentials(idp, {
    baseUrl: base,
    claims: { subject: 'alice', org: 'acme' },
    viewer: tokens['carol'],
    admin: tokens['bob'],
  });

  return {
    app,
    base,
    db,
    idp,
    pool,
    bus,
    tokens,
    probe,
    api,
    async close() {
      await app.close();
      await bus.close();
      await pool.end();
      await idp.stop();
      await db.drop();
    },
  };
}
