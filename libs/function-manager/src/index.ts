export * from './function-manager.module';
export * from './persistence/schema';
export { functionConfigSchema, type FunctionConfig } from './function-config';
export { LOST_RUN_MESSAGE } from './reconcile/run-janitor';
