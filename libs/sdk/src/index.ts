export * from './client';
export * from './errors';
export * from './tokens';
export type { components, operations, paths } from './generated/openapi';
export * from './oidc';
