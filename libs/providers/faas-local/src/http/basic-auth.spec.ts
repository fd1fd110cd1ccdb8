import { basicAuthChecker } from './basic-auth';

describe('basicAuthChecker', () => {
  const check = basicAuthChecker({ user: 'admin', password: 'p:ss' });
  const header = (text: string) => `Basic ${Buffer.from(text).toString('base64')}`;

  it('accepts the configured credentials only', () => {
    expect(check(header('admin:p:ss'))).toBe(true);
    expect(check(header('admin:p:s'))).toBe(false);
    expect(check(header('root:p:ss'))).toBe(false);
    expect(check(undefined)).toBe(false);
    expect(check('Bearer abc')).toBe(false);
    expect(check('Basic !!!')).toBe(false);
  });
});
