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

  it('drops everything when no logger is given, writing nowhere', () => {
    const writes = [
      jest.spyOn(console, 'log'),
      jest.spyOn(console, 'warn'),
      jest.spyOn(console, 'error'),
      jest.spyOn(process.stdout, 'write'),
      jest.spyOn(process.stderr, 'write'),
    ];
    try {
      const adapter = new TypeOrmLoggerAdapter();
      adapter.logMigration('quiet');
      adapter.logQuerySlow(1500, 'SELECT 1');
      adapter.log('warn', 'careful');
      for (const w of writes) expect(w).not.toHaveBeenCalled();
    } finally {
      for (const w of writes) w.mockRestore();
    }
  });
});
