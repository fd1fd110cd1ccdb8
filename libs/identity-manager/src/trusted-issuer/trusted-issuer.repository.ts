import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@dispatch/platform';
import { NamedOrgRepository, type RowSource } from '../persistence/named-org.repository';
import { TrustedIssuerRecord } from './trusted-issuer.entity';

/** Identity providers each org trusts for itself. */
@Injectable()
export class TrustedIssuerRepository extends NamedOrgRepository<TrustedIssuerRecord> {
  constructor(@InjectDataSource('identity') source: RowSource) {
    super(source.getRepository(TrustedIssuerRecord), 'issuer');
  }
}
