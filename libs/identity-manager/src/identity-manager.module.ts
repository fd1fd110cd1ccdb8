import { type DynamicModule, Inject, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { StoreModule } from '@dispatch/platform';
import { ApiKeysController } from './api/api-keys.controller';
import { AuthSubrequestController } from './api/auth-subrequest.controller';
import { IssuersController, PoliciesController, RolesController, ServiceAccountsController } from './api/iam-collections';
import { OrganizationsController } from './api/organizations.controller';
import { QuotasController, UsageController } from './api/quotas.controller';
import { QuotaHandler } from './bus/quota.handler';
import { QuotasService } from './domain/quotas.service';
import { AUDIT_CONTROLLERS, AUDIT_PROVIDERS } from './audit';
import { SECRETS_CONTROLLERS, secretsProviders } from './secrets';
import { AuthzSnapshotHandler } from './bus/authz-snapshot.handler';
import { IamService } from './domain/iam.service';
import type { IdentityConfig } from './identity-config';
import { AuthzRepository } from './persistence/authz.repository';
import { IDENTITY_SCHEMA } from './persistence/schema';

const IDENTITY_CONFIG = Symbol.for('dispatch.identity-config');

/** identity-manager (DESIGN §3, §9). Solo mode composes it with the other services; its app serves it alone. */
@Module({})
export class IdentityManagerModule implements OnApplicationBootstrap {
  constructor(
    private readonly iam: IamService,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
  ) {}

  static register(config: IdentityConfig): DynamicModule {
    return {
      module: IdentityManagerModule,
      imports: [StoreModule.forSchema(IDENTITY_SCHEMA)],
      controllers: [OrganizationsController, RolesController, PoliciesController, ServiceAccountsController, ApiKeysController, IssuersController, AuthSubrequestController, QuotasController, UsageController, AuthzSnapshotHandler, QuotaHandler, ...SECRETS_CONTROLLERS, ...AUDIT_CONTROLLERS],
      providers: [{ provide: IDENTITY_CONFIG, useValue: config }, AuthzRepository, IamService, QuotasService, ...secretsProviders(config.SECRETS_BACKEND), ...AUDIT_PROVIDERS],
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.DISPATCH_ADMINS.length) await this.iam.ensureAdmins(this.config.DISPATCH_PLATFORM_ORG, this.config.DISPATCH_ADMINS);
  }
}
