import { readFileSync } from 'node:fs';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { sharedSpecPath } from './shared-specs';

/** Bodies defined by ../shared/specs/openfaas/openfaas-gateway.schema.json (its `$defs`). */
export type OpenFaasBodyName =
  | 'FunctionDeployment'
  | 'FunctionStatus'
  | 'FunctionList'
  | 'DeleteFunctionRequest'
  | 'ScaleServiceRequest'
  | 'SecretDescription'
  | 'SecretList'
  | 'Secret'
  | 'LogEntry'
  | 'ListNamespaceResponse'
  | 'GatewayInfo'
  | 'PrometheusAlert';

let compiled: Map<string, ValidateFunction> | undefined;

function validators(): Map<string, ValidateFunction> {
  if (compiled) return compiled;
  const schema = JSON.parse(readFileSync(sharedSpecPath('openfaas', 'openfaas-gateway.schema.json'), 'utf8')) as {
    $id: string;
    $defs: Record<string, unknown>;
  };
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  ajv.addSchema(schema);
  compiled = new Map(Object.keys(schema.$defs).map((name) => [name, ajv.getSchema(`${schema.$id}#/$defs/${name}`) as ValidateFunction]));
  return compiled;
}

/** The problems of `body` as an OpenFaaS `name` body, empty when it conforms. */
export function openFaasBodyProblems(name: OpenFaasBodyName, body: unknown): string[] {
  const validate = validators().get(name);
  if (!validate) throw new Error(`no ${name} in the OpenFaaS gateway schema`);
  if (validate(body)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
}

/** Throws, naming every problem, unless `body` is a valid OpenFaaS `name` body. */
export function expectOpenFaasBody(name: OpenFaasBodyName, body: unknown): void {
  const problems = openFaasBodyProblems(name, body);
  if (problems.length) throw new Error(`not a valid OpenFaaS ${name}: ${problems.join('; ')}\n${JSON.stringify(body)}`);
}
