import type { EntityBase, FunctionSpec } from '@dispatch/contracts';
import { entityBaseOf } from '@dispatch/persistence';
import type { FunctionRecord } from './function.entity';

/** A function as the API answers it: its spec (without the source bytes) and which version serves. */
export interface FunctionView extends EntityBase, Omit<FunctionSpec, 'sourceDigest'> {
  sourceDigest: string | null;
  activeVersion: number | null;
  latestVersion: number;
}

export function functionViewOf(record: FunctionRecord): FunctionView {
  return { ...entityBaseOf(record), ...record.spec, activeVersion: record.activeVersion, latestVersion: record.latestVersion };
}
