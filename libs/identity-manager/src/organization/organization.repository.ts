import { Injectable } from '@nestjs/common';
import { MoreThan } from 'typeorm';
import { ErrorCode } from '@dispatch/contracts';
import { InjectDataSource, type PageRequest } from '@dispatch/platform';
import { NamedOrgRepository, type RowSource } from '../persistence/named-org.repository';
import { Organization } from './organization.entity';

/** Organizations: each is its own org, so reading one by name is scoped like any other row. */
@Injectable()
export class OrganizationRepository extends NamedOrgRepository<Organization> {
  constructor(@InjectDataSource('identity') source: RowSource) {
    super(source.getRepository(Organization), 'organization', ErrorCode.ORGANIZATION_NOT_FOUND);
  }

  /** One page of every organization by name: spans all orgs, for platform admins. */
  async pageAcrossOrgs(page: PageRequest): Promise<Organization[]> {
    return this.acrossOrgs.find({
      where: page.after === undefined ? {} : { name: MoreThan(page.after) },
      order: { name: 'ASC' },
      take: page.limit + 1,
    });
  }

  /** The organization `name` (its own org). */
  async named(name: string): Promise<Organization | null> {
    return this.byName(name, name);
  }

  async add(name: string, tags: Organization['tags']): Promise<Organization> {
    return this.put(Object.assign(new Organization(), { name, org: name, tags }));
  }
}
