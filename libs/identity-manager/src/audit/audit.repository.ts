import { Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { AuditRecordedEvent } from '@dispatch/contracts';
import { InjectDataSource } from '@dispatch/platform';
import { AuditEvent } from './audit-event.entity';
import type { AuditCursor, AuditFilter } from './audit-query';

const TABLE = '"identity"."audit_event"';
/** Rows deleted per statement by the retention sweep, so no sweep holds locks for long. */
const SWEEP_BATCH = 5000;

/**
 * The audit log in identity-manager's schema. Not an OrgScopedRepository: an event refused before
 * a principal was verified has no org, so reads name the org or ask for those explicitly (null).
 */
@Injectable()
export class AuditRepository {
  constructor(@InjectDataSource('identity') private readonly dataSource: DataSource) {}

  /** Stores the event under `id`; a second store of the same id (a redelivery) changes nothing. Resolves whether it was new. */
  async record(id: string, event: AuditRecordedEvent): Promise<boolean> {
    // RETURNING: TypeORM answers an INSERT with its rows only, never its row count.
    const inserted = (await this.dataSource.query(
      `INSERT INTO ${TABLE} ("id", "request_id", "time", "service", "org", "subject", "subject_kind", "resource", "action", "method", "route", "status", "result")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT ("id") DO NOTHING
       RETURNING "id"`,
      [
        id,
        event.requestId,
        // Milliseconds, as JavaScript reads them back: page tokens must hold the exact stored time.
        new Date(event.time),
        event.service,
        event.org,
        event.subject,
        event.subjectKind,
        event.resource,
        event.action,
        event.method,
        event.route,
        event.status,
        event.result,
      ],
    )) as { id: string }[];
    return inserted.length === 1;
  }

  /**
   * One page of `org`'s events (null: the anonymous ones), newest first (time, then id,
   * descending), plus one row to tell whether more follow.
   */
  async page(org: string | null, filter: AuditFilter, limit: number, after?: AuditCursor): Promise<AuditEvent[]> {
    const qb = this.dataSource.getRepository(AuditEvent).createQueryBuilder('e');
    if (org === null) qb.where('e.org IS NULL');
    else if (org) qb.where('e.org = :org', { org });
    else throw new Error('the audit log was read without an org');
    if (filter.subject !== undefined) qb.andWhere('e.subject = :subject', { subject: filter.subject });
    if (filter.resource !== undefined) qb.andWhere('e.resource = :resource', { resource: filter.resource });
    if (filter.action !== undefined) qb.andWhere('e.action = :action', { action: filter.action });
    if (filter.result !== undefined) qb.andWhere('e.result = :result', { result: filter.result });
    if (filter.requestId !== undefined) qb.andWhere('e.request_id = :requestId', { requestId: filter.requestId });
    if (filter.since !== undefined) qb.andWhere('e.time >= :since', { since: filter.since });
    if (filter.until !== undefined) qb.andWhere('e.time < :until', { until: filter.until });
    if (after !== undefined) {
      qb.andWhere('(e.time, e.id) < (CAST(:afterTime AS timestamptz), CAST(:afterId AS uuid))', {
        afterTime: after.time,
        afterId: after.id,
      });
    }
    return qb
      .orderBy('e.time', 'DESC')
      .addOrderBy('e.id', 'DESC')
      .limit(limit + 1)
      .getMany();
  }

  /** Deletes events older than `before` in every org, in batches; resolves how many went. */
  async deleteOlderThanAcrossOrgs(before: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const [, deleted] = (await this.dataSource.query(
        `DELETE FROM ${TABLE} WHERE "id" IN (SELECT "id" FROM ${TABLE} WHERE "time" < $1 ORDER BY "time" LIMIT ${SWEEP_BATCH})`,
        [before],
      )) as [unknown, number];
      total += deleted;
      if (deleted < SWEEP_BATCH) return total;
    }
  }
}
