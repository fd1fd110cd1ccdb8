import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@dispatch/platform';
import { NamedOrgRepository, type RowSource } from '../persistence/named-org.repository';
import { ApiKey } from './api-key.entity';

/** API keys of each org: lookup prefix and hash, never the key. */
@Injectable()
export class ApiKeyRepository extends NamedOrgRepository<ApiKey> {
  constructor(@InjectDataSource('identity') source: RowSource) {
    super(source.getRepository(ApiKey), 'API key');
  }
}
