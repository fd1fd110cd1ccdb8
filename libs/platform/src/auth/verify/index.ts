export * from './bearer-token';
export * from './oidc-token-verifier';
export * from './service-account-verifier';
export { claimValue, groupsOf, principalFromClaims } from './claims-to-principal';
export { peekJwt, type UnverifiedJwt } from './unverified-jwt';
