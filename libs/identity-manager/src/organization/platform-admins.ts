import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { OrganizationService } from './organization.service';

/** Injection token of the admins DISPATCH_ADMINS names, and the platform org they administer. */
export const PLATFORM_ADMINS = Symbol.for('dispatch.identity.platform-admins');

export interface PlatformAdmins {
  org: string;
  admins: { kind: 'user' | 'group' | 'serviceaccount'; name: string }[];
}

/** Makes DISPATCH_ADMINS admins of the platform org at every start: how a deployment gets its first admins. */
@Injectable()
export class PlatformAdminsBootstrap implements OnApplicationBootstrap {
  constructor(
    private readonly organizations: OrganizationService,
    @Inject(PLATFORM_ADMINS) private readonly platform: PlatformAdmins,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.platform.admins.length) await this.organizations.ensureAdmins(this.platform.org, this.platform.admins);
  }
}
