import { Column, Entity, Unique } from 'typeorm';
import type { ClaimMapping } from '@dispatch/contracts';
import { OrgEntity } from '@dispatch/persistence';

/** An IdP one org trusts: its tokens vouch for that org only (deployment-wide ones are configuration). */
@Entity({ name: 'trusted_issuer' })
@Unique('trusted_issuer_org_name_unique', ['org', 'name'])
@Unique('trusted_issuer_org_issuer_unique', ['org', 'issuer'])
export class TrustedIssuerRecord extends OrgEntity {
  @Column({ type: 'text' }) issuer!: string;
  @Column({ type: 'text' }) audience!: string;
  @Column({ name: 'jwks_uri', type: 'text', nullable: true }) jwksUri!: string | null;
  @Column({ type: 'jsonb' }) claims!: ClaimMapping;
}
