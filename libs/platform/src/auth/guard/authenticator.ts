import type { Principal } from '@dispatch/contracts';

/** Turns a bearer credential into a verified principal, or throws 401 UNAUTHENTICATED. */
export interface Authenticator {
  authenticate(credential: string): Promise<Principal>;
}

export const AUTHENTICATOR = Symbol.for('dispatch.authenticator');
