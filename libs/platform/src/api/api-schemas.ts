import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { z } from 'zod';

/** A schema object of the OpenAPI document (JSON Schema 2020-12, as OpenAPI 3.1 has it). */
export type SchemaObject = Record<string, unknown>;

interface NamedSchema {
  name: string;
  schema: z.ZodType;
  example?: unknown;
}

/** The schemas the document names in components.schemas, by zod schema and by name. */
const byName = new Map<string, NamedSchema>();
const bySchema = new Map<z.ZodType, NamedSchema>();

/**
 * Names a schema of what the API answers (a view), so the document describes it once under
 * components.schemas and every operation refers to it: the SDK gets one type per view. The
 * example is shown beside it in /docs (and checked against it by the conformance test).
 */
export function apiSchema<S extends z.ZodType>(name: string, schema: S, example?: z.output<S>): S {
  const taken = byName.get(name);
  if (taken && taken.schema !== schema) throw new Error(`two API schemas are named "${name}"`);
  const entry = { name, schema, example };
  byName.set(name, entry);
  bySchema.set(schema, entry);
  return schema;
}

/** The JSON Schema of what a zod schema lets out (defaults applied, transforms done): the answer's shape. */
export function outputJsonSchema(schema: z.ZodType): SchemaObject {
  const { $schema: _, ...json } = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as SchemaObject;
  return json;
}

/** A reference to a named schema, or the schema itself when it has no name. */
export function schemaObjectOf(schema: z.ZodType): SchemaObject {
  const named = bySchema.get(schema);
  return named ? { $ref: `#/components/schemas/${named.name}` } : outputJsonSchema(schema);
}

/** The example a named schema was given, if any. */
export function exampleOf(schema: z.ZodType): unknown {
  return bySchema.get(schema)?.example;
}

/** components.schemas of the document: every named schema, each with its example. */
export function apiSchemaComponents(): Record<string, SchemaObject> {
  return Object.fromEntries(
    [...byName.values()]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map(({ name, schema, example }) => [
        name,
        example === undefined ? outputJsonSchema(schema) : { ...outputJsonSchema(schema), examples: [example] },
      ]),
  );
}

/** The schema of a page of a list (Page in the contracts): `nextPageToken` only when more follow. */
export function pageSchemaOf(item: z.ZodType): SchemaObject {
  return {
    type: 'object',
    properties: {
      items: { type: 'array', items: schemaObjectOf(item) },
      nextPageToken: { type: 'string', description: 'Absent on the last page; give it as pageToken to get the next one.' },
    },
    required: ['items'],
    additionalProperties: false,
  };
}

interface ResponseOptions {
  description: string;
  /** Shown in /docs; defaults to the named schema's example. */
  example?: unknown;
}

/** Documents a success answer whose body is `schema` (a view), with the status the route really answers. */
export const ApiZodResponse = (status: number, schema: z.ZodType, options: ResponseOptions): MethodDecorator =>
  jsonResponse(status, schemaObjectOf(schema), options.description, options.example ?? exampleOf(schema));

/** Documents a list's answer: a page of `item`. */
export const ApiPageResponse = (item: z.ZodType, options: ResponseOptions): MethodDecorator => {
  const example = options.example ?? exampleOf(item);
  return jsonResponse(200, pageSchemaOf(item), options.description, example === undefined ? undefined : { items: [example] });
};

/** Documents an answer without a body (204). */
export const ApiNoContentResponse = (description: string): MethodDecorator => ApiResponse({ status: 204, description });

function jsonResponse(status: number, schema: SchemaObject, description: string, example: unknown): MethodDecorator {
  return applyDecorators(ApiResponse({ status, description, schema, ...(example === undefined ? {} : { example }) }));
}

/** The document with the named schemas under components.schemas, where the operations' $refs point. */
export function withApiSchemaComponents<D extends { components?: { schemas?: Record<string, unknown> } }>(document: D): D {
  return { ...document, components: { ...document.components, schemas: { ...document.components?.schemas, ...apiSchemaComponents() } } };
}
