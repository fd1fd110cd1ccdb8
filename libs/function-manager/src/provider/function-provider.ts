import type { FunctionEnvelope, FunctionSpec, ProviderFailure } from '@dispatch/contracts';

/** One version of a function as the provider runs it, under its own provider name. */
export interface VersionDeployment {
  providerName: string;
  image: string;
  org: string;
  functionName: string;
  version: number;
  spec: FunctionSpec;
}

/** Where a deployed version stands: not on the provider, deployed but serving no call yet, or serving. */
export type VersionState = 'absent' | 'starting' | 'ready';

/**
 * Why a call brought no reply from the function: the provider's own verdicts (it stopped the call
 * at its timeout, killed the process over its memory limit, saw the process exit, could not start
 * it), or `error` when the platform's side failed (the provider unreachable or answering something
 * the function contract does not allow).
 */
export type CallFailure = ProviderFailure | 'error';

/**
 * What became of one call. A reply is the runtime's answer to the envelope (DESIGN §7), as JSON
 * not yet checked against FunctionReply: the function's own errors are inside it. A failure carries
 * the provider's words; for `error` they are the whole explanation.
 */
export type CallAnswer = { kind: 'replied'; reply: unknown } | { kind: CallFailure; detail: string };

/**
 * The function provider as function-manager needs it: run versions of functions and call them.
 * Implemented over the OpenFaaS gateway API (faas-netes in cluster mode, faas-local in solo) by
 * OpenFaasProvider, and in memory for unit tests.
 *
 * Errors: `call` never rejects; every way a call can go wrong is an answer. The other methods
 * reject with a DispatchError: PROVIDER_ERROR when the provider refuses the request (sending it
 * again will not help), anything else when it could not be asked (worth retrying).
 */
export interface FunctionProvider {
  /** Starts deploying a version; it serves once `state` says `ready`. */
  deploy(version: VersionDeployment): Promise<void>;
  state(providerName: string): Promise<VersionState>;
  /** Provider names of every version the provider has. */
  deployedNames(): Promise<string[]>;
  /** The version's last `lines` log lines, oldest first. */
  recentLogs(providerName: string, lines: number): Promise<string[]>;
  /** Takes a version off the provider; a version it does not have counts as removed. */
  remove(providerName: string): Promise<void>;
  /** Calls a version with a run's envelope; past `timeoutMs` the answer is `timeout`. */
  call(providerName: string, envelope: FunctionEnvelope, options: { timeoutMs: number }): Promise<CallAnswer>;
}

export const FUNCTION_PROVIDER = Symbol.for('dispatch.function-provider');
