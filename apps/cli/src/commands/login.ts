import type { Command } from 'commander';
import { deviceLogin, type DevicePrompt } from '@dispatch/sdk';
import { currentContext, loadConfig, saveConfig, upsertContext, type Context, type ContextAuth, type OidcSession } from '../config';
import { clientFor, whoAmI } from '../context';
import { readKeyFile, readSoloCredentials, readStdin, serviceAccountAuth, soloCredentialsPath } from '../login';
import { UsageError } from '../output';

interface LoginOptions {
  server?: string;
  org?: string;
  keyFile?: string;
  token?: string;
  context?: string;
  issuer?: string;
  clientId?: string;
  audience?: string;
}

/** The public client the CLI is registered as at an IdP, unless --client-id names another. */
export const DEFAULT_OIDC_CLIENT_ID = 'dispatch-cli';

function showDevicePrompt(p: DevicePrompt): void {
  const minutes = Math.max(1, Math.round(p.expiresInSeconds / 60));
  process.stderr.write(
    `To log in, open ${p.verificationUriComplete ?? p.verificationUri} in a browser` +
      `${p.verificationUriComplete ? '' : ' and enter the code'} and confirm the code ${p.userCode} ` +
      `(it expires in ${minutes} min). Waiting…\n`,
  );
}

/** Signs in at the IdP with the device flow, showing the code on stderr. */
async function oidcAuth(session: Omit<OidcSession, 'refreshToken' | 'expiresAt'>): Promise<ContextAuth> {
  const tokens = await deviceLogin(session, { onPrompt: showDevicePrompt });
  return { token: tokens.accessToken, oidc: { ...session, refreshToken: tokens.refreshToken, expiresAt: tokens.expiresAt } };
}

export function addLogin(program: Command): void {
  program
    .command('login')
    .description(
      'log in and save a context: with no flags, to the solo server of DISPATCH_HOME/config.json (DISPATCH_HOME or ~/.dispatch); ' +
        'or with a service account key file ({"org","name","privateKey","apiUrl"?}), a token (--token - reads stdin), ' +
        "or your identity provider's device flow (--issuer URL --audience AUD: open the link it prints and confirm the code; " +
        "dispatch login --context NAME signs in again to that context's IdP)",
    )
    .option('--server <url>', 'the API server, e.g. http://127.0.0.1:8080')
    .option('--org <org>', 'the organization')
    .option('--key-file <file>', 'a service account key file (JSON: org, name, privateKey PEM, optional apiUrl)')
    .option('--token <token>', 'a bearer token; - reads it from stdin')
    .option('--issuer <url>', 'your identity provider (OIDC issuer URL) for the device flow; the server must trust it for your org')
    .option('--client-id <id>', `the CLI's client id at the identity provider (default ${DEFAULT_OIDC_CLIENT_ID})`)
    .option('--audience <aud>', "the audience the server expects in tokens of that issuer (its trusted issuer's audience)")
    .option('--context <name>', 'the name of the context to save (default ORG@HOST)')
    .action(async (opts: LoginOptions, cmd: Command) => {
      // `--context` is also the program's option (which context to use); after `login` it names the one to save.
      opts = { ...opts, context: opts.context ?? (cmd.optsWithGlobals() as LoginOptions).context };
      if ([opts.keyFile, opts.token, opts.issuer].filter((o) => o !== undefined).length > 1)
        throw new UsageError('use one of --key-file, --token or --issuer');
      if ((opts.clientId || opts.audience) && !opts.issuer) throw new UsageError('--client-id and --audience go with --issuer');
      const solo = await readSoloCredentials();
      let apiUrl = opts.server;
      let org = opts.org;
      let auth: ContextAuth;
      // `dispatch login --context NAME` of a context that signed in at an IdP does so again.
      const previous =
        opts.context && !opts.keyFile && !opts.token && !opts.issuer ? currentContext(await loadConfig(), opts.context) : undefined;
      const previousOidc = previous && 'token' in previous.auth ? previous.auth.oidc : undefined;
      if (opts.issuer || previousOidc) {
        const issuer = opts.issuer ?? previousOidc!.issuer;
        const audience = opts.audience ?? previousOidc?.audience;
        if (!audience) throw new UsageError("--audience: name the audience the server expects in your IdP's tokens");
        apiUrl ??= previous?.apiUrl ?? solo?.apiUrl;
        org ??= previous?.org;
        // Asked before the device flow, so nobody approves a sign-in that cannot be used.
        if (!apiUrl) throw new UsageError('which server? use --server URL');
        auth = await oidcAuth({ issuer, clientId: opts.clientId ?? previousOidc?.clientId ?? DEFAULT_OIDC_CLIENT_ID, audience });
      } else if (opts.keyFile) {
        const key = await readKeyFile(opts.keyFile);
        apiUrl ??= key.apiUrl ?? solo?.apiUrl;
        org ??= key.org;
        auth = serviceAccountAuth(key.name, key.privateKey);
      } else if (opts.token !== undefined) {
        const token = opts.token === '-' ? await readStdin() : opts.token;
        if (!token) throw new UsageError('the token is empty');
        apiUrl ??= solo?.apiUrl;
        auth = { token };
      } else {
        if (!solo)
          throw new UsageError(
            `no solo server credentials in ${soloCredentialsPath()}: start solo mode (npm start) or use --key-file or --token`,
          );
        apiUrl ??= solo.apiUrl;
        org ??= solo.organization;
        auth = serviceAccountAuth(solo.serviceAccount, solo.privateKey);
      }
      if (!apiUrl) throw new UsageError('which server? use --server URL');
      apiUrl = apiUrl.replace(/\/+$/, '');
      // One authenticated call checks the credentials before they are saved; with the token just
      // issued, since a refresh here would spend the refresh token the context keeps.
      const me = await whoAmI(clientFor({ apiUrl, org: org ?? '', auth: 'token' in auth ? { token: auth.token } : auth }));
      org ??= me.org;
      const context: Context = { name: opts.context ?? `${org}@${new URL(apiUrl).host}`, apiUrl, org, auth };
      await saveConfig(upsertContext(await loadConfig(), context));
      process.stdout.write(`Logged in to ${apiUrl} as ${me.subject} (org ${me.org}); context "${context.name}" is current\n`);
    });
}
