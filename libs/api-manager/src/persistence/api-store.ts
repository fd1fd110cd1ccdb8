import { Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { InjectDataSource } from '@dispatch/platform';
import { ApiRepository } from '../api/api.repository';

/** The APIs' repository, outside a transaction or inside one. */
@Injectable()
export class ApiStore {
  readonly apis: ApiRepository;

  constructor(@InjectDataSource('apis') private readonly dataSource: DataSource) {
    this.apis = new ApiRepository(dataSource.manager);
  }

  transaction<T>(work: (apis: ApiRepository) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((m) => work(new ApiRepository(m)));
  }
}
