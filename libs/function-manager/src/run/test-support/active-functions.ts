import { randomUUID } from 'node:crypto';
import { EntityStatus, type FunctionSpec } from '@dispatch/contracts';
import type { ActiveFunction } from '../active-function';

/** A spec with the defaults of FUNCTION_LIMITS, changed by `overrides`. */
export function specOf(overrides: Partial<FunctionSpec> = {}): FunctionSpec {
  return {
    runtime: 'nodejs',
    image: null,
    handler: 'index.js',
    sourceDigest: 'f'.repeat(64),
    inputSchema: null,
    outputSchema: null,
    secrets: [],
    services: [],
    env: {},
    timeoutSeconds: 30,
    memoryMb: 256,
    maxConcurrency: 1,
    minReplicas: 1,
    maxReplicas: 5,
    ...overrides,
  };
}

/** A READY function of org `acme` whose version 1 serves as `<name>-v1`. */
export function activeFunction(name = 'hello', overrides: Partial<ActiveFunction> = {}): ActiveFunction {
  return {
    id: randomUUID(),
    org: 'acme',
    name,
    status: EntityStatus.READY,
    version: 1,
    providerName: `${name}-v1`,
    spec: specOf(),
    ...overrides,
  };
}
