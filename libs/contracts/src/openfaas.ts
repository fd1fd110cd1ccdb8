/**
 * Bodies of the OpenFaaS gateway REST API (../shared/specs/openfaas/ENDPOINTS.md, schema in
 * openfaas-gateway.schema.json). The OpenFaaS client sends and reads these; the local provider
 * (faas-local) serves them, so the two stay one protocol.
 */
export interface OpenFaasResources {
  memory?: string;
  cpu?: string;
}

export interface OpenFaasFunctionDeployment {
  service: string;
  image: string;
  namespace?: string;
  envProcess?: string;
  constraints?: string[];
  envVars?: Record<string, string>;
  secrets?: string[];
  labels?: Record<string, string> | null;
  annotations?: Record<string, string> | null;
  limits?: OpenFaasResources | null;
  requests?: OpenFaasResources | null;
  readOnlyRootFilesystem?: boolean;
}

/** What the gateway reports of a deployed function: its deployment, named `name` instead of `service`, and its state. */
export interface OpenFaasFunctionStatus extends Omit<OpenFaasFunctionDeployment, 'service'> {
  name: string;
  invocationCount?: number;
  replicas?: number;
  availableReplicas?: number;
  createdAt?: string;
  usage?: { cpu?: number; totalMemoryBytes?: number } | null;
}

export interface OpenFaasDeleteFunctionRequest {
  functionName: string;
  namespace?: string;
}

export interface OpenFaasScaleServiceRequest {
  serviceName: string;
  namespace: string;
  replicas: number;
}

export interface OpenFaasLogEntry {
  name: string;
  namespace: string;
  instance: string;
  timestamp: string;
  text: string;
}

export interface OpenFaasVersionInfo {
  sha: string;
  release: string;
  commit_message?: string;
}

export interface OpenFaasGatewayInfo {
  provider: { provider: string; orchestration: string; version: OpenFaasVersionInfo | null } | null;
  version: OpenFaasVersionInfo | null;
  arch: string;
}

/**
 * The OpenFaaS-native knobs Dispatch sets on a deployment, honoured by faas-netes and by
 * faas-local alike: scaling bounds as labels, the watchdog's limits as environment variables.
 */
export const OPENFAAS_LABEL_SCALE_MIN = 'com.openfaas.scale.min';
export const OPENFAAS_LABEL_SCALE_MAX = 'com.openfaas.scale.max';
/** Calls one replica serves at once (of-watchdog); more wait in the queue. */
export const OPENFAAS_ENV_MAX_INFLIGHT = 'max_inflight';
/** Longest a call may run, as a Go duration (`30s`, `1m30s`); the replica is replaced after it. */
export const OPENFAAS_ENV_EXEC_TIMEOUT = 'exec_timeout';
/** Which runtime shim runs the function (`nodejs`, `python3`), for providers that run code, not images. */
export const DISPATCH_ENV_RUNTIME = 'DISPATCH_RUNTIME';
/** The handler the shim loads (FunctionHandlerRef). */
export const DISPATCH_ENV_HANDLER = 'DISPATCH_HANDLER';
/** The function's source tree, where the shim finds the handler. */
export const DISPATCH_ENV_CODE_DIR = 'DISPATCH_CODE_DIR';
/** The unix socket the shim listens on (else it listens on TCP `PORT`, behind the OpenFaaS watchdog). */
export const DISPATCH_ENV_SOCKET = 'DISPATCH_SOCKET';
/** The function's memory limit in MiB, for a runtime that caps itself (Python has no heap flag). */
export const DISPATCH_ENV_MEMORY_LIMIT_MB = 'DISPATCH_MEMORY_LIMIT_MB';
/**
 * The lifeline: a file descriptor (a pipe or socket) whose other end only the process that started
 * the shim holds. The shim never writes to it; when a read gives end-of-file, its starter is gone
 * (however it died, SIGKILL included) and the shim exits at once, so no worker outlives its provider.
 */
export const DISPATCH_ENV_LIFELINE_FD = 'DISPATCH_LIFELINE_FD';

/** Headers of the gateway's call routes. */
export const OPENFAAS_HEADER_CALL_ID = 'X-Call-Id';
export const OPENFAAS_HEADER_CALLBACK_URL = 'X-Callback-Url';
export const OPENFAAS_HEADER_FUNCTION_STATUS = 'X-Function-Status';
export const OPENFAAS_HEADER_FUNCTION_NAME = 'X-Function-Name';
export const OPENFAAS_HEADER_DURATION = 'X-Duration-Seconds';
/** Why a call failed inside the provider (timeout, memory, crash): a short machine-readable word. */
export const DISPATCH_HEADER_FAILURE = 'X-Dispatch-Failure';
/**
 * The same names in lower case, as node:http hands incoming ones over: a name added beside a
 * received header must match it, or both are sent.
 */
export const CALL_HEADER = {
  callId: OPENFAAS_HEADER_CALL_ID.toLowerCase(),
  callbackUrl: OPENFAAS_HEADER_CALLBACK_URL.toLowerCase(),
  duration: OPENFAAS_HEADER_DURATION.toLowerCase(),
  functionName: OPENFAAS_HEADER_FUNCTION_NAME.toLowerCase(),
  functionStatus: OPENFAAS_HEADER_FUNCTION_STATUS.toLowerCase(),
  failure: DISPATCH_HEADER_FAILURE.toLowerCase(),
} as const;
export const PROVIDER_FAILURES = ['timeout', 'memory', 'crash', 'unavailable'] as const;
export type ProviderFailure = (typeof PROVIDER_FAILURES)[number];
