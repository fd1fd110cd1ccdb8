export { startFaasLocal, type FaasLocal, type FaasLocalOptions, type FaasLocalScaling, type FaasLocalDefaults, type WorkerInfo } from './faas-local';
export type { BasicAuthCredentials } from './http/basic-auth';
export type { SandboxMode } from './sandbox';
export type { FunctionStatsSnapshot } from './metrics';
export { defaultRuntimes } from './default-runtimes';
export { DEFAULT_NAMESPACE } from './deployment';
export { DISPATCH_ENV_CODE_DIR, DISPATCH_ENV_MEMORY_LIMIT_MB, DISPATCH_ENV_SOCKET } from './worker-env';
