export * from './identity-manager.module';
export * from './identity-config';
export * from './persistence/schema';
