// A real OpenID Provider (oidc-provider) for tests. It runs in its own process because
// oidc-provider is ESM-only and jest cannot load it; plain JS because it runs outside jest/SWC.
//
// Configuration arrives as JSON in DISPATCH_TEST_IDP_CONFIG:
//   { port: number (0 = any free port), keys: private JWKs (signing order = array order),
//     clientSecret: string, adminToken: string }
// When listening it prints one line `{"ready":true,"port":N}` to stdout.
//
// Clients are registered at run time through `PUT /__test/clients/<client_id>` (bearer adminToken)
// with a token profile { org?, groups?, claims?, expiresInSeconds?, alg? }; the client's
// client_credentials tokens for any resource are RS256/ES256/EdDSA JWTs carrying that profile.
//
// The device authorization grant (RFC 8628) is on for public clients registered through
// `PUT /__test/device-clients/<client_id>`. Its end-user step is the provider's own pages
// (/device, the confirm form); the login and consent interaction that follows signs in, without a
// form, the account named by `PUT /__test/device-user` ({ subject, org?, groups?, claims? }), whose
// profile its tokens carry, and grants what the client asked for.
import http from 'node:http';
import Provider from 'oidc-provider';

const config = JSON.parse(process.env.DISPATCH_TEST_IDP_CONFIG ?? '{}');
const DEFAULT_TTL_SECONDS = 300;

/** client_id → { metadata, profile } */
const clients = new Map();
/** accountId → token profile of the tokens issued to that end-user. */
const accounts = new Map();
/** Who the next device interaction signs in. */
let deviceUser;

/** oidc-provider keeps grants, tokens and clients through an adapter; this one is a Map per model. */
class MemoryAdapter {
  static stores = new Map();

  constructor(model) {
    this.model = model;
    if (!MemoryAdapter.stores.has(model)) MemoryAdapter.stores.set(model, new Map());
    this.store = MemoryAdapter.stores.get(model);
  }

  async upsert(id, payload) {
    this.store.set(id, payload);
  }

  async find(id) {
    if (this.model === 'Client') return clients.get(id)?.metadata;
    return this.store.get(id);
  }

  async findByUid(uid) {
    for (const payload of this.store.values()) if (payload.uid === uid) return payload;
    return undefined;
  }

  async findByUserCode(userCode) {
    for (const payload of this.store.values()) if (payload.userCode === userCode) return payload;
    return undefined;
  }

  async consume(id) {
    const payload = this.store.get(id);
    if (payload) payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id) {
    this.store.delete(id);
  }

  async revokeByGrantId(grantId) {
    for (const [id, payload] of this.store) if (payload.grantId === grantId) this.store.delete(id);
  }
}

function profileOf(clientId) {
  return clients.get(clientId)?.profile ?? {};
}

/** An end-user's token carries the account's profile; a client_credentials token its client's. */
function tokenProfile(token) {
  return token.accountId ? (accounts.get(token.accountId) ?? {}) : profileOf(token.clientId);
}

function createProvider(issuer) {
  return new Provider(issuer, {
    adapter: MemoryAdapter,
    jwks: { keys: config.keys },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      deviceFlow: { enabled: true },
      resourceIndicators: {
        enabled: true,
        // Any absolute URI is a resource server whose audience is itself: tests ask for the wrong
        // audience simply by naming another resource.
        getResourceServerInfo(ctx, resource, client) {
          const accountId = ctx.oidc.entities.DeviceCode?.accountId ?? ctx.oidc.entities.RefreshToken?.accountId;
          const profile = accountId ? (accounts.get(accountId) ?? {}) : profileOf(client.clientId);
          const expiresIn = profile.expiresInSeconds ?? DEFAULT_TTL_SECONDS;
          return {
            scope: 'api',
            audience: resource,
            accessTokenFormat: 'jwt',
            // oidc-provider only issues positive TTLs; already-expired tokens are shifted below.
            accessTokenTTL: Math.max(1, expiresIn),
            jwt: { sign: { alg: profile.alg ?? 'RS256' } },
          };
        },
      },
    },
    ttl: {
      ClientCredentials: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? DEFAULT_TTL_SECONDS,
    },
    findAccount(_ctx, sub) {
      return { accountId: sub, claims: () => ({ sub }) };
    },
    extraTokenClaims(_ctx, token) {
      const { org, groups, claims } = tokenProfile(token);
      return { ...claims, ...(org === undefined ? {} : { org }), ...(groups === undefined ? {} : { groups }) };
    },
    formats: {
      customizers: {
        // A token that is already expired when issued (expiresInSeconds <= 0), still signed by this
        // provider's own key, so a verifier refuses it for its expiry and nothing else.
        jwt(_ctx, token, jwt) {
          const { expiresInSeconds } = tokenProfile(token);
          if (expiresInSeconds !== undefined && expiresInSeconds <= 0) {
            const now = Math.floor(Date.now() / 1000);
            jwt.payload.exp = now + expiresInSeconds;
            jwt.payload.iat = jwt.payload.exp - 60;
          }
        },
      },
    },
  });
}

async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
}

const deviceClient = (clientId) => ({
  client_id: clientId,
  grant_types: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'],
  response_types: [],
  redirect_uris: [],
  token_endpoint_auth_method: 'none',
});

async function admin(req, res) {
  if (req.headers.authorization !== `Bearer ${config.adminToken}`) {
    res.writeHead(401).end();
    return;
  }
  const url = req.url ?? '';
  const client = /^\/__test\/(clients|device-clients)\/([^/?]+)$/.exec(url);
  if (req.method === 'PUT' && client) {
    const clientId = decodeURIComponent(client[2]);
    const profile = await readJson(req);
    const metadata =
      client[1] === 'device-clients'
        ? deviceClient(clientId)
        : {
            client_id: clientId,
            client_secret: config.clientSecret,
            grant_types: ['client_credentials'],
            response_types: [],
            redirect_uris: [],
            token_endpoint_auth_method: 'client_secret_post',
          };
    clients.set(clientId, { metadata, profile });
    res.writeHead(204).end();
    return;
  }
  if (req.method === 'PUT' && url === '/__test/device-user') {
    const { subject, ...profile } = await readJson(req);
    accounts.set(subject, profile);
    deviceUser = subject;
    res.writeHead(204).end();
    return;
  }
  res.writeHead(404).end();
}

/** The login and consent steps of a device authorization, finished for the configured user. */
async function interaction(provider, req, res) {
  const details = await provider.interactionDetails(req, res);
  if (!deviceUser) throw new Error('no device user: PUT /__test/device-user first');
  if (details.prompt.name === 'login') {
    await provider.interactionFinished(req, res, { login: { accountId: deviceUser } }, { mergeWithLastSubmission: false });
    return;
  }
  const { missingOIDCScope, missingOIDCClaims, missingResourceScopes } = details.prompt.details;
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
  if (missingOIDCScope) grant.addOIDCScope(missingOIDCScope.join(' '));
  if (missingOIDCClaims) grant.addOIDCClaims(missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

/** Binds the port; on a restart the previous process may still be releasing it, so retry briefly. */
async function listen(server, port) {
  const deadline = Date.now() + 5000;
  for (;;) {
    try {
      await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => {
          server.off('error', reject);
          resolve();
        });
      });
      return server.address().port;
    } catch (err) {
      if (err.code !== 'EADDRINUSE' || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

const server = http.createServer();
const port = await listen(server, config.port ?? 0);
const provider = createProvider(`http://127.0.0.1:${port}`);
const callback = provider.callback();
server.on('request', (req, res) => {
  // No keep-alive: clients never hold a pooled connection to a process that rotateKeys replaces.
  res.setHeader('Connection', 'close');
  const fail = (what) => (err) => {
    process.stderr.write(`${what} failed: ${err.stack}\n`);
    if (!res.headersSent) res.writeHead(500);
    res.end();
  };
  if (req.url?.startsWith('/__test/')) {
    admin(req, res).catch(fail('admin request'));
    return;
  }
  if (req.url?.startsWith('/interaction/')) {
    interaction(provider, req, res).catch(fail('interaction'));
    return;
  }
  callback(req, res);
});
provider.on('server_error', (_ctx, err) => process.stderr.write(`server_error: ${err.stack}\n`));

// The parent holds our stdin: when it goes away (even killed), so do we.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();

process.stdout.write(`${JSON.stringify({ ready: true, port })}\n`);
