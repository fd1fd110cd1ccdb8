import { Column, Entity, Unique } from 'typeorm';
import { OrgEntity } from '@dispatch/persistence';

/** A machine identity: it signs its own short-lived RS256 tokens; we keep only its public key. */
@Entity({ name: 'service_account' })
@Unique('service_account_org_name_unique', ['org', 'name'])
export class ServiceAccount extends OrgEntity {
  @Column({ name: 'public_key_pem', type: 'text' }) publicKeyPem!: string;
}
