import { API_AUTHENTICATIONS } from '@dispatch/contracts';
import { z } from 'zod';
import { apiSchema, ENTITY_EXAMPLE, entityViewSchema } from '@dispatch/platform';
import { API_METHODS, API_PROTOCOLS } from './api-spec';

const method = z.enum(API_METHODS);

/** An API as the API answers it: its spec, and where the gateway serves it. */
export const apiViewSchema = apiSchema(
  'Api',
  entityViewSchema.extend({
    function: z.string(),
    methods: z.array(method),
    paths: z.array(z.string()),
    servedPaths: z.array(z.string()).meta({ description: 'The paths the gateway matches: under /<org> unless hosts are given.' }),
    hosts: z.array(z.string()),
    protocols: z.array(z.enum(API_PROTOCOLS)),
    authentication: z.enum(API_AUTHENTICATIONS),
    cors: z
      .object({
        origins: z.array(z.string()),
        methods: z.array(method),
        headers: z.array(z.string()),
        exposedHeaders: z.array(z.string()),
        credentials: z.boolean(),
        maxAgeSeconds: z.number().int().optional(),
      })
      .nullable(),
    rateLimit: z
      .object({
        second: z.number().int().optional(),
        minute: z.number().int().optional(),
        hour: z.number().int().optional(),
        day: z.number().int().optional(),
      })
      .nullable(),
    requestSizeLimit: z.number().int().nullable(),
    enabled: z.boolean(),
  }),
  {
    ...ENTITY_EXAMPLE,
    name: 'hello',
    function: 'hello',
    methods: ['GET', 'POST'],
    paths: ['/hello'],
    servedPaths: ['/default/hello'],
    hosts: [],
    protocols: ['http', 'https'],
    authentication: 'public',
    cors: null,
    rateLimit: { minute: 600 },
    requestSizeLimit: null,
    enabled: true,
  },
);
export type ApiView = z.output<typeof apiViewSchema>;
