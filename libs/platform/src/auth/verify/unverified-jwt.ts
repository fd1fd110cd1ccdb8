import { decodeJwt, decodeProtectedHeader, type JWTPayload, type ProtectedHeaderParameters } from 'jose';
import { MAX_TOKEN_LENGTH, looksLikeJwt } from './bearer-token';
import { unauthenticated } from './refusal';

export interface UnverifiedJwt {
  header: ProtectedHeaderParameters;
  payload: JWTPayload;
}

/**
 * Decodes a JWT WITHOUT checking it: only to choose how to verify it (which issuer, which key).
 * Nothing read here may be trusted until a verifier has checked the signature.
 */
export function peekJwt(token: string): UnverifiedJwt {
  if (token.length > MAX_TOKEN_LENGTH) {
    throw unauthenticated(
      `the bearer token is longer than ${MAX_TOKEN_LENGTH} characters, larger than any IdP or service-account token; check what the client sends`,
    );
  }
  if (!looksLikeJwt(token)) {
    throw unauthenticated(
      'the bearer token is not a JWT (header.payload.signature); send an access token from a trusted identity provider',
    );
  }
  try {
    return { header: decodeProtectedHeader(token), payload: decodeJwt(token) };
  } catch {
    throw unauthenticated('the bearer token is not a well-formed JWT (its header or payload is not base64url JSON); get a new token');
  }
}
