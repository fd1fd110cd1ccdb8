import { Column, Entity, Index, Unique } from 'typeorm';
import { OrgEntity } from '@dispatch/persistence';

/** An API key: only its lookup prefix and the SHA-256 of the whole key are kept. */
@Entity({ name: 'api_key' })
@Unique('api_key_org_name_unique', ['org', 'name'])
export class ApiKey extends OrgEntity {
  @Index('api_key_prefix_unique', { unique: true })
  @Column({ type: 'text' })
  prefix!: string;

  /** Hex SHA-256 of the key: keys are 256-bit random, so a fast hash cannot be brute-forced. */
  @Column({ type: 'text' }) sha256!: string;
  @Column({ type: 'text' }) role!: string;
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true }) expiresAt!: Date | null;
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true }) revokedAt!: Date | null;
}
