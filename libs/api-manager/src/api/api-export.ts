import { z } from 'zod';
import { apiSchema } from '@dispatch/platform';

const tags = z.array(z.string());

/** One of Kong's entities in the export: the fields the platform writes, any other Kong has kept open. */
const route = z.looseObject({
  name: z.string(),
  paths: z.array(z.string()),
  methods: z.array(z.string()),
  hosts: z.array(z.string()).optional(),
  protocols: z.array(z.string()),
  strip_path: z.boolean(),
  tags,
});
const plugin = z.looseObject({ name: z.string(), config: z.record(z.string(), z.unknown()), enabled: z.boolean(), tags });
const service = z.looseObject({
  name: z.string().meta({ description: '`<org>.<api>`, as the gateway names it.' }),
  protocol: z.enum(['http', 'https']),
  host: z.string(),
  port: z.number().int(),
  path: z.string(),
  tags,
  routes: z.array(route),
  plugins: z.array(plugin),
});

/** The org's APIs as a Kong declarative config (kong.yml), for `deck sync` or a DB-less Kong. */
export const apiExportSchema = apiSchema(
  'KongDeclarativeConfig',
  z.object({ _format_version: z.literal('3.0'), _info: z.object({ select_tags: z.array(z.string()) }), services: z.array(service) }).meta({
    description:
      "Kong's declarative config of the org's APIs: per API the service, route and plugins the gateway is driven toward, tagged dispatch, org:<org>, api:<api>. The gateway's shared secret is the placeholder ${{ env \"DECK_GATEWAY_SHARED_SECRET\" }}. It selects the tags dispatch and org:<org>, so decK syncs the org's entities only.",
  }),
  {
    _format_version: '3.0',
    _info: { select_tags: ['dispatch', 'org:default'] },
    services: [
      {
        name: 'default.greet',
        protocol: 'http',
        host: 'function-manager',
        port: 8080,
        path: '/v1/invoke/default/hello',
        tags: ['dispatch', 'org:default', 'api:greet'],
        routes: [
          {
            name: 'default.greet',
            paths: ['/default/greet'],
            methods: ['GET'],
            protocols: ['http', 'https'],
            strip_path: true,
            tags: ['dispatch', 'org:default', 'api:greet'],
          },
        ],
        plugins: [
          {
            name: 'request-transformer',
            enabled: true,
            config: {
              remove: { headers: ['x-dispatch-gateway-secret', 'x-dispatch-auth', 'x-dispatch-api'] },
              add: {
                headers: [
                  'x-dispatch-gateway-secret:${{ env "DECK_GATEWAY_SHARED_SECRET" }}',
                  'x-dispatch-auth:public',
                  'x-dispatch-api:greet',
                ],
              },
            },
            tags: ['dispatch', 'org:default', 'api:greet'],
          },
        ],
      },
    ],
  },
);
export type ApiExport = z.output<typeof apiExportSchema>;
