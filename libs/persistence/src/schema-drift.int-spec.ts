import { createTestDatabase, type TestDatabase } from '@dispatch/testing';
import { Column, Entity, PrimaryColumn, type DataSource } from 'typeorm';
import { createServiceDataSource } from './data-source';
import { runMigrations } from './migrate';
import { OutboxRecord } from './outbox/outbox-record.entity';
import { createOutboxTableMigration } from './outbox/outbox-table.migration';
import { pendingSchemaChanges } from './schema-drift';
import { serviceSchema, type ServiceSchema } from './service-schema';
import { recordingLogger } from './test-support/recording-logger';

@Entity({ name: 'unmigrated' })
class Unmigrated {
  @PrimaryColumn({ type: 'text' }) key!: string;
  @Column({ type: 'int' }) value!: number;
}

describe('pendingSchemaChanges', () => {
  let db: TestDatabase;
  const open: DataSource[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('dispatch_drift');
  });

  afterAll(async () => {
    await Promise.all(open.filter((ds) => ds.isInitialized).map((ds) => ds.destroy()));
    await db.drop();
  });

  async function migrated(definition: ServiceSchema): Promise<DataSource> {
    const ds = createServiceDataSource({ url: db.url, ...definition });
    open.push(ds);
    await ds.initialize();
    await runMigrations([ds], { log: recordingLogger() });
    return ds;
  }

  it('finds nothing to do when the outbox migration built the outbox, in every schema of a shared database', async () => {
    for (const schema of ['identity', 'functions']) {
      const ds = await migrated(serviceSchema(schema, [OutboxRecord], [createOutboxTableMigration(schema, 1763000000000)]));
      expect(await pendingSchemaChanges(ds)).toEqual([]);
    }
  });

  it('lists the SQL an entity still needs when no migration creates its table', async () => {
    const ds = await migrated(
      serviceSchema('drifting', [OutboxRecord, Unmigrated], [createOutboxTableMigration('drifting', 1763000000000)]),
    );
    const pending = await pendingSchemaChanges(ds);
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatch(/^CREATE TABLE "drifting"\."unmigrated"/);
  });
});
