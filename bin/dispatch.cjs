#!/usr/bin/env node
// `npx dispatch` from anywhere in the repository: the CLI is built into dist/ (npm start and
// npm run build build it), so this launcher is what the package's bin names, and it exists before
// the first build; npx links the bin of this package when it first runs it.
const { existsSync } = require('node:fs');
const path = require('node:path');

const main = path.join(__dirname, '..', 'dist', 'apps', 'cli', 'src', 'main.js');
if (!existsSync(main)) {
  process.stderr.write(`error: the dispatch CLI is not built yet (${main} is missing): run npm run build, or npm start\n`);
  process.exit(1);
}
const cli = require(main);
cli.exitQuietlyOnClosedPipe();
cli.run(process.argv).then((code) => {
  process.exitCode = code;
});
