// A copy of ../shared/specs/kong/plugins/RequestSizeLimiting.json (schemas.spec.ts fails when they drift): the built
// lib carries no JSON, and the plugin validates its config against this at run time.
export const requestSizeLimitingSchema = {
  properties: {
    config: {
      properties: {
        allowed_payload_size: {
          default: 128,
          description: 'Allowed request payload size in megabytes. Default is `128` megabytes (128000000 bytes).',
          type: 'integer',
        },
        require_content_length: {
          default: false,
          description: 'Set to `true` to ensure a valid `Content-Length` header exists before reading the request body.',
          type: 'boolean',
        },
        size_unit: {
          default: 'megabytes',
          description:
            'Size unit can be set either in `bytes`, `kilobytes`, or `megabytes` (default). This configuration is not available in versions prior to Kong Gateway 1.3 and Kong Gateway (OSS) 2.0.',
          enum: ['bytes', 'kilobytes', 'megabytes'],
          type: 'string',
        },
      },
      required: [],
      type: 'object',
    },
    consumer: {
      additionalProperties: false,
      description:
        'If set, the plugin will activate only for requests where the specified has been authenticated. (Note that some plugins can not be restricted to consumers this way.). Leave unset for the plugin to activate regardless of the authenticated Consumer.',
      properties: {
        id: {
          type: 'string',
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
