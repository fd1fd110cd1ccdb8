import {
  DISPATCH_ENV_HANDLER,
  DISPATCH_ENV_RUNTIME,
  type FunctionSpec,
  OPENFAAS_ENV_EXEC_TIMEOUT,
  OPENFAAS_ENV_MAX_INFLIGHT,
  OPENFAAS_LABEL_SCALE_MAX,
  OPENFAAS_LABEL_SCALE_MIN,
  type OpenFaasFunctionDeployment,
} from '@dispatch/contracts';

/**
 * The provider's name of one version of a function: unique per function id and version, readable
 * by an operator, and a DNS-1123 label (at most 40 + 1 + 8 + 2 + 6 characters).
 */
export function providerNameOf(functionName: string, functionId: string, version: number): string {
  const stem = functionName.slice(0, 40).replace(/-+$/, '');
  return `${stem}-${functionId.replace(/-/g, '').slice(0, 8)}-v${version}`;
}

/** The OpenFaaS deployment of a version: its knobs as the labels and watchdog variables faas-netes and faas-local both read. */
export function deploymentOf(
  target: { providerName: string; image: string; org: string; functionName: string; version: number },
  spec: FunctionSpec,
): OpenFaasFunctionDeployment {
  return {
    service: target.providerName,
    image: target.image,
    envVars: {
      ...spec.env,
      ...(spec.runtime ? { [DISPATCH_ENV_RUNTIME]: spec.runtime } : {}),
      [DISPATCH_ENV_HANDLER]: spec.handler,
      [OPENFAAS_ENV_MAX_INFLIGHT]: String(spec.maxConcurrency),
      [OPENFAAS_ENV_EXEC_TIMEOUT]: `${spec.timeoutSeconds}s`,
    },
    labels: {
      [OPENFAAS_LABEL_SCALE_MIN]: String(spec.minReplicas),
      [OPENFAAS_LABEL_SCALE_MAX]: String(spec.maxReplicas),
      'dispatch.io/org': target.org,
      'dispatch.io/function': target.functionName,
      'dispatch.io/version': String(target.version),
    },
    limits: { memory: `${spec.memoryMb}Mi` },
  };
}
