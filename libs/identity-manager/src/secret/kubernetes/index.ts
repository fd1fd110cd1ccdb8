export { KubernetesSecretStore, type KubernetesSecretStoreOptions } from './kubernetes-secret-store';
export { KubernetesApiError } from './kubernetes-api-failure';
export {
  kubernetesSecretStoreOf,
  kubernetesSecretsConfigSchema,
  type KubernetesSecretsConfig,
  type KubernetesSecretStoreOfOptions,
} from './kubernetes-secrets-config';
export * from './secret-naming';
