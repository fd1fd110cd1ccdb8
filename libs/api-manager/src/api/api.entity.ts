import { Column, Entity, Unique } from 'typeorm';
import { OrgEntity } from '@dispatch/persistence';
import type { ApiSpec } from './api-spec';

/**
 * An API: its spec, and the (host, served path) keys it takes on the gateway (`route_keys`), so
 * a path another API of any org serves on the same host is found by one query (`&&`), and the
 * generation of its spec.
 */
@Entity({ name: 'api' })
@Unique('api_org_name_unique', ['org', 'name'])
export class ApiRecord extends OrgEntity {
  @Column({ type: 'jsonb' }) spec!: ApiSpec;
  @Column({ name: 'route_keys', type: 'text', array: true }) routeKeys!: string[];
  /** Counts the spec's changes: the reconcile loop records a status only for the generation it applied. */
  @Column({ type: 'int', default: 1 }) generation!: number;
}
