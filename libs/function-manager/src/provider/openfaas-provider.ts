import { ErrorCode, type FunctionEnvelope } from '@dispatch/contracts';
import type { OpenFaasClient } from '@dispatch/openfaas-client';
import { DispatchError } from '@dispatch/platform';
import { deploymentOf } from '../version/deployment';
import type { CallAnswer, FunctionProvider, VersionDeployment, VersionState } from './function-provider';
import { answerOf, answerOfError } from './openfaas-answer';

const JSON_CALL = { 'content-type': 'application/json' };

/** The function provider over an OpenFaaS gateway: each version is one OpenFaaS function. */
export class OpenFaasProvider implements FunctionProvider {
  constructor(readonly client: OpenFaasClient) {}

  deploy(version: VersionDeployment): Promise<void> {
    return this.client.deploy(deploymentOf(version, version.spec));
  }

  async state(providerName: string): Promise<VersionState> {
    const status = await this.client.find(providerName);
    if (!status) return 'absent';
    return (status.availableReplicas ?? 0) >= 1 ? 'ready' : 'starting';
  }

  async deployedNames(): Promise<string[]> {
    return (await this.client.list()).map((f) => f.name);
  }

  async recentLogs(providerName: string, lines: number): Promise<string[]> {
    return (await this.client.logs(providerName, { tail: lines })).map((entry) => entry.text);
  }

  async remove(providerName: string): Promise<void> {
    try {
      await this.client.remove(providerName);
    } catch (err) {
      if (!(err instanceof DispatchError && err.code === ErrorCode.NOT_FOUND)) throw err;
    }
  }

  async call(providerName: string, envelope: FunctionEnvelope, options: { timeoutMs: number }): Promise<CallAnswer> {
    try {
      return answerOf(
        await this.client.invoke(providerName, Buffer.from(JSON.stringify(envelope)), { timeoutMs: options.timeoutMs, headers: JSON_CALL }),
      );
    } catch (err) {
      return answerOfError(err);
    }
  }
}
