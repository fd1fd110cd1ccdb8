export * from './api-manager.module';
export * from './persistence/schema';
