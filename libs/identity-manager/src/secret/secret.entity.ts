import { Column, Entity, Unique } from 'typeorm';
import { OrgEntity } from '@dispatch/persistence';

/**
 * One secret of one org: its key/value set only as AES-256-GCM ciphertext (see secret-cipher.ts),
 * with the IV, the auth tag and the version of the key that sealed it. No column holds plaintext.
 */
@Entity({ name: 'secret' })
@Unique('secret_org_name_unique', ['org', 'name'])
export class Secret extends OrgEntity {
  @Column({ type: 'bytea' }) ciphertext!: Buffer;
  @Column({ type: 'bytea' }) iv!: Buffer;
  @Column({ name: 'auth_tag', type: 'bytea' }) authTag!: Buffer;
  @Column({ name: 'key_version', type: 'smallint' }) keyVersion!: number;
}
