export * from './test-idp';
export * from './forge-token';
export { generateSigningKey, SIGNING_ALGS, type SigningAlg, type SigningKey } from './signing-keys';
