// `npm run sdk:generate`: starts a solo server on free ports with a temporary DISPATCH_HOME, reads
// the OpenAPI document it serves, stops it, and writes the SDK's types from that document.
//   --api URL   read the document of a server already running instead of starting one
//   --check     write nothing; exit 1 when the checked-in types differ from what the server serves
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { startSoloServer } from '@dispatch/testing';
import { writeOrCheckGenerated } from '@dispatch/util';
import { GENERATED_FILE, servedDocument, typesOf } from './openapi-types';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const apiIndex = args.indexOf('--api');
  const file = resolve(process.cwd(), GENERATED_FILE);

  let types: string;
  if (apiIndex >= 0) {
    types = await typesOf(await servedDocument(args[apiIndex + 1]));
  } else {
    const solo = await startSoloServer();
    // The server leads its own process group, so a Ctrl-C here does not reach it: it is stopped
    // before this process ends, however it ends.
    const stop = async () => {
      await solo.process.stop();
      await rm(solo.home, { recursive: true, force: true });
    };
    const interrupted = (signal: NodeJS.Signals) => void stop().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    process.once('SIGINT', interrupted).once('SIGTERM', interrupted);
    try {
      types = await typesOf(await servedDocument(solo.api));
    } finally {
      process.off('SIGINT', interrupted).off('SIGTERM', interrupted);
      await stop();
    }
  }

  return writeOrCheckGenerated(
    { path: file, name: GENERATED_FILE, content: types, source: 'the OpenAPI document the server serves', command: 'npm run sdk:generate' },
    check,
  );
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
