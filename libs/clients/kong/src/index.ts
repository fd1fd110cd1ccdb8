export { KongAdminClient, type KongNodeInfo, type KongNodeStatus, type ListOptions } from './kong-client';
export { type KongClientOptions, DEFAULT_TIMEOUT_MS, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './kong-options';
export { KongApiError, KongUnavailableError, type KongErrorBody } from './kong-errors';
export { tagQuery, matchesTags, tagProblem, type TagsMode } from './tag-query';
export type { KongPage } from './pagination';
export * from './kong-entities';
export type { components as KongAdminComponents, paths as KongAdminPaths } from './generated/kong-admin';
