/**
 * The API server's own validation of a core/v1 Secret, on top of the OpenAPI schema that
 * kubernetes-models checks: the rules of k8s.io/kubernetes pkg/apis/core/validation
 * (ValidateSecret, ValidateSecretUpdate, ValidateObjectMeta) and of apimachinery's
 * util/validation, with their messages. A schema knows types and formats; these rules are what
 * a real cluster adds (names, label and annotation syntax, data keys, sizes, immutability).
 */

/** One entry of a 422 Status's `details.causes`. */
export interface StatusCause {
  reason: 'FieldValueInvalid' | 'FieldValueRequired' | 'FieldValueTooLong' | 'FieldValueForbidden';
  field: string;
  message: string;
}

/** Secret data may hold at most 1 MiB (corevalidation.MaxSecretSize). */
export const MAX_SECRET_SIZE = 1024 * 1024;
/** Annotations may hold at most 256 KiB, keys plus values (TotalAnnotationSizeLimitB). */
export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

const DNS1123_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN = new RegExp(`^${DNS1123_LABEL}(\\.${DNS1123_LABEL})*$`);
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const QUALIFIED_NAME_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const CONFIG_KEY_MSG =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
const IMMUTABLE_MSG = 'field is immutable when `immutable` is set';

export function isDns1123Subdomain(value: string): boolean {
  return value.length <= 253 && DNS1123_SUBDOMAIN.test(value);
}

/** `[prefix/]name`: prefix a DNS-1123 subdomain, name at most 63 characters. */
export function qualifiedNameProblems(value: string): string[] {
  const parts = value.split('/');
  let name = value;
  const problems: string[] = [];
  if (parts.length > 2) {
    return [
      "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character, with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  if (parts.length === 2) {
    const [prefix, rest] = parts;
    name = rest;
    if (prefix.length === 0) problems.push('prefix part must be non-empty');
    else if (!isDns1123Subdomain(prefix)) problems.push(`prefix part ${SUBDOMAIN_MSG}`);
  }
  if (name.length === 0) problems.push('name part must be non-empty');
  else if (name.length > 63) problems.push('name part must be no more than 63 characters');
  if (name.length > 0 && !QUALIFIED_NAME_PART.test(name)) problems.push(QUALIFIED_NAME_MSG);
  return problems;
}

export function isQualifiedName(value: string): boolean {
  return qualifiedNameProblems(value).length === 0;
}

export function isLabelValue(value: string): boolean {
  return value.length <= 63 && LABEL_VALUE.test(value);
}

/** The slice of a Secret these rules read; anything else in the object is left alone. */
export interface SecretLike {
  metadata?: { name?: string; generateName?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  data?: Record<string, string>;
  type?: string;
  immutable?: boolean;
}

/** ValidateSecret: what a create (and every update) must satisfy. */
export function validateSecret(secret: SecretLike): StatusCause[] {
  const causes: StatusCause[] = [];
  const meta = secret.metadata ?? {};
  if (!meta.name && !meta.generateName) {
    causes.push({ reason: 'FieldValueRequired', field: 'metadata.name', message: 'Required value: name or generateName is required' });
  } else if (meta.name) {
    if (meta.name.length > 253) causes.push(invalid('metadata.name', meta.name, 'must be no more than 253 characters'));
    if (!DNS1123_SUBDOMAIN.test(meta.name)) causes.push(invalid('metadata.name', meta.name, SUBDOMAIN_MSG));
  }
  for (const [key, value] of Object.entries(meta.labels ?? {})) {
    for (const p of qualifiedNameProblems(key)) causes.push(invalid('metadata.labels', key, p));
    if (value.length > 63) causes.push(invalid(`metadata.labels`, value, 'must be no more than 63 characters'));
    if (!LABEL_VALUE.test(value)) causes.push(invalid('metadata.labels', value, LABEL_VALUE_MSG));
  }
  let annotationBytes = 0;
  for (const [key, value] of Object.entries(meta.annotations ?? {})) {
    for (const p of qualifiedNameProblems(key.toLowerCase())) causes.push(invalid('metadata.annotations', key, p));
    annotationBytes += Buffer.byteLength(key) + Buffer.byteLength(value);
  }
  if (annotationBytes > TOTAL_ANNOTATION_SIZE_LIMIT) {
    causes.push({
      reason: 'FieldValueTooLong',
      field: 'metadata.annotations',
      message: `Too long: must have at most ${TOTAL_ANNOTATION_SIZE_LIMIT} bytes`,
    });
  }
  let dataBytes = 0;
  for (const [key, value] of Object.entries(secret.data ?? {})) {
    const field = `data[${key}]`;
    if (key.length > 253) causes.push(invalid(field, key, 'must be no more than 253 characters'));
    if (!CONFIG_KEY.test(key)) causes.push(invalid(field, key, CONFIG_KEY_MSG));
    if (key === '.') causes.push(invalid(field, key, "must not be '.'"));
    else if (key === '..') causes.push(invalid(field, key, "must not be '..'"));
    else if (key.startsWith('..')) causes.push(invalid(field, key, "must not start with '..'"));
    dataBytes += Buffer.from(value, 'base64').length;
  }
  if (dataBytes > MAX_SECRET_SIZE) {
    causes.push({ reason: 'FieldValueTooLong', field: 'data', message: `Too long: may not be more than ${MAX_SECRET_SIZE} bytes` });
  }
  return causes;
}

/** ValidateSecretUpdate: the create rules plus what may not change. */
export function validateSecretUpdate(next: SecretLike, previous: SecretLike): StatusCause[] {
  const causes = validateSecret(next);
  if ((next.type ?? 'Opaque') !== (previous.type ?? 'Opaque')) {
    causes.push(invalid('type', next.type ?? 'Opaque', 'field is immutable'));
  }
  if (previous.immutable === true) {
    if (next.immutable !== true) causes.push({ reason: 'FieldValueForbidden', field: 'immutable', message: `Forbidden: ${IMMUTABLE_MSG}` });
    if (JSON.stringify(sorted(next.data)) !== JSON.stringify(sorted(previous.data))) {
      causes.push({ reason: 'FieldValueForbidden', field: 'data', message: `Forbidden: ${IMMUTABLE_MSG}` });
    }
  }
  return causes;
}

function invalid(field: string, value: string, detail: string): StatusCause {
  return { reason: 'FieldValueInvalid', field, message: `Invalid value: ${JSON.stringify(value)}: ${detail}` };
}

function sorted(data: Record<string, string> | undefined): [string, string][] {
  return Object.entries(data ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
