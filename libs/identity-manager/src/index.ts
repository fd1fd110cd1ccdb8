export * from './identity-manager.module';
export * from './persistence/schema';
