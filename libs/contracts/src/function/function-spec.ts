import type { FunctionRuntime } from '../functions';

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
