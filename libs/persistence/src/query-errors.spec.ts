import { QueryFailedError } from 'typeorm';
import { isStatementRefused, isStoreUnavailable } from './query-errors';

const pgError = (code: string, message = 'x') => new QueryFailedError('SELECT 1', [], Object.assign(new Error(message), { code }));

describe('isStoreUnavailable and isStatementRefused', () => {
  it('calls exhausted resources unavailable: sending again later may succeed', () => {
    for (const code of ['53300', '53100', '53200']) {
      expect([isStoreUnavailable(pgError(code)), isStatementRefused(pgError(code))]).toEqual([true, false]);
    }
  });

  it("does not take another dependency's socket errors for the database's", () => {
    const axios = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8080'), { code: 'ECONNREFUSED', isAxiosError: true });
    const fetchFailed = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    });
    expect(isStoreUnavailable(axios)).toBe(false);
    expect(isStoreUnavailable(fetchFailed)).toBe(false);
    // The pool's own failure to connect is raised as the bare socket error.
    expect(isStoreUnavailable(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(true);
  });
});
