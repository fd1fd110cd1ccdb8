export * from './function-manager.module';
export * from './persistence/schema';
