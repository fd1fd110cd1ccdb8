import { Entity, Unique } from 'typeorm';
import { OrgEntity } from '@dispatch/persistence';

/** A tenant. Its `org` is its own name, so it is scoped like every other entity. */
@Entity({ name: 'organization' })
@Unique('organization_name_unique', ['name'])
export class Organization extends OrgEntity {}
