// A copy of ../shared/specs/kong/plugins/RequestTransformer.json (validate.spec.ts fails when they drift): the
// built lib carries no JSON, and the plugin validates its config against this at run time.
export const requestTransformerSchema = {
  properties: {
    config: {
      properties: {
        add: {
          properties: {
            body: {
              default: [],
              items: {
                required: [],
                type: 'string',
              },
              type: 'array',
            },
            headers: {
              default: [],
              items: {
                pattern: '^[^:]+:.*$',
                required: [],
                type: 'string',
              },
              type: 'array',
            },
            querystring: {
              default: [],
              items: {
                required: [],
                type: 'string',
              },
              type: 'array',
            },
          },
          required: [],
          type: 'object',
        },
        append: {
          properties: {
            body: {
              default: [],
              items: {
                required: [],
                type: 'string',
              },
              type: 'array',
            },
            headers: {
              default: [],
              items: {
                pattern: '^[^:]+:.*$',
                required: [],
                type: 'string',
              },
              type: 'array',
            },
            querystring: {
              default: [],
              items: {
                required: [],
                type: 'string',
              },
              type: 'array',
            },
          },
          required: [],
          type: 'object',
        },
        http_method: {
          description:
            'A string representing an HTTP method, such as GET, POST, PUT, or DELETE. The string must contain only uppercase letters.',
          pattern: '^[A-Z]+$',
          type: 'string',
        },
        remove: {
          properties: {
            body: {
              default: [],
              items: {
                required: [],
                type: 'string',
              },
              type: 'array',
            },
            headers: {
              default: [],
              items: {
                required: [],
                type: 'string',
              },
              type: 'array',
            },
            querystring: {
              default: [],
              items: {
                required: [],
                type: 'string',
              },
              type: 'array',
            },
          },
          required: [],
          type: 'object',
        },
        rename: {
          properties: {
            body: {
              default: [],
              items: {
                required: [],
                type: 'string',
              },
              type: 'array',
            },
            headers: {
              default: [],
              items: {
                pattern: '^[^:]+:.*$',
                required: [],
                type: 'string',
              },
              type: 'array',
            },
            querystring: {
              default: [],
              items: {
                required: [],
                type: 'string',
              },
              type: 'array',
            },
          },
          required: [],
          type: 'object',
        },
        replace: {
          properties: {
            body: {
              default: [],
              items: {
                required: [],
                type: 'string',
              },
              type: 'array',
            },
            headers: {
              default: [],
              items: {
                pattern: '^[^:]+:.*$',
                required: [],
                type: 'string',
              },
              type: 'array',
            },
            querystring: {
              default: [],
              items: {
                required: [],
                type: 'string',
              },
              type: 'array',
            },
            uri: {
              type: 'string',
            },
          },
          required: [],
          type: 'object',
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
    consumer_group: {
      additionalProperties: false,
      description:
        'If set, the plugin will activate only for requests where the specified consumer group has been authenticated. (Note that some plugins can not be restricted to consumers groups this way.). Leave unset for the plugin to activate regardless of the authenticated Consumer Groups',
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
      description: 'A set of strings representing protocols.',
      items: {
        description: 'A string representing a protocol, such as HTTP or HTTPS.',
        enum: ['grpc', 'grpcs', 'http', 'https', 'tcp', 'tls', 'tls_passthrough', 'udp', 'ws', 'wss'],
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
