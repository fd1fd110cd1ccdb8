import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeOrCheckGenerated } from './generated-file';

describe('writeOrCheckGenerated', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'generated-file-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const file = (content: string) => ({
    path: join(dir, 'types.ts'),
    name: 'types.ts',
    content,
    source: 'the document',
    command: 'npm run gen',
  });

  it('writes the file, and then finds nothing to say about it', async () => {
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    expect(await writeOrCheckGenerated(file('a\nb\n'), false)).toBe(0);
    expect(await readFile(join(dir, 'types.ts'), 'utf8')).toBe('a\nb\n');
    const said: string[] = [];
    expect(await writeOrCheckGenerated(file('a\nb\n'), true, (l) => said.push(l))).toBe(0);
    expect(said).toEqual([]);
    jest.restoreAllMocks();
  });

  it('names the first line that differs and the command to run, and writes nothing', async () => {
    await writeFile(join(dir, 'types.ts'), 'a\nold\n');
    const said: string[] = [];
    expect(await writeOrCheckGenerated(file('a\nnew\n'), true, (l) => said.push(l))).toBe(1);
    expect(said.join('\n')).toMatch(
      /types\.ts differs from the document \(first at line 2:\n {2}checked in: old\n {2}generated: {2}new\)\nrun `npm run gen`/,
    );
    expect(await readFile(join(dir, 'types.ts'), 'utf8')).toBe('a\nold\n');
    const missing = { ...file('x'), path: join(dir, 'absent.ts') };
    expect(await writeOrCheckGenerated(missing, true, () => undefined)).toBe(1);
  });
});
