import { type DynamicModule, Module } from '@nestjs/common';
import { StoreModule } from '@dispatch/platform';
import { ApiKeysController } from './api-key/api-key.controller';
import { ApiKeyRepository } from './api-key/api-key.repository';
import { ApiKeyService } from './api-key/api-key.service';
import { AUDIT_OPTIONS, auditOptionsOf } from './audit/audit-options';
import { AuditController } from './audit/audit.controller';
import { AuditRecordedHandler } from './audit/audit.handlers';
import { AuditRepository } from './audit/audit.repository';
import { AuditService } from './audit/audit.service';
import { AuthSubrequestController } from './authz/auth-subrequest.controller';
import { AuthzSnapshotHandler } from './authz/authz.handlers';
import { AuthzRepository } from './authz/authz.repository';
import type { IdentityConfig } from './identity-config';
import { OrganizationsController } from './organization/organization.controller';
import { OrganizationRepository } from './organization/organization.repository';
import { OrganizationService } from './organization/organization.service';
import { PLATFORM_ADMINS, PlatformAdminsBootstrap } from './organization/platform-admins';
import { IDENTITY_SCHEMA } from './persistence/schema';
import { QuotasController } from './quota/quota.controller';
import { QuotaHandler } from './quota/quota.handlers';
import { QuotaRepository } from './quota/quota.repository';
import { QuotaService } from './quota/quota.service';
import { UsageController } from './quota/usage.controller';
import { AuditRetention } from './reconcile/audit-retention';
import { PoliciesController } from './role-binding/role-binding.controller';
import { RoleBindingRepository } from './role-binding/role-binding.repository';
import { RoleBindingService } from './role-binding/role-binding.service';
import { RolesController } from './role/role.controller';
import { RoleRepository } from './role/role.repository';
import { RoleService } from './role/role.service';
import { SecretsController } from './secret/secret.controller';
import { SecretResolveHandler } from './secret/secret.handlers';
import { secretsProviders } from './secret/secret.providers';
import { ServiceAccountsController } from './service-account/service-account.controller';
import { ServiceAccountRepository } from './service-account/service-account.repository';
import { ServiceAccountService } from './service-account/service-account.service';
import { IssuersController } from './trusted-issuer/trusted-issuer.controller';
import { TrustedIssuerRepository } from './trusted-issuer/trusted-issuer.repository';
import { TrustedIssuerService } from './trusted-issuer/trusted-issuer.service';

/** identity-manager (DESIGN §3, §9). Solo mode composes it with the other services; its app serves it alone. */
@Module({})
export class IdentityManagerModule {
  /** `config` is checked once, at start (identityConfigSchema); nothing here reads the environment. */
  static register(config: IdentityConfig): DynamicModule {
    return {
      module: IdentityManagerModule,
      imports: [StoreModule.forSchema(IDENTITY_SCHEMA)],
      // In this order: it is the order of the operations in the OpenAPI document.
      controllers: [
        OrganizationsController,
        RolesController,
        PoliciesController,
        ServiceAccountsController,
        ApiKeysController,
        IssuersController,
        AuthSubrequestController,
        QuotasController,
        UsageController,
        AuthzSnapshotHandler,
        QuotaHandler,
        SecretsController,
        SecretResolveHandler,
        AuditController,
        AuditRecordedHandler,
      ],
      providers: [
        { provide: PLATFORM_ADMINS, useValue: { org: config.DISPATCH_PLATFORM_ORG, admins: config.DISPATCH_ADMINS } },
        { provide: AUDIT_OPTIONS, useValue: auditOptionsOf(config) },
        AuthzRepository,
        OrganizationRepository,
        RoleRepository,
        RoleBindingRepository,
        ServiceAccountRepository,
        ApiKeyRepository,
        TrustedIssuerRepository,
        QuotaRepository,
        AuditRepository,
        OrganizationService,
        RoleService,
        RoleBindingService,
        ServiceAccountService,
        ApiKeyService,
        TrustedIssuerService,
        QuotaService,
        AuditService,
        PlatformAdminsBootstrap,
        AuditRetention,
        ...secretsProviders(config),
      ],
    };
  }
}
