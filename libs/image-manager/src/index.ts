export * from './image-manager.module';
export * from './persistence/schema';
