import { Column, Entity, Unique } from 'typeorm';
import type { FunctionRuntime } from '@dispatch/contracts';
import { OrgEntity } from '@dispatch/persistence';

/** The spec a version is deployed from; stored with every version, so a rollback restores it whole. */
export interface FunctionSpec {
  runtime: FunctionRuntime | null;
  /** A prebuilt image to run instead of source (cluster mode, or a runtime's own image). */
  image: string | null;
  handler: string;
  /** Digest of the source tree (function_source), when the function is built from source. */
  sourceDigest: string | null;
  inputSchema: Record<string, unknown> | null;
  outputSchema: Record<string, unknown> | null;
  secrets: string[];
  services: string[];
  env: Record<string, string>;
  timeoutSeconds: number;
  memoryMb: number;
  maxConcurrency: number;
  minReplicas: number;
  maxReplicas: number;
}

/**
 * A function: the spec it should run (its latest version's), which version serves now
 * (`activeVersion`, null until one is READY) and the newest one asked for (`latestVersion`).
 */
@Entity({ name: 'function' })
@Unique('function_org_name_unique', ['org', 'name'])
export class FunctionRecord extends OrgEntity {
  @Column({ type: 'jsonb' }) spec!: FunctionSpec;
  @Column({ name: 'active_version', type: 'int', nullable: true }) activeVersion!: number | null;
  @Column({ name: 'latest_version', type: 'int' }) latestVersion!: number;
}
