import { Controller, Get, Param, Post } from '@nestjs/common';
import { z } from 'zod';
import { ErrorCode } from '@dispatch/contracts';
import { ApiErrors, ApiPublicErrors } from './api-errors';
import { ApiPageQuery } from './api-page-query';
import { apiSchema, ApiZodResponse, pageSchemaOf, withApiSchemaComponents } from './api-schemas';
import { ApiZodBody } from './zod-body';

interface DocumentedResponse {
  description: string;
  schema?: Record<string, unknown>;
  example?: unknown;
  examples?: Record<string, { value: { code: string } }>;
}

/** What @nestjs/swagger will write for a handler: its responses by status. */
const responsesOf = (handler: object) => Reflect.getMetadata('swagger/apiResponse', handler) as Record<string, DocumentedResponse>;
const codesOf = (response: DocumentedResponse) => Object.keys(response.examples ?? {}).sort();

const widget = apiSchema('SpecWidget', z.object({ name: z.string(), size: z.number().int().default(1) }), { name: 'w', size: 1 });

@Controller('widgets')
class WidgetsController {
  @Post()
  @ApiZodBody(z.object({ name: z.string() }))
  @ApiZodResponse(201, widget, { description: 'created' })
  @ApiErrors(ErrorCode.NAME_CONFLICT, ErrorCode.VALIDATION_FAILED)
  create() {}

  @Get()
  @ApiPageQuery()
  @ApiErrors()
  list() {}

  @Get(':name')
  @ApiErrors(ErrorCode.NOT_FOUND)
  get(@Param('name') name: string) {
    return name;
  }

  @Get('health')
  @ApiPublicErrors()
  health() {}
}

describe('OpenAPI response decorators', () => {
  it('documents a view by reference to its named schema, with its example', () => {
    expect(responsesOf(WidgetsController.prototype.create)['201']).toMatchObject({
      description: 'created',
      schema: { $ref: '#/components/schemas/SpecWidget' },
      example: { name: 'w', size: 1 },
    });
  });

  it('documents each error code once, under its status, with an example naming it', () => {
    const responses = responsesOf(WidgetsController.prototype.create);
    expect(codesOf(responses['400'])).toEqual(['INVALID_CHARACTER', 'INVALID_JSON', 'INVALID_URL', 'VALIDATION_FAILED']);
    expect(responses['400'].description.match(/VALIDATION_FAILED/g)).toHaveLength(1);
    expect(codesOf(responses['409'])).toEqual(['NAME_CONFLICT']);
    expect(codesOf(responses['503'])).toEqual(['SERVICE_UNAVAILABLE', 'STORE_UNAVAILABLE']);
    expect(Object.keys(responses).sort()).toEqual(['201', '400', '401', '403', '409', '413', '415', '500', '503']);
    expect(responses['409'].schema).toEqual({ $ref: '#/components/schemas/DispatchError' });
    expect(responses['409'].examples?.['NAME_CONFLICT'].value.code).toBe('NAME_CONFLICT');
  });

  it('adds the page errors to a list, and 414 only to a route that takes a path parameter', () => {
    expect(codesOf(responsesOf(WidgetsController.prototype.list)['400'])).toContain('INVALID_PAGE_TOKEN');
    expect(responsesOf(WidgetsController.prototype.list)['414']).toBeUndefined();
    expect(codesOf(responsesOf(WidgetsController.prototype.get)['414'])).toEqual(['PATH_PARAMETER_TOO_LONG']);
  });

  it('documents no authentication errors on a public route', () => {
    expect(Object.keys(responsesOf(WidgetsController.prototype.health)).sort()).toEqual(['400', '500', '503']);
  });

  it('describes a page and puts the named schemas, as answered (defaults applied), into the document', () => {
    expect(pageSchemaOf(widget)).toMatchObject({
      properties: { items: { type: 'array', items: { $ref: '#/components/schemas/SpecWidget' } }, nextPageToken: { type: 'string' } },
      required: ['items'],
    });
    const document = withApiSchemaComponents<{ components: { schemas: Record<string, unknown> } }>({
      components: { schemas: { Other: {} } },
    });
    expect(document.components.schemas['Other']).toEqual({});
    expect(document.components.schemas['SpecWidget']).toMatchObject({
      type: 'object',
      required: ['name', 'size'],
      additionalProperties: false,
      examples: [{ name: 'w', size: 1 }],
    });
    expect(document.components.schemas['DispatchError']).toMatchObject({ required: ['code', 'message', 'requestId'] });
  });

  it('refuses two schemas under one name', () => {
    expect(() => apiSchema('SpecWidget', z.object({}))).toThrow(/two API schemas are named "SpecWidget"/);
  });
});
