// `npm run kong:generate`: writes the Kong Admin API types from ../shared/specs/kong/admin-oss-3.9.openapi.yaml.
//   --check   write nothing; exit 1 when the checked-in types differ from what the document gives now
import { resolve } from 'node:path';
import { writeOrCheckGenerated } from '@dispatch/util';
import { GENERATED_FILE, kongDocument, typesOf } from './kong-types';

async function main(): Promise<number> {
  const check = process.argv.includes('--check');
  const root = process.cwd();
  const file = resolve(root, GENERATED_FILE);
  const types = await typesOf(await kongDocument(root));
  return writeOrCheckGenerated(
    { path: file, name: GENERATED_FILE, content: types, source: 'the Kong Admin API document', command: 'npm run kong:generate' },
    check,
  );
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
