export * from './event-manager.module';
export * from './persistence/schema';
