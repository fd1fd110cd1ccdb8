import type { ValidateFunction } from 'ajv';
import type { EntityStatus, FunctionSpec } from '@dispatch/contracts';

/** A function as a run needs it: the version serving now, with its schemas compiled once. */
export interface ActiveFunction {
  id: string;
  org: string;
  name: string;
  status: EntityStatus;
  /** Null when no version can serve yet. */
  version: number | null;
  providerName: string | null;
  spec: FunctionSpec;
  validateInput?: ValidateFunction;
  validateOutput?: ValidateFunction;
}
