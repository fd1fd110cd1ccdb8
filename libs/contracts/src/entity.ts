import type { EntityStatus } from './status';

export interface Tag {
  key: string;
  value: string;
}

/** Fields every entity of every service carries (DESIGN §6). */
export interface EntityBase {
  id: string;
  name: string;
  org: string;
  createdTime: string;
  modifiedTime: string;
  status: EntityStatus;
  reason: string[];
  tags: Tag[];
}

/** DNS-1123 label: what a name may be, so it is safe as a Kubernetes, Kong and OpenFaaS name. */
export const NAME_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const NAME_MAX_LENGTH = 63;

export function isValidName(name: string): boolean {
  return name.length <= NAME_MAX_LENGTH && NAME_PATTERN.test(name);
}
