import { ErrorCode, type FunctionEnvelope, type FunctionLogs, type RunErrorType } from '@dispatch/contracts';
import { DispatchError } from '@dispatch/platform';
import type { CallAnswer, CallFailure, FunctionProvider, VersionDeployment, VersionState } from '../function-provider';

/** One call as the provider received it. */
export interface ReceivedCall {
  providerName: string;
  envelope: FunctionEnvelope;
  timeoutMs: number;
}

/** How the provider answers a call: an answer, or a function of the call that gives one (maybe later). */
export type CallScript = CallAnswer | ((call: ReceivedCall) => CallAnswer | Promise<CallAnswer>);

const NO_LOGS: FunctionLogs = { stdout: [], stderr: [] };

/** The runtime's reply for a function that returned `payload`. */
export function replied(payload: unknown, logs: FunctionLogs = NO_LOGS): CallAnswer {
  return { kind: 'replied', reply: { context: { logs, error: null }, payload } };
}

/** The runtime's reply for a function that threw, or whose input the runtime refused. */
export function threw(type: RunErrorType, message: string, logs: FunctionLogs = NO_LOGS): CallAnswer {
  return { kind: 'replied', reply: { context: { logs, error: { type, message, stacktrace: ['at handler'] } }, payload: null } };
}

/** A call the provider failed with its own verdict. */
export function failure(kind: CallFailure, detail = ''): CallAnswer {
  return { kind, detail };
}

interface Held {
  deployment: VersionDeployment;
  state: Exclude<VersionState, 'absent'>;
  logs: string[];
}

/**
 * A function provider held in memory for unit tests, scripted to answer each way a real one can:
 * versions come up ready at once or stay starting (with log lines) until told; deploys can be
 * refused; every request but a call can fail as an unreachable provider would; calls answer what
 * is queued with `answerNext`, else the standing script (by default, the payload echoed back).
 * It keeps what it was asked: the calls, the versions it holds, the ones it removed.
 */
export class InMemoryProvider implements FunctionProvider {
  readonly calls: ReceivedCall[] = [];
  readonly removed: string[] = [];
  /** Whether a deployed version serves at once, or stays starting until `makeReady`. */
  readyOnDeploy = true;
  private readonly held = new Map<string, Held>();
  private readonly next: CallScript[] = [];
  private standing: CallScript = (call) => replied(call.envelope.payload);
  private refusal?: string;
  private outage?: Error;

  /** Answers every later call with `script`. */
  answerAll(script: CallScript): this {
    this.standing = script;
    return this;
  }

  /** Answers the next calls, one each, in order; then the standing script again. */
  answerNext(...scripts: CallScript[]): this {
    this.next.push(...scripts);
    return this;
  }

  /** Refuses every later deploy, as a provider refusing the deployment does (PROVIDER_ERROR). */
  refuseDeploys(message: string): this {
    this.refusal = message;
    return this;
  }

  /** Fails every later request with `error` (calls with an `error` answer), as a provider that cannot be reached. */
  unreachable(error: Error = new DispatchError(ErrorCode.SERVICE_UNAVAILABLE, 'function provider is not reachable (ECONNREFUSED)')): this {
    this.outage = error;
    return this;
  }

  /** Ends what `unreachable` began. */
  reachable(): this {
    this.outage = undefined;
    return this;
  }

  /** Holds `version` as if deployed earlier. */
  hold(version: VersionDeployment, state: Exclude<VersionState, 'absent'> = 'ready'): this {
    this.held.set(version.providerName, { deployment: version, state, logs: [] });
    return this;
  }

  makeReady(providerName: string): void {
    this.mustHold(providerName).state = 'ready';
  }

  /** Lines the version writes to its log, as a runtime that cannot load its handler would. */
  log(providerName: string, ...lines: string[]): void {
    this.mustHold(providerName).logs.push(...lines);
  }

  deployment(providerName: string): VersionDeployment | undefined {
    return this.held.get(providerName)?.deployment;
  }

  async deploy(version: VersionDeployment): Promise<void> {
    this.check();
    if (this.refusal !== undefined) throw new DispatchError(ErrorCode.PROVIDER_ERROR, this.refusal);
    this.held.set(version.providerName, { deployment: version, state: this.readyOnDeploy ? 'ready' : 'starting', logs: [] });
  }

  async state(providerName: string): Promise<VersionState> {
    this.check();
    return this.held.get(providerName)?.state ?? 'absent';
  }

  async deployedNames(): Promise<string[]> {
    this.check();
    return [...this.held.keys()];
  }

  async recentLogs(providerName: string, lines: number): Promise<string[]> {
    this.check();
    return (this.held.get(providerName)?.logs ?? []).slice(-lines);
  }

  async remove(providerName: string): Promise<void> {
    this.check();
    this.held.delete(providerName);
    this.removed.push(providerName);
  }

  async call(providerName: string, envelope: FunctionEnvelope, options: { timeoutMs: number }): Promise<CallAnswer> {
    const call = { providerName, envelope, timeoutMs: options.timeoutMs };
    this.calls.push(call);
    if (this.outage) return failure('error', `the function provider failed: ${this.outage.message}`);
    const held = this.held.get(providerName);
    if (!held) return failure('error', `the function provider answered 404: function ${providerName} not found`);
    if (held.state !== 'ready') return failure('unavailable', `function ${providerName} cannot start: no worker is ready`);
    const script = this.next.shift() ?? this.standing;
    return typeof script === 'function' ? script(call) : script;
  }

  private check(): void {
    if (this.outage) throw this.outage;
  }

  private mustHold(providerName: string): Held {
    const held = this.held.get(providerName);
    if (!held) throw new Error(`the in-memory provider holds no version ${providerName}`);
    return held;
  }
}
