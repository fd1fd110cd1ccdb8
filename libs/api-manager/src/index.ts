export * from './api-manager.module';
export * from './api-config';
export * from './persistence/schema';
