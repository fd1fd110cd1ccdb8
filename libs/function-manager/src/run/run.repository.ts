import { Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { ErrorCode, type RunStatus } from '@dispatch/contracts';
import { OrgScopedRepository, preparedQuery } from '@dispatch/persistence';
import { DispatchError, InjectDataSource, type PageRequest } from '@dispatch/platform';
import { Run } from './run.entity';
import { storableJsonText } from './storable-json';

const UUID = /^[0-9a-f-]{36}$/i;

export interface RunFilter {
  functionName?: string;
  status?: RunStatus;
  since?: Date;
}

/**
 * The runs of an org: the API's reads and the insert of a queued run; and the recorder's batched
 * upsert, whose rows each name their own org.
 */
@Injectable()
export class RunRepository extends OrgScopedRepository<Run> {
  private upsertSql: string | undefined;
  private columnList: ColumnMetadata[] | undefined;

  constructor(@InjectDataSource('functions') private readonly dataSource: DataSource) {
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
    return q
      .orderBy('r.createdTime', 'DESC')
      .addOrderBy('r.id', 'DESC')
      .take(page.limit + 1)
      .getMany();
  }

  /**
   * One run as a JSON object keyed by column name, as `upsertRows` takes it; dates become ISO
   * text, which PostgreSQL reads back exactly. jsonb cannot hold U+0000, which a function may well
   * print: it is stored as U+FFFD. Throws for a run that cannot be serialized.
   */
  rowOf(run: Run): string {
    const row: Record<string, unknown> = {};
    for (const c of this.columns()) row[c.databaseName] = c.getEntityValue(run);
    return storableJsonText(JSON.stringify(row));
  }

  /**
   * Inserts or replaces runs of any orgs (each row names its own) in one statement. The rows
   * travel as one JSON parameter (`jsonb_to_recordset`): the statement's text never changes, so
   * it is prepared once per connection, and no run costs 18 parameters to encode.
   */
  async upsertRows(rows: string[]): Promise<void> {
    this.upsertSql ??= this.upsertStatement();
    await preparedQuery(this.dataSource, 'functions.run.upsert', this.upsertSql, [`[${rows.join(',')}]`]);
  }

  private columns(): ColumnMetadata[] {
    this.columnList ??= this.dataSource.getMetadata(Run).columns;
    return this.columnList;
  }

  /** Built from the entity's metadata, so a column added to Run is recorded without touching this. */
  private upsertStatement(): string {
    const meta = this.dataSource.getMetadata(Run);
    const q = (name: string) => `"${name}"`;
    const names = this.columns().map((c) => q(c.databaseName));
    const types = this.columns().map((c) => `${q(c.databaseName)} ${this.dataSource.driver.normalizeType(c)}`);
    const updated = this.columns()
      .filter((c) => !c.isPrimary && c.propertyName !== 'createdTime')
      .map((c) => `${q(c.databaseName)} = EXCLUDED.${q(c.databaseName)}`);
    return (
      `INSERT INTO ${q(meta.schema as string)}.${q(meta.tableName)} (${names.join(', ')}) ` +
      `SELECT ${names.join(', ')} FROM jsonb_to_recordset($1::jsonb) AS r(${types.join(', ')}) ` +
      `ON CONFLICT ("id") DO UPDATE SET ${updated.join(', ')}`
    );
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
