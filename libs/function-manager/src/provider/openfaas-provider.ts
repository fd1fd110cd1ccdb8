import type { OpenFaasFunctionDeployment, OpenFaasFunctionStatus, OpenFaasLogEntry } from '@dispatch/contracts';
import { isProviderTimeout, type OpenFaasClient } from '@dispatch/openfaas-client';
import type { FunctionProvider, ProviderCallResult } from './function-provider';

const EMPTY = Buffer.alloc(0);

/** The function provider over the OpenFaaS client: a call that outlives its budget is a `timeout` result, not an error. */
export class OpenFaasProvider implements FunctionProvider {
  constructor(readonly client: OpenFaasClient) {}

  deploy(deployment: OpenFaasFunctionDeployment): Promise<void> {
    return this.client.deploy(deployment);
  }

  update(deployment: OpenFaasFunctionDeployment): Promise<void> {
    return this.client.update(deployment);
  }

  remove(name: string): Promise<void> {
    return this.client.remove(name);
  }

  find(name: string): Promise<OpenFaasFunctionStatus | undefined> {
    return this.client.find(name);
  }

  list(): Promise<OpenFaasFunctionStatus[]> {
    return this.client.list();
  }

  logs(name: string, options: { tail: number }): Promise<OpenFaasLogEntry[]> {
    return this.client.logs(name, { tail: options.tail });
  }

  async invoke(name: string, body: Buffer, options: { timeoutMs: number }): Promise<ProviderCallResult> {
    try {
      const answer = await this.client.invoke(name, body, { timeoutMs: options.timeoutMs, headers: { 'content-type': 'application/json' } });
      return answer.failure ? { status: answer.status, body: answer.body, failure: answer.failure } : { status: answer.status, body: answer.body };
    } catch (err) {
      if (isProviderTimeout(err)) return { status: 504, body: EMPTY, failure: 'timeout' };
      throw err;
    }
  }
}
