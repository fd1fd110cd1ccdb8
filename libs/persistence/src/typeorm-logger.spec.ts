import { recordingLogger } from './test-support/recording-logger';
import { TypeOrmLoggerAdapter } from './typeorm-logger';

describe('TypeOrmLoggerAdapter', () => {
  it('routes TypeORM messages to the service logger, never the console', () => {
    const log = recordingLogger();
    const spy = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const adapter = new TypeOrmLoggerAdapter(log);
    adapter.logQuery();
    adapter.logMigration('Migration "X1" failed');
    adapter.logQuerySlow(1500, 'SELECT pg_sleep(1.5)');
    adapter.log('warn', 'careful');
    expect(log.entries.map((e) => [e.level, e.msg])).toEqual([
      ['debug', 'Migration "X1" failed'],
      ['warn', 'slow query'],
      ['warn', 'careful'],
    ]);
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });

  it('drops everything when no logger is given', () => {
    expect(() => new TypeOrmLoggerAdapter().logMigration('quiet')).not.toThrow();
  });
});
