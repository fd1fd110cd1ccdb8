/**
 * Longest credential we look at. Real JWTs are a few kB; refusing larger ones before any base64 or
 * JSON decoding keeps a garbage header from costing more than a length check.
 */
export const MAX_TOKEN_LENGTH = 16 * 1024;

// RFC 6750 §2.1: `Bearer` (any case), then a token68.
const BEARER = /^bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;
// header.payload.signature, each base64url; the signature may be empty (alg "none") so that such a
// token reaches a verifier and is refused with a reason instead of being taken for an API key.
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** The credential of an `Authorization: Bearer …` header, or undefined for any other header. */
export function bearerTokenOf(authorizationHeader: string | undefined): string | undefined {
  if (!authorizationHeader || authorizationHeader.length > MAX_TOKEN_LENGTH + 16) return undefined;
  return BEARER.exec(authorizationHeader)?.[1];
}

/** Whether a credential has the shape of a compact JWS (as opposed to, say, an API key). */
export function looksLikeJwt(token: string): boolean {
  return token.length <= MAX_TOKEN_LENGTH && JWT_SHAPE.test(token);
}
