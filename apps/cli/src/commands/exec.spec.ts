import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeApi, type Received } from '../test-support/fake-api';
import { outputText, readRunInput, runRequestOf, type Stdin } from './exec';

/** A stdin holding `text` (piped), or none (a terminal); it counts its reads. */
const stdinOf = (text?: string) => {
  const s = { reads: 0, piped: () => text !== undefined, read: async () => (s.reads++, text ?? '') };
  return s as Stdin & { reads: number };
};

describe('exec input', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dispatch-exec-spec-'));
    await writeFile(join(dir, 'in.json'), '{"name": "file"}');
    await writeFile(join(dir, 'bad.json'), '{name: file}');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('takes --input, else --input-file, else piped stdin, as JSON of any kind', async () => {
    expect(await readRunInput({ input: '{"name": "Jon"}' }, stdinOf('{"x": 1}'))).toEqual({ input: { name: 'Jon' } });
    expect(await readRunInput({ input: '"text"' }, stdinOf())).toEqual({ input: 'text' });
    expect(await readRunInput({ input: '[1, 2]' }, stdinOf())).toEqual({ input: [1, 2] });
    expect(await readRunInput({ inputFile: join(dir, 'in.json') }, stdinOf('{"x": 1}'))).toEqual({ input: { name: 'file' } });
    expect(await readRunInput({}, stdinOf('{"name": "piped"}\n'))).toEqual({ input: { name: 'piped' } });
  });

  it('reads stdin for - and never when a flag gives the input', async () => {
    const piped = stdinOf('{"a": 1}');
    expect(await readRunInput({ input: '-' }, piped)).toEqual({ input: { a: 1 } });
    expect(await readRunInput({ inputFile: '-' }, piped)).toEqual({ input: { a: 1 } });
    expect(piped.reads).toBe(2);
    const unread = stdinOf('{"a": 1}');
    await readRunInput({ input: '{}' }, unread);
    expect(unread.reads).toBe(0);
  });

  it('runs without input when there is none: no flag and a terminal, or empty stdin', async () => {
    expect(await readRunInput({}, stdinOf())).toEqual({});
    expect(await readRunInput({}, stdinOf('  \n'))).toEqual({});
  });

  it('refuses input that is not JSON, saying where it came from and how to write it', async () => {
    await expect(readRunInput({ input: 'hello' }, stdinOf())).rejects.toThrow(/the input from --input is not JSON .*--input '"text"'/);
    await expect(readRunInput({ inputFile: join(dir, 'bad.json') }, stdinOf())).rejects.toThrow(
      `the input from ${join(dir, 'bad.json')} is not JSON`,
    );
    await expect(readRunInput({}, stdinOf('nope'))).rejects.toThrow('the input from stdin is not JSON');
    await expect(readRunInput({ inputFile: join(dir, 'missing.json') }, stdinOf())).rejects.toThrow('--input-file: cannot read');
    await expect(readRunInput({ input: '1', inputFile: 'x' }, stdinOf())).rejects.toThrow('give the input once');
  });

  it("makes Dispatch's run body: blocking unless --async, secrets when given", async () => {
    expect(await runRequestOf({ input: '{"a": 1}' }, stdinOf())).toEqual({ input: { a: 1 }, blocking: true });
    expect(await runRequestOf({ wait: true, secret: ['db', 'api'] }, stdinOf())).toEqual({ blocking: true, secrets: ['db', 'api'] });
    expect(await runRequestOf({ async: true }, stdinOf())).toEqual({ blocking: false });
    await expect(runRequestOf({ async: true, wait: true }, stdinOf())).rejects.toThrow('give --wait or --async, not both');
  });

  it('prints the output as JSON, strings quoted, nothing for none', () => {
    expect(outputText({ a: 1 })).toBe('{\n  "a": 1\n}\n');
    expect(outputText('hi')).toBe('"hi"\n');
    expect(outputText(null)).toBe('');
  });
});

describe('dispatch exec (against a fake API)', () => {
  let api: FakeApi;
  let run: Record<string, unknown>;
  let timeoutSeconds: number;
  /** The run requests, without the GET of the function exec makes first. */
  const runRequests = () => api.requests.filter((r) => r.method === 'POST');
  beforeEach(async () => {
    timeoutSeconds = 30;
    api = new FakeApi(async (req: Received) => {
      if (req.method === 'GET' && req.url === '/v1/function/hello') return { status: 200, body: { name: 'hello', timeoutSeconds } };
      if (req.method === 'GET') return { status: 200, body: run };
      const body = (await req.json()) as { blocking: boolean };
      return { status: body.blocking ? 200 : 202, body: { ...run, blocking: body.blocking } };
    });
    await api.start();
    run = { id: 'r-1', functionName: 'hello', status: 'SUCCEEDED', output: { hello: 'Jon' }, error: null };
  });
  afterEach(() => api.stop());

  it('blocks by default and prints the output; --wait is the same; -o json prints the run', async () => {
    expect(await api.cli('exec', 'hello', '--input', '{"name": "Jon"}')).toBe(0);
    expect(JSON.parse(api.out)).toEqual({ hello: 'Jon' });
    expect(await api.cli('exec', 'hello', '--wait', '--input', '{}', '--secret', 'a,b', '--secret', 'c')).toBe(0);
    expect(await api.cli('exec', 'hello', '--wait', '--input', '{}', '-o', 'json')).toBe(0);
    const [first, second, third] = runRequests();
    expect(first.url).toBe('/v1/function/hello/runs');
    expect(await first.json()).toEqual({ input: { name: 'Jon' }, blocking: true });
    expect(await second.json()).toEqual({ input: {}, blocking: true, secrets: ['a', 'b', 'c'] });
    expect(await third.json()).toEqual({ input: {}, blocking: true });
    expect(api.out.slice(api.out.indexOf('{\n  "id"'))).toContain('"output": {');
  });

  it("takes Dispatch's -c/-a for JSON, and refuses other content types before running", async () => {
    expect(await api.cli('exec', 'hello', '-c', 'application/json', '-a', 'application/json', '--input', '{}')).toBe(0);
    expect(await api.cli('exec', 'hello', '--content-type', 'text/plain', '--input', '{}')).toBe(2);
    expect(api.err).toContain("--content-type text/plain: a run's input and output are JSON here");
    expect(runRequests()).toHaveLength(1);
  });

  it('prints the run id with --async', async () => {
    run = { ...run, status: 'INITIALIZED', output: null };
    expect(await api.cli('exec', 'hello', '--async', '--input', '{}')).toBe(0);
    expect(api.out).toBe('r-1\n');
    expect(await runRequests()[0].json()).toEqual({ input: {}, blocking: false });
  });

  it('starts a run of a function allowed to outlast an HTTP answer async, and waits for it by polling', async () => {
    timeoutSeconds = 600;
    expect(await api.cli('exec', 'hello', '--input', '{"name": "Jon"}')).toBe(0);
    expect(JSON.parse(api.out)).toEqual({ hello: 'Jon' });
    expect(await runRequests()[0].json()).toEqual({ input: { name: 'Jon' }, blocking: false });
    expect(api.requests.map((r) => `${r.method} ${r.url}`)).toContain('GET /v1/runs/r-1');
  });

  it("exits 1 on a failed run with the error's type and message; -o json still prints the run", async () => {
    run = { ...run, status: 'FAILED', output: null, error: { type: 'InputError', message: "(root) must have required property 'name'" } };
    expect(await api.cli('exec', 'hello', '--input', '{}')).toBe(1);
    expect(api.err).toContain("error: run r-1 of hello FAILED: InputError: (root) must have required property 'name'");
    expect(api.out).toBe('');
    expect(await api.cli('exec', 'hello', '--input', '{}', '-o', 'json')).toBe(1);
    expect(JSON.parse(api.out)).toMatchObject({ status: 'FAILED', error: { type: 'InputError' } });
    run = { ...run, status: 'TIMED_OUT', error: { type: 'FunctionError', message: 'the run took longer than 1 s', stacktrace: ['at x'] } };
    expect(await api.cli('exec', 'hello', '--input', '{}')).toBe(1);
    expect(api.err).toContain('TIMED_OUT: FunctionError: the run took longer than 1 s\nat x');
  });
});
