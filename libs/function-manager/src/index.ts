export * from './function-manager.module';
export * from './persistence/schema';
export { functionConfigSchema, type FunctionConfig } from './function-config';
export { FUNCTION_LIMITS } from './domain/function-spec';
export { SOURCE_ARCHIVE_MAX_BYTES, SOURCE_TREE_MAX_BYTES, SOURCE_MAX_FILES, SOURCE_FILE_MAX_BYTES } from './source';
