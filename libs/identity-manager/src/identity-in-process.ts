import type { DynamicModule } from '@nestjs/common';
import { type AuthOptions, AuthModule, loadConfig } from '@dispatch/platform';
import { type IdentityConfig, identityConfigSchema } from './identity-config';
import { IdentityManagerModule } from './identity-manager.module';

/**
 * identity-manager and the guard that reads its snapshot, in one process whose platform org is
 * `default`: how its test app and the guarded bench server compose it. The settings not given here
 * come from the environment, as a deployment's would.
 */
export function identityInProcess(options: {
  deploymentIssuers: AuthOptions['deploymentIssuers'];
  refreshMs: number;
  admins: IdentityConfig['DISPATCH_ADMINS'];
  secretsBackend: IdentityConfig['SECRETS_BACKEND'];
}): DynamicModule[] {
  return [
    AuthModule.forRoot({ deploymentIssuers: options.deploymentIssuers, platformOrg: 'default', refreshMs: options.refreshMs }),
    IdentityManagerModule.register({
      // The backend is chosen before the settings are checked: only its own settings are read.
      ...loadConfig(identityConfigSchema, { ...process.env, SECRETS_BACKEND: options.secretsBackend }),
      DISPATCH_PLATFORM_ORG: 'default',
      DISPATCH_ADMINS: options.admins,
    }),
  ];
}
