import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@dispatch/platform';
import { NamedOrgRepository, type RowSource } from '../persistence/named-org.repository';
import { ServiceAccount } from './service-account.entity';

/** Service accounts of each org: the public keys their tokens are checked with. */
@Injectable()
export class ServiceAccountRepository extends NamedOrgRepository<ServiceAccount> {
  constructor(@InjectDataSource('identity') source: RowSource) {
    super(source.getRepository(ServiceAccount), 'service account');
  }
}
