import { safeUrl } from './safe-url';

describe('safeUrl', () => {
  it('hides the password of a connection URL and keeps where it points', () => {
    expect(safeUrl('nats://dispatch:s3cret@nats.example:4222')).toBe('nats://dispatch:redacted@nats.example:4222');
    expect(safeUrl('postgres://u:p%40ss@db:5432/dispatch')).not.toContain('p%40ss');
    expect(safeUrl('nats://127.0.0.1:4222')).toBe('nats://127.0.0.1:4222');
    expect(safeUrl('not a url with s3cret')).not.toContain('s3cret');
  });
});
