import { accessContext, runPlugin } from '../test-support/access-context';
import { requestSizeLimitingPlugin } from './request-size-limiting';

describe('request-size-limiting plugin', () => {
  it('refuses a Content-Length over the limit with 413 without reading the body, and 417 when the client expects 100-continue', async () => {
    const over = accessContext({ method: 'POST', headers: { 'content-length': '1025' } });
    const refused = await runPlugin(requestSizeLimitingPlugin, { allowed_payload_size: 1, size_unit: 'kilobytes' }, over.ctx);
    expect(refused.exit?.status).toBe(413);
    expect(refused.body?.['message']).toBe('Request size limit exceeded');
    expect(over.bodyReads()).toBe(0);
    const expecting = accessContext({ method: 'POST', headers: { 'content-length': '1025', expect: '100-Continue' } });
    expect(
      (await runPlugin(requestSizeLimitingPlugin, { allowed_payload_size: 1, size_unit: 'kilobytes' }, expecting.ctx)).exit?.status,
    ).toBe(417);
  });

  it('lets a body at the limit through, counting in megabytes by default', async () => {
    const atLimit = accessContext({ method: 'POST', headers: { 'content-length': '1024' } });
    expect(
      (await runPlugin(requestSizeLimitingPlugin, { allowed_payload_size: 1, size_unit: 'kilobytes' }, atLimit.ctx)).exit,
    ).toBeUndefined();
    const big = accessContext({ method: 'POST', headers: { 'content-length': String(128 * 1048576 + 1) } });
    expect((await runPlugin(requestSizeLimitingPlugin, {}, big.ctx)).exit?.status).toBe(413);
  });

  it('measures a body sent without Content-Length', async () => {
    const chunked = accessContext({ method: 'POST', headers: { 'transfer-encoding': 'chunked' }, body: 'x'.repeat(11) });
    expect((await runPlugin(requestSizeLimitingPlugin, { allowed_payload_size: 10, size_unit: 'bytes' }, chunked.ctx)).exit?.status).toBe(
      413,
    );
    expect(chunked.bodyReads()).toBe(1);
  });

  it('requires a valid Content-Length with require_content_length, unless the body is chunked', async () => {
    const config = { allowed_payload_size: 10, size_unit: 'bytes', require_content_length: true };
    const missing = await runPlugin(requestSizeLimitingPlugin, config, accessContext({ method: 'POST' }).ctx);
    expect(missing.exit?.status).toBe(411);
    expect(missing.body?.['message']).toBe('A valid Content-Length header is required');
    const invalid = await runPlugin(
      requestSizeLimitingPlugin,
      config,
      accessContext({ method: 'POST', headers: { 'content-length': 'ten' } }).ctx,
    );
    expect(invalid.exit?.status).toBe(411);
    const chunked = accessContext({ method: 'POST', headers: { 'transfer-encoding': 'chunked' }, body: 'ok' });
    expect((await runPlugin(requestSizeLimitingPlugin, config, chunked.ctx)).exit).toBeUndefined();
  });

  it('refuses an unknown size unit', async () => {
    await expect(runPlugin(requestSizeLimitingPlugin, { size_unit: 'gigabytes' }, accessContext().ctx)).rejects.toThrow(
      /config\.size_unit/,
    );
  });
});
