import { randomUUID } from 'node:crypto';
import type { EventSubject, PayloadOf } from '@dispatch/contracts';
import type { EntityManager } from 'typeorm';
import { OutboxRecord } from './outbox-record.entity';

/**
 * Records an event in the outbox as part of the caller's transaction, so the event exists if and
 * only if the change it announces commits. OutboxRelay publishes it afterwards; call its
 * notify() after the commit to publish without waiting for the next poll.
 */
export class OutboxWriter {
  /** Returns the event id, which is also the bus message id. */
  async add<S extends EventSubject>(
    manager: EntityManager,
    subject: S,
    payload: PayloadOf<S>,
    headers?: Record<string, string>,
  ): Promise<string> {
    // Writing through a manager outside the transaction would commit the event on its own,
    // even if the change it describes later rolls back.
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('OutboxWriter.add needs the EntityManager of an open transaction (the one dataSource.transaction() passes)');
    }
    const id = randomUUID();
    // `as object`: TypeORM's partial-entity type cannot express a payload of any subject; jsonb takes any JSON value.
    await manager.insert(OutboxRecord, { id, subject, payload: payload as object, headers: headers ?? null });
    return id;
  }
}
