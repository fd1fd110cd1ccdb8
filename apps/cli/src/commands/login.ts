import type { Command } from 'commander';
import { loadConfig, saveConfig, upsertContext, type Context, type ContextAuth } from '../config';
import { clientFor, whoAmI } from '../context';
import { readKeyFile, readSoloCredentials, readStdin, serviceAccountAuth, soloCredentialsPath } from '../login';
import { UsageError } from '../output';

interface LoginOptions {
  server?: string;
  org?: string;
  keyFile?: string;
  token?: string;
  context?: string;
}

export function addLogin(program: Command): void {
  program
    .command('login')
    .description(
      'log in and save a context: with no flags, to the solo server of DISPATCH_HOME/config.json (DISPATCH_HOME or ~/.dispatch); ' +
        'or with a service account key file ({"org","name","privateKey","apiUrl"?}) or a token (--token - reads stdin)',
    )
    .option('--server <url>', 'the API server, e.g. http://127.0.0.1:8080')
    .option('--org <org>', 'the organization')
    .option('--key-file <file>', 'a service account key file (JSON: org, name, privateKey PEM, optional apiUrl)')
    .option('--token <token>', 'a bearer token; - reads it from stdin')
    .option('--context <name>', 'the name of the context to save (default ORG@HOST)')
    .action(async (opts: LoginOptions, cmd: Command) => {
      // `--context` is also the program's option (which context to use); after `login` it names the one to save.
      opts = { ...opts, context: opts.context ?? (cmd.optsWithGlobals() as LoginOptions).context };
      if (opts.keyFile && opts.token) throw new UsageError('use --key-file or --token, not both');
      const solo = await readSoloCredentials();
      let apiUrl = opts.server;
      let org = opts.org;
      let auth: ContextAuth;
      if (opts.keyFile) {
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
      // One authenticated call checks the credentials before they are saved.
      const me = await whoAmI(clientFor({ apiUrl, org: org ?? '', auth }));
      org ??= me.org;
      const context: Context = { name: opts.context ?? `${org}@${new URL(apiUrl).host}`, apiUrl, org, auth };
      await saveConfig(upsertContext(await loadConfig(), context));
      process.stdout.write(`Logged in to ${apiUrl} as ${me.subject} (org ${me.org}); context "${context.name}" is current\n`);
    });
}
