import { ConfigError, loadConfig } from '@dispatch/platform';
import { auditOptionsOf } from './audit/audit-options';
import { identityConfigSchema } from './identity-config';

/** As at boot: the environment checked once, the audit log's settings taken from the result. */
const auditOptionsFromEnv = (env: NodeJS.ProcessEnv) => auditOptionsOf(loadConfig(identityConfigSchema, env));

describe('audit retention setting', () => {
  it('is 90 days unless AUDIT_RETENTION_DAYS says otherwise', () => {
    expect(auditOptionsFromEnv({}).retentionDays).toBe(90);
    expect(auditOptionsFromEnv({ AUDIT_RETENTION_DAYS: '' }).retentionDays).toBe(90);
    expect(auditOptionsFromEnv({ AUDIT_RETENTION_DAYS: '365' }).retentionDays).toBe(365);
    expect(auditOptionsFromEnv({ AUDIT_RETENTION_DAYS: ' 30 ' }).retentionDays).toBe(30);
    expect(auditOptionsFromEnv({}).sweepIntervalMs).toBe(3_600_000);
  });

  it.each(['0', '-1', '1.5', 'ninety', '1e3', '36501'])('refuses %s at start', (value) => {
    expect(() => auditOptionsFromEnv({ AUDIT_RETENTION_DAYS: value })).toThrow(ConfigError);
    expect(() => auditOptionsFromEnv({ AUDIT_RETENTION_DAYS: value })).toThrow(
      new RegExp(
        `AUDIT_RETENTION_DAYS: must be a whole number of days from 1 to 36500 \\(default 90\\); got "${value.replace('.', '\\.')}"`,
      ),
    );
  });
});

describe('secrets backend settings', () => {
  const KEY = Buffer.alloc(32, 7).toString('base64');

  it("checks only the chosen backend's settings: the other's are never read", () => {
    expect(loadConfig(identityConfigSchema, { SECRETS_BACKEND: 'kubernetes', DISPATCH_SECRET_KEY: 'not-a-key' })).toMatchObject({
      SECRETS_BACKEND: 'kubernetes',
      DISPATCH_SECRET_KEY: undefined,
    });
    expect(loadConfig(identityConfigSchema, { SECRETS_NAMESPACE: 'Not_A_Namespace' })).toMatchObject({
      SECRETS_BACKEND: 'postgres',
      SECRETS_NAMESPACE: undefined,
    });
  });

  it('refuses a bad setting of the chosen backend, naming it, and decodes the key', () => {
    expect(() => loadConfig(identityConfigSchema, { DISPATCH_SECRET_KEY: 'not-a-key' })).toThrow(/DISPATCH_SECRET_KEY/);
    expect(() => loadConfig(identityConfigSchema, { SECRETS_BACKEND: 'kubernetes', SECRETS_NAMESPACE: 'Not_A_Namespace' })).toThrow(
      /SECRETS_NAMESPACE: must be a Kubernetes namespace name/,
    );
    const config = loadConfig(identityConfigSchema, { DISPATCH_SECRET_KEY: KEY });
    expect(Buffer.isBuffer(config.DISPATCH_SECRET_KEY) && config.DISPATCH_SECRET_KEY.equals(Buffer.alloc(32, 7))).toBe(true);
    expect(loadConfig(identityConfigSchema, { SECRETS_BACKEND: 'kubernetes', SECRETS_NAMESPACE: 'dispatch' }).SECRETS_NAMESPACE).toBe(
      'dispatch',
    );
  });
});
