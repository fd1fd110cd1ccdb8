import { Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { EntityChangedEvent } from '@dispatch/contracts';
import { type OutboxRelay, OutboxWriter } from '@dispatch/persistence';
import { InjectDataSource, InjectOutboxRelay } from '@dispatch/platform';
import { FunctionRepository } from '../function/function.repository';
import { FunctionSourceRepository } from '../source/function-source.repository';
import { VersionRepository } from '../version/version.repository';

/** The repositories of functions, their versions and their sources, all through one manager. */
export interface FunctionRepositories {
  functions: FunctionRepository;
  versions: VersionRepository;
  sources: FunctionSourceRepository;
}

/** The repositories of one transaction, and the event it publishes when it commits. */
export interface FunctionTransaction extends FunctionRepositories {
  publishChanged(event: EntityChangedEvent): Promise<void>;
}

/**
 * Functions, versions and sources change together (a new version moves its function, a promotion
 * retires the version before it): this hands out their repositories, outside a transaction or
 * inside one, and commits a transaction's `function.function.changed.v1` facts with it through the
 * outbox.
 */
@Injectable()
export class FunctionStore implements FunctionRepositories {
  readonly functions: FunctionRepository;
  readonly versions: VersionRepository;
  readonly sources: FunctionSourceRepository;
  private readonly outbox = new OutboxWriter();

  constructor(
    @InjectDataSource('functions') private readonly dataSource: DataSource,
    @InjectOutboxRelay('functions') private readonly relay: OutboxRelay,
  ) {
    ({ functions: this.functions, versions: this.versions, sources: this.sources } = repositoriesOf(dataSource.manager));
  }

  /** Runs `work` in one transaction; once it has committed, the relay is told of the events it published. */
  async transaction<T>(work: (tx: FunctionTransaction) => Promise<T>): Promise<T> {
    let published = false;
    const result = await this.dataSource.transaction((m) =>
      work({
        ...repositoriesOf(m),
        publishChanged: async (event) => {
          await this.outbox.add(m, 'function.function.changed.v1', event);
          published = true;
        },
      }),
    );
    if (published) this.relay.notify();
    return result;
  }
}

function repositoriesOf(manager: EntityManager): FunctionRepositories {
  return {
    functions: new FunctionRepository(manager),
    versions: new VersionRepository(manager),
    sources: new FunctionSourceRepository(manager),
  };
}
