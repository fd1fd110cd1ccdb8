import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, readSeedDocuments, STDIN_NAME } from './documents';
import { SeedError } from './problems';

const noStdin = async () => {
  throw new Error('stdin is not read here');
};

/** The problems a SeedError carries, or a failure when the call succeeds. */
async function problemsOf(work: Promise<unknown>) {
  const e: unknown = await work.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof SeedError)) throw new Error(`expected a SeedError, got ${String(e)}`);
  return e.problems;
}

describe('seed documents', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dispatch-seed-docs-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('numbers the documents of a file from 1, keeping the numbers of the empty ones it leaves out', () => {
    const docs = parse('seed.yaml', '---\nkind: Secret\nname: a\n---\n---\nkind: Function\nname: b\n---\n', '/base');
    expect(docs).toEqual([
      { file: 'seed.yaml', index: 1, value: { kind: 'Secret', name: 'a' }, baseDir: '/base' },
      { file: 'seed.yaml', index: 3, value: { kind: 'Function', name: 'b' }, baseDir: '/base' },
    ]);
  });

  it('names the file, the document and the line of YAML that does not parse', () => {
    let thrown: unknown;
    try {
      parse('seed.yaml', 'kind: Secret\nname: a\n---\nkind: Function\nname: [b\n', '/base');
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(SeedError);
    const [problem] = (thrown as SeedError).problems;
    expect(problem).toMatchObject({ file: 'seed.yaml', index: 2 });
    expect(problem.message).toMatch(/^line \d+: /);
    expect((thrown as SeedError).message).toContain('seed.yaml document 2: line');
    expect((thrown as SeedError).message).toContain('nothing was applied');
  });

  it("reads a file, its relative paths relative to the file's directory", async () => {
    await mkdir(join(dir, 'sub'));
    await writeFile(join(dir, 'sub', 'seed.yaml'), 'kind: Secret\nname: a\n');
    const docs = await readSeedDocuments({ file: join(dir, 'sub', 'seed.yaml'), readStdin: noStdin });
    expect(docs).toEqual([
      { file: join(dir, 'sub', 'seed.yaml'), index: 1, value: { kind: 'Secret', name: 'a' }, baseDir: join(dir, 'sub') },
    ]);
  });

  it("reads a file and its relative paths from Dispatch's work dir", async () => {
    await writeFile(join(dir, 'seed.yaml'), 'kind: Secret\nname: a\n');
    const docs = await readSeedDocuments({ file: 'seed.yaml', workDir: dir, readStdin: noStdin });
    expect(docs).toEqual([expect.objectContaining({ file: join(dir, 'seed.yaml'), baseDir: dir })]);
  });

  it('reads the *.yaml, *.yml and *.json files of a directory by name, and nothing else', async () => {
    await writeFile(join(dir, 'b.yml'), 'kind: Secret\nname: b\n');
    await writeFile(join(dir, 'a.json'), '{"kind": "Secret", "name": "a"}');
    await writeFile(join(dir, 'c.yaml'), 'kind: Secret\nname: c\n---\nkind: Secret\nname: d\n');
    await writeFile(join(dir, 'notes.txt'), 'kind: Secret\nname: x\n');
    await mkdir(join(dir, 'nested.yaml'));
    const docs = await readSeedDocuments({ file: dir, readStdin: noStdin });
    expect(docs.map((d) => [d.file, d.index, (d.value as { name: string }).name])).toEqual([
      [join(dir, 'a.json'), 1, 'a'],
      [join(dir, 'b.yml'), 1, 'b'],
      [join(dir, 'c.yaml'), 1, 'c'],
      [join(dir, 'c.yaml'), 2, 'd'],
    ]);
  });

  it('names every file of a directory that does not parse', async () => {
    await writeFile(join(dir, 'a.yaml'), 'name: [a\n');
    await writeFile(join(dir, 'b.yaml'), 'kind: Secret\nname: b\n');
    await writeFile(join(dir, 'c.json'), '{"kind": ');
    const problems = await problemsOf(readSeedDocuments({ file: dir, readStdin: noStdin }));
    expect(problems.map((p) => [p.file, p.index])).toEqual([
      [join(dir, 'a.yaml'), 1],
      [join(dir, 'c.json'), 1],
    ]);
  });

  it('reads stdin for -, its relative paths relative to the current directory', async () => {
    const docs = await readSeedDocuments({ file: '-', readStdin: async () => 'kind: Secret\nname: a\n' });
    expect(docs).toEqual([{ file: STDIN_NAME, index: 1, value: { kind: 'Secret', name: 'a' }, baseDir: process.cwd() }]);
  });

  it('says what to give for a path that does not exist and for a directory without seed files', async () => {
    const missing = await problemsOf(readSeedDocuments({ file: join(dir, 'nope.yaml'), readStdin: noStdin }));
    expect(missing).toEqual([
      { file: join(dir, 'nope.yaml'), message: 'not found: give a seed file, a directory of them, or - for stdin' },
    ]);
    await writeFile(join(dir, 'readme.md'), '# no seeds');
    const empty = await problemsOf(readSeedDocuments({ file: dir, readStdin: noStdin }));
    expect(empty).toEqual([{ file: dir, message: 'holds no .yaml, .yml or .json file' }]);
  });

  it('reads the seed file of every example', async () => {
    for (const example of ['hello-node', 'hello-python', 'secret', 'schemas']) {
      const file = resolve(__dirname, '../../../../examples', example, 'seed.yaml');
      const docs = await readSeedDocuments({ file, readStdin: noStdin });
      expect(docs.length).toBeGreaterThan(0);
    }
  });
});
