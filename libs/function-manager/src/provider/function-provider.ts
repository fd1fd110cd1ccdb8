import type { OpenFaasFunctionDeployment, OpenFaasFunctionStatus, OpenFaasLogEntry, ProviderFailure } from '@dispatch/contracts';

/** What a provider answered to a call: any status, the body as bytes, and why it failed when the provider itself says. */
export interface ProviderCallResult {
  status: number;
  body: Buffer;
  failure?: ProviderFailure;
}

/**
 * The function provider as function-manager uses it: the OpenFaaS gateway API (faas-netes in
 * cluster mode, faas-local in solo), behind the OpenFaaS client. Failures are DispatchErrors:
 * NOT_FOUND for an unknown function, PROVIDER_ERROR for a refused request, SERVICE_UNAVAILABLE
 * when it cannot be reached; a call past `timeoutMs` resolves with failure `timeout`.
 */
export interface FunctionProvider {
  deploy(deployment: OpenFaasFunctionDeployment): Promise<void>;
  update(deployment: OpenFaasFunctionDeployment): Promise<void>;
  remove(name: string): Promise<void>;
  find(name: string): Promise<OpenFaasFunctionStatus | undefined>;
  list(): Promise<OpenFaasFunctionStatus[]>;
  logs(name: string, options: { tail: number }): Promise<OpenFaasLogEntry[]>;
  invoke(name: string, body: Buffer, options: { timeoutMs: number }): Promise<ProviderCallResult>;
}

export const FUNCTION_PROVIDER = Symbol.for('dispatch.function-provider');
