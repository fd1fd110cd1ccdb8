export { OpenFaasClient, type InvokeOptions, type InvokeResult, type InvokeAsyncOptions, type LogsQuery } from './openfaas-client';
export { type OpenFaasClientOptions, DEFAULT_SYSTEM_TIMEOUT_MS, DEFAULT_MAX_SOCKETS, DEFAULT_MAX_RESPONSE_BYTES } from './openfaas-options';
export { ProviderTimeoutError, isProviderTimeout } from './openfaas-errors';
export type { OpenFaasBodyCheck, OpenFaasBodyKind } from './contract-checks';
