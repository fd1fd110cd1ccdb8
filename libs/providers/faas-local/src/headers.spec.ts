import { relayedHeaders } from './headers';

describe('relayedHeaders', () => {
  it('drops the headers of one hop and the length and host the provider sets, keeps the rest as they are', () => {
    const relayed = relayedHeaders({
      connection: 'keep-alive',
      'keep-alive': 'timeout=5',
      'proxy-connection': 'keep-alive',
      'transfer-encoding': 'chunked',
      upgrade: 'websocket',
      te: 'trailers',
      trailer: 'x-sum',
      host: 'localhost',
      'content-length': '12',
      'content-type': 'application/json',
      'set-cookie': ['a=1', 'b=2'],
      'x-call-id': 'call-1',
    });
    expect(relayed).toEqual({ 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'], 'x-call-id': 'call-1' });
  });
});
