import {
  DISPATCH_ENV_HANDLER,
  DISPATCH_ENV_RUNTIME,
  isValidName,
  LOCAL_IMAGE_PATTERN,
  OPENFAAS_ENV_EXEC_TIMEOUT,
  OPENFAAS_ENV_MAX_INFLIGHT,
  OPENFAAS_LABEL_SCALE_MAX,
  OPENFAAS_LABEL_SCALE_MIN,
  type OpenFaasFunctionDeployment,
} from '@dispatch/contracts';
import { MAX_INFLIGHT_LIMIT, MIB, parseCount, parseGoDuration, parseMemoryQuantity, type Parsed } from './limits';

/** The namespace functions live in when a deployment names none (OpenFaaS's default). */
export const DEFAULT_NAMESPACE = 'openfaas-fn';

/** Everything a pool needs to run a function, resolved once at deploy time from the strings of the deployment. */
export interface FunctionSpec {
  name: string;
  namespace: string;
  image: string;
  /** `<imagesRoot>/<hex>`: the function's code tree. */
  codeDir: string;
  runtime: string;
  handler: string;
  envVars: Record<string, string>;
  memoryLimitBytes?: number;
  /** The limit in whole MiB, as the runtimes take it. */
  memoryLimitMb?: number;
  /** 0 = no timeout (OpenFaaS's reading of `exec_timeout=0`). */
  execTimeoutMs: number;
  minReplicas: number;
  maxReplicas: number;
  /** Calls one worker serves at once; Infinity when `max_inflight=0` (of-watchdog: unlimited). */
  maxInflight: number;
  /** The body as deployed, echoed in FunctionStatus. */
  deployment: OpenFaasFunctionDeployment;
}

export interface DeploymentRules {
  /** Values DISPATCH_RUNTIME may take: the runtimes this provider has shims for. */
  runtimes: readonly string[];
  imagesRoot: string;
  /** Whether a local image's code tree exists (injected: the rules stay free of I/O). */
  imageExists(dir: string): boolean;
  defaults: { minReplicas: number; maxReplicas: number; maxInflight: number; execTimeoutMs: number };
  /** Highest scale.max accepted: a laptop runs these processes. */
  replicaLimit: number;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringMap = (v: unknown): v is Record<string, string> => isObject(v) && Object.values(v).every((x) => typeof x === 'string');
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** The structural problem of a FunctionDeployment body (OpenFaaS schema plus the DNS-1123 name rule), if any. */
function shapeProblem(body: unknown): string | undefined {
  if (!isObject(body)) return 'the body must be a FunctionDeployment JSON object';
  if (typeof body['service'] !== 'string') return 'service is required: the function name';
  if (!isValidName(body['service']))
    return `service "${body['service']}" must be a DNS-1123 label (lower-case letters, digits and "-", at most 63 characters)`;
  if (typeof body['image'] !== 'string' || !body['image']) return 'image is required';
  for (const key of ['namespace', 'envProcess'] as const) {
    if (body[key] !== undefined && typeof body[key] !== 'string') return `${key} must be a string`;
  }
  if (body['envVars'] !== undefined && !isStringMap(body['envVars'])) return 'envVars must map names to string values';
  for (const key of ['labels', 'annotations'] as const) {
    if (body[key] !== undefined && body[key] !== null && !isStringMap(body[key])) return `${key} must map names to string values`;
  }
  for (const key of ['limits', 'requests'] as const) {
    const r = body[key];
    if (r === undefined || r === null) continue;
    if (
      !isObject(r) ||
      (r['memory'] !== undefined && typeof r['memory'] !== 'string') ||
      (r['cpu'] !== undefined && typeof r['cpu'] !== 'string')
    ) {
      return `${key} must be {memory?: string, cpu?: string}`;
    }
  }
  for (const key of ['constraints', 'secrets'] as const) {
    if (body[key] !== undefined && !isStringArray(body[key])) return `${key} must be an array of strings`;
  }
  if (body['readOnlyRootFilesystem'] !== undefined && typeof body['readOnlyRootFilesystem'] !== 'boolean')
    return 'readOnlyRootFilesystem must be a boolean';
  return undefined;
}

/**
 * Checks a FunctionDeployment against the provider's rules and resolves its knobs, before any
 * side effect (faas-netes: validate first). The problem text is the 400 body.
 */
export function resolveDeployment(body: unknown, rules: DeploymentRules): Parsed<FunctionSpec> {
  const problem = shapeProblem(body);
  if (problem) return { ok: false, problem };
  const deployment = body as OpenFaasFunctionDeployment;
  const fail = (p: string): Parsed<FunctionSpec> => ({ ok: false, problem: p });

  const image = LOCAL_IMAGE_PATTERN.exec(deployment.image);
  if (!image)
    return fail(`image "${deployment.image}" is not a local image (local/<64 hex digits>): faas-local runs only images of solo mode`);
  const codeDir = `${rules.imagesRoot.replace(/\/+$/, '')}/${image[1]}`;
  if (!rules.imageExists(codeDir)) return fail(`image "${deployment.image}" not found: no code tree at ${codeDir}`);

  const envVars = deployment.envVars ?? {};
  for (const [name, value] of Object.entries(envVars)) {
    if (!ENV_NAME.test(name)) return fail(`envVars name "${name}" must match ^[A-Za-z_][A-Za-z0-9_]*$`);
    if (value.includes('\0')) return fail(`envVars value of ${name} contains a NUL character`);
  }
  const runtime = envVars[DISPATCH_ENV_RUNTIME];
  const known = rules.runtimes.join(', ');
  if (!runtime) return fail(`envVars.${DISPATCH_ENV_RUNTIME} is required: one of ${known}`);
  if (!rules.runtimes.includes(runtime))
    return fail(`envVars.${DISPATCH_ENV_RUNTIME} "${runtime}" is not a runtime of this provider (${known})`);
  // The shims refuse to start without it: say so now rather than in a worker's exit line.
  if (!envVars[DISPATCH_ENV_HANDLER])
    return fail(`envVars.${DISPATCH_ENV_HANDLER} is required: the handler the runtime loads (index.js, hello.handle, …)`);

  let memoryLimitBytes: number | undefined;
  if (deployment.limits?.memory !== undefined) {
    const memory = parseMemoryQuantity(deployment.limits.memory);
    if (!memory.ok) return fail(memory.problem);
    memoryLimitBytes = memory.value;
  }

  let execTimeoutMs = rules.defaults.execTimeoutMs;
  if (envVars[OPENFAAS_ENV_EXEC_TIMEOUT] !== undefined) {
    const timeout = parseGoDuration(envVars[OPENFAAS_ENV_EXEC_TIMEOUT], `envVars.${OPENFAAS_ENV_EXEC_TIMEOUT}`);
    if (!timeout.ok) return fail(timeout.problem);
    execTimeoutMs = timeout.value;
  }

  let maxInflight = rules.defaults.maxInflight;
  if (envVars[OPENFAAS_ENV_MAX_INFLIGHT] !== undefined) {
    const n = parseCount(envVars[OPENFAAS_ENV_MAX_INFLIGHT], `envVars.${OPENFAAS_ENV_MAX_INFLIGHT}`, { min: 0, max: MAX_INFLIGHT_LIMIT });
    if (!n.ok) return fail(n.problem);
    maxInflight = n.value === 0 ? Infinity : n.value;
  }

  const labels = deployment.labels ?? {};
  const range = { min: 0, max: rules.replicaLimit };
  let minReplicas = rules.defaults.minReplicas;
  let maxReplicas = rules.defaults.maxReplicas;
  if (labels[OPENFAAS_LABEL_SCALE_MIN] !== undefined) {
    const n = parseCount(labels[OPENFAAS_LABEL_SCALE_MIN], `labels.${OPENFAAS_LABEL_SCALE_MIN}`, range);
    if (!n.ok) return fail(n.problem);
    minReplicas = n.value;
  }
  if (labels[OPENFAAS_LABEL_SCALE_MAX] !== undefined) {
    const n = parseCount(labels[OPENFAAS_LABEL_SCALE_MAX], `labels.${OPENFAAS_LABEL_SCALE_MAX}`, { min: 1, max: rules.replicaLimit });
    if (!n.ok) return fail(n.problem);
    maxReplicas = n.value;
  } else {
    maxReplicas = Math.max(maxReplicas, minReplicas);
  }
  if (minReplicas > maxReplicas)
    return fail(`labels.${OPENFAAS_LABEL_SCALE_MIN} (${minReplicas}) is above labels.${OPENFAAS_LABEL_SCALE_MAX} (${maxReplicas})`);

  return {
    ok: true,
    value: {
      name: deployment.service,
      namespace: deployment.namespace || DEFAULT_NAMESPACE,
      image: deployment.image,
      codeDir,
      runtime,
      handler: envVars[DISPATCH_ENV_HANDLER],
      envVars,
      memoryLimitBytes,
      memoryLimitMb: memoryLimitBytes === undefined ? undefined : Math.floor(memoryLimitBytes / MIB),
      execTimeoutMs,
      minReplicas,
      maxReplicas,
      maxInflight,
      deployment,
    },
  };
}
