export * from './service-catalog.module';
export * from './persistence/schema';
