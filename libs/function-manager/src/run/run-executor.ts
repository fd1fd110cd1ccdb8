import { Inject, Injectable } from '@nestjs/common';
import { BUS, type Bus } from '@dispatch/bus';
import { ErrorCode, type FunctionContext, type FunctionEnvelope, RunErrorType, RunStatus } from '@dispatch/contracts';
import { DispatchError } from '@dispatch/platform';
import { schemaProblems } from '../function/json-schemas';
import { failed, outcomeOf, type RunOutcome } from './run-outcome';
import { FUNCTION_PROVIDER, type FunctionProvider } from '../provider/function-provider';
import type { ActiveFunction } from './active-function';
import { ServiceBindingInjector } from './service-binding-injector';

/** One run to execute: who asked, with what, and until when. */
export interface RunInvocation {
  runId: string;
  input: unknown;
  /** Secret names the run adds to the function's. */
  secrets: string[];
  event?: Record<string, unknown>;
  httpContext?: FunctionContext['httpContext'];
}

/** Extra time the platform waits past a function's timeout for the provider's own verdict. */
export const PROVIDER_GRACE_MS = 1000;

/**
 * The runner chain: input schema → secrets (identity-manager, over the bus) → service
 * bindings → the provider call under the deadline → output schema. Every failure becomes a typed
 * outcome (InputError, FunctionError, SystemError); nothing here throws for a run that went wrong.
 */
@Injectable()
export class RunExecutor {
  constructor(
    @Inject(FUNCTION_PROVIDER) private readonly provider: FunctionProvider,
    @Inject(BUS) private readonly bus: Bus,
    private readonly bindings: ServiceBindingInjector,
  ) {}

  async execute(fn: ActiveFunction, run: RunInvocation): Promise<RunOutcome> {
    if (fn.validateInput && !fn.validateInput(run.input)) {
      return failed(RunErrorType.InputError, `input does not match the function's inputSchema: ${schemaProblems(fn.validateInput)}`);
    }
    const names = run.secrets.length ? [...new Set([...fn.spec.secrets, ...run.secrets])] : fn.spec.secrets;
    let secrets: Record<string, string> = {};
    if (names.length) {
      try {
        secrets = (await this.bus.request('identity.secret.resolve.v1', { org: fn.org, names })).secrets;
      } catch (err) {
        if ((err as { code?: string }).code === ErrorCode.NOT_FOUND)
          return failed(
            RunErrorType.InputError,
            `${(err as Error).message}; create it or remove it from the function's or the run's secrets`,
          );
        return failed(RunErrorType.SystemError, `secrets could not be read from identity-manager: ${(err as Error).message}`);
      }
    }
    let serviceBindings: Record<string, Record<string, unknown>> = {};
    try {
      if (fn.spec.services.length) serviceBindings = await this.bindings.credentialsFor(fn.org, fn.spec.services);
    } catch (err) {
      return failed(
        err instanceof DispatchError && err.code !== ErrorCode.SERVICE_UNAVAILABLE ? RunErrorType.InputError : RunErrorType.SystemError,
        (err as Error).message,
      );
    }
    const timeoutMs = fn.spec.timeoutSeconds * 1000;
    const envelope: FunctionEnvelope = {
      context: {
        runId: run.runId,
        functionName: fn.name,
        org: fn.org,
        deadline: Date.now() + timeoutMs,
        secrets,
        serviceBindings,
        ...(run.event ? { event: run.event } : {}),
        ...(run.httpContext ? { httpContext: run.httpContext } : {}),
      },
      payload: run.input ?? null,
    };
    const answer = await this.provider.call(fn.providerName as string, envelope, { timeoutMs: timeoutMs + PROVIDER_GRACE_MS });
    const outcome = outcomeOf(answer, fn.spec);
    if (outcome.status === RunStatus.SUCCEEDED && fn.validateOutput && !fn.validateOutput(outcome.output)) {
      return {
        ...failed(
          RunErrorType.FunctionError,
          `output does not match the function's outputSchema: ${schemaProblems(fn.validateOutput)}`,
          outcome.logs,
        ),
        output: outcome.output,
      };
    }
    return outcome;
  }
}
