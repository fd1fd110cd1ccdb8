import { baseConfigSchema, ConfigError, gatewaySecretSchema, loadConfig } from './config';
import { serviceConfigSchema } from '../bootstrap/service-app';

describe('config', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig(baseConfigSchema, {});
    expect(c).toMatchObject({ PORT: 8080, HOST: '0.0.0.0', LOG_LEVEL: 'info', BODY_LIMIT_BYTES: 1048576 });
    expect(c.DISPATCH_HOME).toMatch(/\.dispatch$/);
    expect(c.DATABASE_URL).toBeUndefined();
  });

  it('treats empty strings as unset', () => {
    const c = loadConfig(baseConfigSchema, { PORT: '', DATABASE_URL: '' });
    expect(c.PORT).toBe(8080);
    expect(c.DATABASE_URL).toBeUndefined();
  });

  it('lists every problem at once, by variable name', () => {
    let caught: unknown;
    try {
      loadConfig(baseConfigSchema, { PORT: '99999', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x', BODY_LIMIT_BYTES: '12' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as ConfigError).problems.join('\n');
    for (const name of ['PORT', 'LOG_LEVEL', 'DATABASE_URL', 'BODY_LIMIT_BYTES']) expect(problems).toContain(name);
  });

  it('requires DATABASE_URL and NATS_URL for a service running alone', () => {
    expect(() => loadConfig(serviceConfigSchema, {})).toThrow(/DATABASE_URL[\s\S]*NATS_URL/);
    expect(loadConfig(serviceConfigSchema, { DATABASE_URL: 'postgres://h/db', NATS_URL: 'nats://h:4222' }).NATS_URL).toBe('nats://h:4222');
  });
});

describe('gatewaySecretSchema', () => {
  it('takes a base64 or hex secret of 16 characters or more, and refuses what could not be a header value or be guessed', () => {
    for (const good of ['c2VjcmV0LW9mLXRoZS1nYXRld2F5', 'a-secret-of-the-gateway', '0123456789abcdef'])
      expect(gatewaySecretSchema.safeParse(good).success).toBe(true);
    for (const bad of ['short', 'a-secret-of-the-gateway\n', 'secret with spaces inside', 'secret$(env)secret', 'secret&secret|secret'])
      expect(gatewaySecretSchema.safeParse(bad).success).toBe(false);
  });
});
