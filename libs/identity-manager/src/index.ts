export * from './identity-manager.module';
export * from './identity-config';
export * from './persistence/schema';
export { ServiceAccountService } from './service-account/service-account.service';
export * from './identity-in-process';
