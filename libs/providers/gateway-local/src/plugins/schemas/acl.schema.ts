// A copy of ../shared/specs/kong/plugins/Acl.json (schemas.spec.ts fails when they drift): the built
// lib carries no JSON, and the plugin validates its config against this at run time.
export const aclSchema = {
  properties: {
    config: {
      properties: {
        allow: {
          description:
            'Arbitrary group names that are allowed to consume the service or route. One of `config.allow` or `config.deny` must be specified.',
          items: {
            required: [],
            type: 'string',
          },
          type: 'array',
        },
        always_use_authenticated_groups: {
          default: false,
          description:
            "If enabled (`true`), the authenticated groups will always be used even when an authenticated consumer already exists. If the authenticated groups don't exist, it will fallback to use the groups associated with the consumer. By default the authenticated groups will only be used when there is no consumer or the consumer is anonymous.",
          type: 'boolean',
        },
        deny: {
          description:
            'Arbitrary group names that are not allowed to consume the service or route. One of `config.allow` or `config.deny` must be specified.',
          items: {
            required: [],
            type: 'string',
          },
          type: 'array',
        },
        hide_groups_header: {
          default: false,
          description:
            'If enabled (`true`), prevents the `X-Consumer-Groups` header from being sent in the request to the upstream service.',
          type: 'boolean',
        },
        include_consumer_groups: {
          default: false,
          description: 'If enabled (`true`), allows the consumer-groups to be used in the `allow|deny` fields',
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
