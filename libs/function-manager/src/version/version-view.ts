import type { FunctionSpec } from '@dispatch/contracts';
import type { FunctionVersion } from './version.entity';

/** A version as the API answers it: its spec, where it is in its life and why. */
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
