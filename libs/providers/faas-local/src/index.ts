export {
  startFaasLocal,
  type FaasLocal,
  type FaasLocalOptions,
  type FaasLocalScaling,
  type FaasLocalDefaults,
  type WorkerInfo,
} from './faas-local';
export type { BasicAuthCredentials } from './http/basic-auth';
export type { SandboxMode } from './sandbox';
export type { FunctionStatsSnapshot } from './metrics';
export { defaultRuntimes } from './default-runtimes';
export { DEFAULT_NAMESPACE } from './deployment';
