import type { EntityBase } from '@dispatch/contracts';
import { entityBaseOf } from '@dispatch/persistence';
import type { FunctionRecord } from '../persistence/entities/function.entity';
import type { FunctionVersion } from '../persistence/entities/function-version.entity';
import type { FunctionSpec } from './function-spec';

/** A function as the API answers it: its spec (without the source bytes) and which version serves. */
export interface FunctionView extends EntityBase, Omit<FunctionSpec, 'sourceDigest'> {
  sourceDigest: string | null;
  activeVersion: number | null;
  latestVersion: number;
}

export function functionViewOf(record: FunctionRecord): FunctionView {
  return { ...entityBaseOf(record), ...record.spec, activeVersion: record.activeVersion, latestVersion: record.latestVersion };
}

export interface VersionView {
  version: number;
  status: string;
  reason: string[];
  image: string | null;
  providerName: string;
  spec: FunctionSpec;
  createdTime: string;
  modifiedTime: string;
}

export function versionViewOf(v: FunctionVersion): VersionView {
  return {
    version: v.version,
    status: v.status,
    reason: v.reason,
    image: v.image,
    providerName: v.providerName,
    spec: v.spec,
    createdTime: v.createdTime.toISOString(),
    modifiedTime: v.modifiedTime.toISOString(),
  };
}
