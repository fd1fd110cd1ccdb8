// A copy of ../shared/specs/kong/plugins/RateLimiting.json (schemas.spec.ts fails when they drift): the built
// lib carries no JSON, and the plugin validates its config against this at run time.
export const rateLimitingSchema = {
  properties: {
    config: {
      properties: {
        day: {
          description: 'The number of HTTP requests that can be made per day.',
          minimum: 0,
          type: 'number',
        },
        error_code: {
          default: 429,
          description: 'Set a custom error code to return when the rate limit is exceeded.',
          minimum: 0,
          type: 'number',
        },
        error_message: {
          default: 'API rate limit exceeded',
          description: 'Set a custom error message to return when the rate limit is exceeded.',
          type: 'string',
        },
        fault_tolerant: {
          default: true,
          description:
            'A boolean value that determines if the requests should be proxied even if Kong has troubles connecting a third-party data store. If `true`, requests will be proxied anyway, effectively disabling the rate-limiting function until the data store is working again. If `false`, then the clients will see `500` errors.',
          type: 'boolean',
        },
        header_name: {
          description: 'A string representing an HTTP header name.',
          type: 'string',
        },
        hide_client_headers: {
          default: false,
          description: 'Optionally hide informative response headers.',
          type: 'boolean',
        },
        hour: {
          description: 'The number of HTTP requests that can be made per hour.',
          minimum: 0,
          type: 'number',
        },
        limit_by: {
          default: 'consumer',
          description: 'The entity that is used when aggregating the limits.',
          enum: ['consumer', 'consumer-group', 'credential', 'header', 'ip', 'path', 'service'],
          type: 'string',
        },
        minute: {
          description: 'The number of HTTP requests that can be made per minute.',
          minimum: 0,
          type: 'number',
        },
        month: {
          description: 'The number of HTTP requests that can be made per month.',
          minimum: 0,
          type: 'number',
        },
        path: {
          description:
            'A string representing a URL path, such as /path/to/resource. Must start with a forward slash (/) and must not contain empty segments (i.e., two consecutive forward slashes).',
          type: 'string',
        },
        policy: {
          default: 'local',
          description: 'The rate-limiting policies to use for retrieving and incrementing the limits.',
          enum: ['cluster', 'local', 'redis'],
          minLength: 0,
          type: 'string',
        },
        redis: {
          description: 'Redis configuration',
          properties: {
            database: {
              default: 0,
              description: 'Database to use for the Redis connection when using the `redis` strategy',
              type: 'integer',
            },
            host: {
              description: 'A string representing a host name, such as example.com.',
              type: 'string',
            },
            password: {
              description:
                'Password to use for Redis connections. If undefined, no AUTH commands are sent to Redis.\nThis field is [encrypted](/gateway/keyring/).\nThis field is [referenceable](/gateway/entities/vault/#how-do-i-reference-secrets-stored-in-a-vault).',
              minLength: 0,
              type: 'string',
            },
            port: {
              default: 6379,
              description: 'An integer representing a port number between 0 and 65535, inclusive.',
              maximum: 65535,
              minimum: 0,
              type: 'integer',
            },
            server_name: {
              description: 'A string representing an SNI (server name indication) value for TLS.',
              type: 'string',
            },
            ssl: {
              default: false,
              description: 'If set to true, uses SSL to connect to Redis.',
              type: 'boolean',
            },
            ssl_verify: {
              default: false,
              description:
                'If set to true, verifies the validity of the server SSL certificate. If setting this parameter, also configure `lua_ssl_trusted_certificate` in `kong.conf` to specify the CA (or server) certificate used by your Redis server. You may also need to configure `lua_ssl_verify_depth` accordingly.',
              type: 'boolean',
            },
            timeout: {
              default: 2000,
              description: 'An integer representing a timeout in milliseconds. Must be between 0 and 2^31-2.',
              maximum: 2147483646,
              minimum: 0,
              type: 'integer',
            },
            username: {
              description:
                "Username to use for Redis connections. If undefined, ACL authentication won't be performed. This requires Redis v6.0.0+. To be compatible with Redis v5.x.y, you can set it to `default`.\nThis field is [referenceable](/gateway/entities/vault/#how-do-i-reference-secrets-stored-in-a-vault).",
              type: 'string',
            },
          },
          required: [],
          type: 'object',
        },
        second: {
          description: 'The number of HTTP requests that can be made per second.',
          minimum: 0,
          type: 'number',
        },
        sync_rate: {
          default: -1,
          description: 'How often to sync counter data to the central data store. A value of -1 results in synchronous behavior.',
          type: 'number',
        },
        year: {
          description: 'The number of HTTP requests that can be made per year.',
          minimum: 0,
          type: 'number',
        },
      },
      required: [],
      shorthand_fields: {
        redis_database: {
          type: 'integer',
        },
        redis_host: {
          type: 'string',
        },
        redis_password: {
          minLength: 0,
          type: 'string',
        },
        redis_port: {
          type: 'integer',
        },
        redis_server_name: {
          type: 'string',
        },
        redis_ssl: {
          type: 'boolean',
        },
        redis_ssl_verify: {
          type: 'boolean',
        },
        redis_timeout: {
          type: 'integer',
        },
        redis_username: {
          type: 'string',
        },
      },
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
