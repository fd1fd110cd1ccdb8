import { relayedHeaders, workerAnswerHeaders } from './headers';

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

  it('drops the headers Connection names as belonging to the hop', () => {
    expect(relayedHeaders({ connection: 'keep-alive, X-Hop-Only', 'x-hop-only': '1', 'x-kept': '2' })).toEqual({ 'x-kept': '2' });
  });
});

describe('workerAnswerHeaders', () => {
  it("leaves out the provider's own headers, which a function's answer may not set", () => {
    const answer = workerAnswerHeaders({
      'content-type': 'application/json',
      'x-dispatch-failure': 'timeout',
      'x-call-id': 'forged',
      'x-duration-seconds': '0',
      'x-function-status': '500',
      'x-custom': 'kept',
    });
    expect(answer).toEqual({ 'content-type': 'application/json', 'x-custom': 'kept' });
  });
});
