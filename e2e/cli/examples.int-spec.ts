import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { cli, CLI, type Ran } from './run-cli';
import { startSoloServer, type SoloServer } from '@dispatch/testing';

const EXAMPLES = resolve(__dirname, '../../examples');

/** What each example's run answers, as its README says. */
const EXPECTED_OUTPUT: Record<string, string> = {
  'hello-node': 'Hello, Jon from Winterfell',
  'hello-python': 'Hello, Jon from Winterfell',
  secret: 'Ali, the password is OpenSesame',
  schemas: 'Hello, Jon from Winterfell',
  'http-api': 'Hello, Jon',
};

/** What an API example's curl answers, as its README says. */
const EXPECTED_ANSWER: Record<string, unknown> = {
  'http-api': { greeting: 'Hello, Jon', method: 'GET', uri: '/there', args: 'name=Jon' },
};

/** Solo mode's gateway as the READMEs name it (GATEWAY_PORT's default). */
const README_GATEWAY = 'http://127.0.0.1:8081';

/** The commands of a README's one ```sh block, one a line. */
function commandsOf(readme: string): string[] {
  const blocks = [...readme.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
  if (blocks.length !== 1) return [];
  return blocks[0]
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

/** The JSON of an exec command's `--input '…'`. */
const inputOf = (command: string): unknown => JSON.parse(/--input '([^']*)'/.exec(command)?.[1] ?? 'null');

/** `dispatch exec …` commands the README shows inline, outside its block (e.g. an input a schema refuses). */
const inlineExecsOf = (readme: string) => [...readme.matchAll(/`(npx dispatch exec [^`]+)`/g)].map((m) => m[1]);

const examples = readdirSync(EXAMPLES, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

describe('examples/ against a solo server, each README run as it is written', () => {
  let solo: SoloServer;
  let dir: string;
  let env: Record<string, string>;

  /**
   * One README line in the example's directory, through a shell; `npx dispatch` (the repository's
   * launcher of its built CLI) runs as the built CLI itself, without npx's install step.
   */
  const sh = (command: string, cwd: string): Promise<Ran> =>
    new Promise((done, fail) => {
      const child = spawn('sh', ['-c', command.replace(/^npx dispatch /, 'dispatch ')], {
        cwd,
        env: { ...env, PATH: `${join(dir, 'bin')}:${process.env.PATH ?? ''}` },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.stdin.end();
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        fail(new Error(`${command} still running:\n${stderr}`));
      }, 120_000);
      child.once('close', (code) => {
        clearTimeout(timer);
        done({ code, stdout, stderr });
      });
    });

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` (npm test does it first)`);
    solo = await startSoloServer();
    dir = await mkdtemp(join(tmpdir(), 'dispatch-examples-'));
    env = { DISPATCH_CONFIG: join(dir, 'cli', 'config.json'), DISPATCH_HOME: solo.home, HOME: dir };
    const bin = join(dir, 'bin');
    await mkdir(bin);
    await writeFile(join(bin, 'dispatch'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
    await chmod(join(bin, 'dispatch'), 0o755);
    // The READMEs ask for `npx dispatch login` first.
    expect((await cli(env, ['login'])).code).toBe(0);
  }, 180_000);

  afterAll(async () => {
    await solo?.process.stop();
    if (solo) await rm(solo.home, { recursive: true, force: true });
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('lists every example in examples/README.md', () => {
    const index = readFileSync(join(EXAMPLES, 'README.md'), 'utf8');
    expect(examples.length).toBeGreaterThanOrEqual(4);
    for (const name of examples) expect(index).toContain(`(${name}/)`);
  });

  describe.each(examples)('examples/%s', (name) => {
    const cwd = join(EXAMPLES, name);
    const readme = existsSync(join(cwd, 'README.md')) ? readFileSync(join(cwd, 'README.md'), 'utf8') : '';
    const commands = commandsOf(readme);
    const seed = existsSync(join(cwd, 'seed.yaml'))
      ? parseAllDocuments(readFileSync(join(cwd, 'seed.yaml'), 'utf8')).map((d) => d.toJS() as { kind?: string; name?: string } | null)
      : [];
    const functionName = seed.find((d) => d?.kind === 'Function')?.name ?? '';
    const apiNames = seed.filter((d) => d?.kind === 'API').map((d) => d!.name!);
    // An API's example calls it through solo mode's gateway, at the address the README gives.
    const isCurl = commands[1]?.startsWith('curl ') ?? false;
    const onGateway = (command: string) => command.replaceAll(README_GATEWAY, solo.gateway);

    it('has a README of three commands in one sh block: create -f, exec (or curl of its API), delete -f', () => {
      expect(commands).toEqual([
        'npx dispatch create -f seed.yaml',
        apiNames.length
          ? expect.stringMatching(new RegExp(`^curl -s '${README_GATEWAY}/default/\\S+'$`))
          : expect.stringMatching(new RegExp(`^npx dispatch exec ${functionName} .*--wait$`)),
        'npx dispatch delete -f seed.yaml',
      ]);
      expect(EXPECTED_OUTPUT[name]).toBeDefined();
      // The schemas example also shows an input its schema refuses.
      expect(inlineExecsOf(readme)).toHaveLength(name === 'schemas' ? 1 : 0);
    });

    it(`runs: ${commands[0]}`, async () => {
      const created = await sh(commands[0], cwd);
      expect(created.stderr).toBe('');
      expect(created.code).toBe(0);
      expect(created.stdout).toContain(`Created function: ${functionName} (READY)`);
      for (const api of apiNames) expect(created.stdout).toContain(`Created api: ${api} (READY)`);
    });

    // Whatever the CLI does, the function must answer what the README says.
    it('answers the README’s input as it says, and an input it shows refused with an InputError (through the API)', async () => {
      if (isCurl) {
        // Through the gateway without curl: the same URL, from this process.
        const url = /'([^']+)'/.exec(commands[1])![1];
        const res = await fetch(onGateway(url));
        expect(res.status).toBe(200);
        expect(await res.json()).toMatchObject(EXPECTED_ANSWER[name] as object);
        return;
      }
      const invoke = async (command: string) => {
        const res = await fetch(`${solo.api}/v1/function/${functionName}/runs`, {
          method: 'POST',
          headers: { ...solo.admin, 'content-type': 'application/json' },
          body: JSON.stringify({ input: inputOf(command), blocking: true }),
        });
        return (await res.json()) as { status: string; output?: unknown; error?: { type: string } };
      };
      const run = await invoke(commands[1]);
      expect(run.status).toBe('SUCCEEDED');
      expect(JSON.stringify(run.output)).toContain(EXPECTED_OUTPUT[name]);
      for (const refused of inlineExecsOf(readme).filter((c) => c !== commands[1]))
        expect(await invoke(refused)).toMatchObject({ status: 'FAILED', error: { type: 'InputError' } });
    });

    it(`runs: ${commands[1]}`, async () => {
      const ran = await sh(onGateway(commands[1]), cwd);
      expect(ran.code).toBe(0);
      expect(ran.stdout).toContain(EXPECTED_OUTPUT[name]);
      if (isCurl)
        expect(JSON.parse(ran.stdout)).toMatchObject({ ...(EXPECTED_ANSWER[name] as object), agent: expect.stringMatching(/^curl\//) });
      // An input the README shows being refused: the run fails with an InputError.
      for (const refused of inlineExecsOf(readme).filter((c) => c !== commands[1])) {
        const r = await sh(refused, cwd);
        expect(`${r.stdout}${r.stderr}`).toContain('InputError');
      }
    });

    it(`runs: ${commands[2]}`, async () => {
      const deleted = await sh(commands[2], cwd);
      expect(deleted.code).toBe(0);
      expect(deleted.stdout).toContain(`Deleted function: ${functionName}`);
      for (const api of apiNames) {
        expect(deleted.stdout).toContain(`Deleted api: ${api}`);
        expect((await cli(env, ['get', 'api', api])).code).toBe(1);
      }
      expect((await cli(env, ['get', 'function', functionName])).code).toBe(1);
    });
  });
});
