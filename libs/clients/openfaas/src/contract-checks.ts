/**
 * The JSON bodies the client sends or reads, named as in the `$defs` of
 * ../shared/specs/openfaas/openfaas-gateway.schema.json. The names match `OpenFaasBodyName` of
 * @dispatch/testing, so a test can pass `expectOpenFaasBody` straight in as the check.
 */
export type OpenFaasBodyKind =
  'FunctionDeployment' | 'FunctionStatus' | 'FunctionList' | 'DeleteFunctionRequest' | 'ScaleServiceRequest' | 'LogEntry' | 'GatewayInfo';

/**
 * Asserts that a body conforms to its schema; throws to fail the call. Called with every request
 * body before it is sent and every JSON response body after it is read (each NDJSON log line on
 * its own). Production clients leave it unset: the only cost is one `undefined` test per body, and
 * the client never loads a validator itself (the schema lives in @dispatch/testing).
 */
export type OpenFaasBodyCheck = (kind: OpenFaasBodyKind, body: unknown, direction: 'request' | 'response') => void;
