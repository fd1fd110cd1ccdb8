/**
 * What the API gateway tells function-manager's invoke route about a request, in headers the
 * gateway sets after removing any a client sent: the route config of api-manager writes them,
 * function-manager believes them only with the shared secret.
 */

/** The secret the gateway and function-manager share (GATEWAY_SHARED_SECRET): only the gateway may invoke. */
export const GATEWAY_SECRET_HEADER = 'x-dispatch-gateway-secret';
/** How the API authenticates its callers: one of API_AUTHENTICATIONS. */
export const GATEWAY_AUTH_HEADER = 'x-dispatch-auth';
/** The name of the API whose route matched. */
export const GATEWAY_API_HEADER = 'x-dispatch-api';

/** How an API authenticates its callers. */
export const API_AUTHENTICATIONS = ['public', 'idp-token', 'api-key'] as const;
export type ApiAuthentication = (typeof API_AUTHENTICATIONS)[number];
