export { KubernetesSecretStore, type KubernetesSecretStoreOptions } from './kubernetes-secret-store';
export { KubernetesApiError } from './kubernetes-api-failure';
export { kubernetesSecretStoreFromEnv, kubernetesSecretsConfigSchema, type KubernetesSecretStoreFromEnvOptions } from './kubernetes-secrets-config';
export * from './secret-naming';
