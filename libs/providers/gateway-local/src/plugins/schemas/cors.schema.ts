// A copy of ../shared/specs/kong/plugins/Cors.json (schemas.spec.ts fails when they drift): the built
// lib carries no JSON, and the plugin validates its config against this at run time.
export const corsSchema = {
  properties: {
    config: {
      properties: {
        credentials: {
          default: false,
          description: 'Flag to determine whether the `Access-Control-Allow-Credentials` header should be sent with `true` as the value.',
          type: 'boolean',
        },
        exposed_headers: {
          description: 'Value for the `Access-Control-Expose-Headers` header. If not specified, no custom headers are exposed.',
          items: {
            required: [],
            type: 'string',
          },
          type: 'array',
        },
        headers: {
          description: 'Value for the `Access-Control-Allow-Headers` header.',
          items: {
            required: [],
            type: 'string',
          },
          type: 'array',
        },
        max_age: {
          description: 'Indicates how long the results of the preflight request can be cached, in `seconds`.',
          type: 'number',
        },
        methods: {
          default: ['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'TRACE'],
          description:
            "'Value for the `Access-Control-Allow-Methods` header. Available options include `GET`, `HEAD`, `PUT`, `PATCH`, `POST`, `DELETE`, `OPTIONS`, `TRACE`, `CONNECT`. By default, all options are allowed.'",
          items: {
            enum: ['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'TRACE'],
            required: [],
            type: 'string',
          },
          type: 'array',
        },
        origins: {
          description:
            'List of allowed domains for the `Access-Control-Allow-Origin` header. If you want to allow all origins, add `*` as a single value to this configuration field. The accepted values can either be flat strings or PCRE regexes.',
          items: {
            required: [],
            type: 'string',
          },
          type: 'array',
        },
        preflight_continue: {
          default: false,
          description: 'A boolean value that instructs the plugin to proxy the `OPTIONS` preflight request to the Upstream service.',
          type: 'boolean',
        },
        private_network: {
          default: false,
          description:
            'Flag to determine whether the `Access-Control-Allow-Private-Network` header should be sent with `true` as the value.',
          type: 'boolean',
        },
      },
      required: [],
      type: 'object',
    },
    protocols: {
      default: ['grpc', 'grpcs', 'http', 'https'],
      description: 'A set of strings representing HTTP protocols.',
      items: {
        enum: ['grpc', 'grpcs', 'http', 'https'],
        minLength: 1,
        required: [],
        type: 'string',
      },
      type: 'array',
    },
    route: {
      additionalProperties: false,
      description:
        'If set, the plugin will only activate when receiving requests via the specified route. Leave unset for the plugin to activate regardless of the route being used.',
      properties: {
        id: {
          type: 'string',
        },
      },
      required: [],
      type: 'object',
    },
    service: {
      additionalProperties: false,
      description:
        'If set, the plugin will only activate when receiving requests via one of the routes belonging to the specified Service. Leave unset for the plugin to activate regardless of the Service being matched.',
      properties: {
        id: {
          type: 'string',
        },
      },
      required: [],
      type: 'object',
    },
  },
  required: [],
} as const;
