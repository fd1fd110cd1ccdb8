import { Controller } from '@nestjs/common';
import type { OrgQuotas, PayloadOf } from '@dispatch/contracts';
import { BusPayload, OnRequest } from '@dispatch/platform';
import { QuotaService } from './quota.service';

/** Lets the owning services read an org's limits to enforce them. */
@Controller()
export class QuotaHandler {
  constructor(private readonly quotas: QuotaService) {}

  @OnRequest('identity.quota.get.v1', 'identity-manager')
  of(@BusPayload() request: PayloadOf<'identity.quota.get.v1'>): Promise<OrgQuotas> {
    return this.quotas.of(request.org);
  }
}
