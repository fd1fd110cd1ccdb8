import { headers } from 'nats';
import { decodeJson, encodeJson, fromNatsHeaders, MSG_ID_HEADER, REPLY_ERROR_HEADER, toNatsHeaders } from './codec';

describe('nats codec', () => {
  it.each([[{ a: [1, 'x'] }], [null], [0], ['text'], [undefined]])('round-trips %j', (value) => {
    expect(decodeJson(encodeJson(value))).toEqual(value);
  });

  it('keeps user headers and hides transport ones', () => {
    const h = toNatsHeaders({ 'x-trace': 't1', Tenant: 'o1' })!;
    h.set(MSG_ID_HEADER, 'm1');
    h.set(REPLY_ERROR_HEADER, 'INTERNAL');
    expect(fromNatsHeaders(h)).toEqual({ 'x-trace': 't1', Tenant: 'o1' });
  });

  it('sends no header block when there are no headers', () => {
    expect(toNatsHeaders({})).toBeUndefined();
    expect(fromNatsHeaders(undefined)).toEqual({});
    expect(fromNatsHeaders(headers())).toEqual({});
  });
});
