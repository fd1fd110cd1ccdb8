import { readFileSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { z } from 'zod';
import { NAME_MAX_LENGTH, NAME_PATTERN } from '@dispatch/contracts';
import { ConfigError } from '@dispatch/platform';
import { KubernetesSecretStore, type KubernetesSecretStoreOptions } from './kubernetes-secret-store';

/** Where a pod finds the namespace it runs in (mounted with its service account token). */
export const SERVICE_ACCOUNT_NAMESPACE_FILE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

/**
 * Settings of the Kubernetes secrets backend. `SECRETS_NAMESPACE` is the namespace the Secrets go
 * into; unset, it is the namespace of the pod Dispatch runs in. Which cluster and credentials:
 * @kubernetes/client-node's defaults — `KUBECONFIG`, else `~/.kube/config`, else the pod's
 * service account (token re-read as it rotates).
 */
export const kubernetesSecretsConfigSchema = z.object({
  SECRETS_NAMESPACE: z
    .string()
    .max(NAME_MAX_LENGTH, `at most ${NAME_MAX_LENGTH} characters`)
    .regex(NAME_PATTERN, 'must be a Kubernetes namespace name (DNS-1123 label)')
    .optional(),
});

export type KubernetesSecretsConfig = z.infer<typeof kubernetesSecretsConfigSchema>;

export interface KubernetesSecretStoreOfOptions extends Partial<KubernetesSecretStoreOptions> {
  /** The cluster to talk to; by default loaded as described on kubernetesSecretsConfigSchema. */
  kubeConfig?: KubeConfig;
  /** Where the pod's namespace is read from when SECRETS_NAMESPACE is unset. */
  namespaceFile?: string;
}

/**
 * The Kubernetes secrets backend, from settings already checked by kubernetesSecretsConfigSchema;
 * a ConfigError says what is missing (no namespace, outside a pod).
 */
export function kubernetesSecretStoreOf(
  config: KubernetesSecretsConfig,
  options: KubernetesSecretStoreOfOptions = {},
): KubernetesSecretStore {
  const namespace = options.namespace ?? config.SECRETS_NAMESPACE ?? podNamespace(options.namespaceFile ?? SERVICE_ACCOUNT_NAMESPACE_FILE);
  let kubeConfig = options.kubeConfig;
  if (!kubeConfig) {
    kubeConfig = new KubeConfig();
    kubeConfig.loadFromDefault();
  }
  return new KubernetesSecretStore(kubeConfig, { ...options, namespace });
}

function podNamespace(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch {
    throw new ConfigError([
      `SECRETS_NAMESPACE: not set, and ${file} cannot be read (not running in a pod): set it to the namespace secrets are kept in`,
    ]);
  }
  if (!NAME_PATTERN.test(text)) throw new ConfigError([`SECRETS_NAMESPACE: not set, and ${file} does not hold a namespace name`]);
  return text;
}
