// `npm run kong:generate`: writes the Kong Admin API types from ../shared/specs/kong/admin-oss-3.9.openapi.yaml.
//   --check   write nothing; exit 1 when the checked-in types differ from what the document gives now
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { GENERATED_FILE, kongDocument, typesOf } from './kong-types';

async function main(): Promise<number> {
  const check = process.argv.includes('--check');
  const root = process.cwd();
  const file = resolve(root, GENERATED_FILE);
  const types = await typesOf(await kongDocument(root));
  if (check) {
    const current = await readFile(file, 'utf8').catch(() => '');
    if (current === types) return 0;
    const [had, now] = [current.split('\n'), types.split('\n')];
    const line = had.findIndex((l, i) => l !== now[i]);
    console.error(
      `${GENERATED_FILE} differs from the Kong Admin API document (first at line ${line + 1}:\n` +
        `  checked in: ${had[line] ?? '(end of file)'}\n  generated:  ${now[line] ?? '(end of file)'})\n` +
        'run `npm run kong:generate` and commit the result',
    );
    return 1;
  }
  await writeFile(file, types);
  console.log(`wrote ${GENERATED_FILE}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
