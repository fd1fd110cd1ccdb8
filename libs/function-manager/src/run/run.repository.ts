import { Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { ErrorCode, type RunStatus } from '@dispatch/contracts';
import { OrgScopedRepository } from '@dispatch/persistence';
import { DispatchError, InjectDataSource, type PageRequest } from '@dispatch/platform';
import { Run } from '../persistence/entities/run.entity';

const UUID = /^[0-9a-f-]{36}$/i;

export interface RunFilter {
  functionName?: string;
  status?: RunStatus;
  since?: Date;
}

/** The runs of an org: the API's reads, and the insert of a queued run. */
@Injectable()
export class RunRepository extends OrgScopedRepository<Run> {
  constructor(@InjectDataSource('functions') dataSource: DataSource) {
    super(dataSource.getRepository(Run));
  }

  /** The org's run `id`; null for another org's, or an id that is not a run id. */
  async byId(org: string, id: string): Promise<Run | null> {
    return UUID.test(id) ? this.findOne(org, { id }) : null;
  }

  async add(run: Run): Promise<void> {
    await this.insert(run);
  }

  /**
   * Newest first, one more than the page holds (so the caller knows whether another follows); the
   * page key is the (created time, id) of the last run served.
   */
  async page(org: string, filter: RunFilter, page: PageRequest): Promise<Run[]> {
    const q = this.select(org, 'r');
    if (filter.functionName) q.andWhere('r.functionName = :fn', { fn: filter.functionName });
    if (filter.status) q.andWhere('r.status = :status', { status: filter.status });
    if (filter.since) q.andWhere('r.createdTime >= :since', { since: filter.since });
    if (page.after !== undefined) {
      const [time, id] = pageKeyOf(page.after);
      q.andWhere('(r.createdTime, r.id) < (:time, :id)', { time, id });
    }
    return q.orderBy('r.createdTime', 'DESC').addOrderBy('r.id', 'DESC').take(page.limit + 1).getMany();
  }
}

/** The key of the last run of a page, as `page` writes it. */
export function runPageKey(run: Run): string {
  return `${run.createdTime.toISOString()}|${run.id}`;
}

function pageKeyOf(after: string): [Date, string] {
  const [time, id] = after.split('|');
  const date = new Date(time);
  if (!id || Number.isNaN(date.getTime()) || !UUID.test(id)) {
    throw new DispatchError(ErrorCode.INVALID_PAGE_TOKEN, 'pageToken is not one this API returned; start again without it');
  }
  return [date, id];
}
