import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@dispatch/platform';
import { NamedOrgRepository, type RowSource } from '../persistence/named-org.repository';
import { Role } from './role.entity';

/** Custom roles of each org. */
@Injectable()
export class RoleRepository extends NamedOrgRepository<Role> {
  constructor(@InjectDataSource('identity') source: RowSource) {
    super(source.getRepository(Role), 'role');
  }
}
