export * from './shared-specs';
export * from './openfaas-contract';
