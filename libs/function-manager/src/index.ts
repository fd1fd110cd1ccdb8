export * from './function-manager.module';
export * from './persistence/schema';
export { functionConfigSchema, type FunctionConfig } from './function-config';
