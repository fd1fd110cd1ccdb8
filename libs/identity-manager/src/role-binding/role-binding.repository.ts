import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@dispatch/platform';
import { NamedOrgRepository, type RowSource } from '../persistence/named-org.repository';
import { RoleBinding } from './role-binding.entity';

/** Role bindings (the API's policies) of each org. */
@Injectable()
export class RoleBindingRepository extends NamedOrgRepository<RoleBinding> {
  constructor(@InjectDataSource('identity') source: RowSource) {
    super(source.getRepository(RoleBinding), 'policy');
  }

  /** How many of the org's bindings grant `role`. */
  async countGranting(org: string, role: string): Promise<number> {
    return this.select(org, 'b').andWhere('b.role = :role', { role }).getCount();
  }
}
