import type { Command } from 'commander';
import { configPath, loadConfig, saveConfig } from '../config';
import { parseFormat, render } from '../output';

interface ContextRow {
  current: boolean;
  name: string;
  apiUrl: string;
  org: string;
  auth: string;
}

export function addContext(program: Command): void {
  const context = program.command('context').description('the servers and organizations you are logged in to');
  context
    .command('list')
    .description('list contexts; * marks the current one')
    .option('-o, --output <format>', 'table, json, yaml or name', 'table')
    .action(async (opts: { output: string }) => {
      const format = parseFormat(opts.output);
      const config = await loadConfig();
      // Keys never leave the file: the list says how each context authenticates, not with what.
      const rows: ContextRow[] = config.contexts.map((c) => ({
        current: c.name === config.current,
        name: c.name,
        apiUrl: c.apiUrl,
        org: c.org,
        auth: 'token' in c.auth ? (c.auth.oidc ? `oidc ${c.auth.oidc.issuer}` : 'token') : `serviceaccount ${c.auth.serviceAccount.name}`,
      }));
      const columns = [
        { header: 'CURRENT', value: (r: ContextRow) => (r.current ? '*' : '') },
        { header: 'NAME', value: (r: ContextRow) => r.name },
        { header: 'SERVER', value: (r: ContextRow) => r.apiUrl },
        { header: 'ORG', value: (r: ContextRow) => r.org },
        { header: 'AUTH', value: (r: ContextRow) => r.auth },
      ];
      process.stdout.write(render(rows, format, columns, (r) => r.name));
    });
  context
    .command('use')
    .description('make a context the current one')
    .argument('<name>', 'the context')
    .action(async (name: string) => {
      const config = await loadConfig();
      if (!config.contexts.some((c) => c.name === name))
        throw new Error(`no context "${name}" in ${configPath()}: known are ${config.contexts.map((c) => c.name).join(', ') || 'none'}`);
      await saveConfig({ ...config, current: name });
      process.stdout.write(`Switched to context "${name}"\n`);
    });
}
