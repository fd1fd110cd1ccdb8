// Test support: runs startEmbeddedPostgres in a Node process of its own, so a test can SIGKILL
// that process and leave its PostgreSQL orphaned. Prints {"url": ...} once the server is ready.
// The TypeScript sources load through SWC with the options jest and the build use.
const { readFileSync } = require('node:fs');
const path = require('node:path');
const { transformSync } = require('@swc/core');
const { swcOptions } = require(path.resolve(__dirname, '../../../../swc.config.cjs'));

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), { ...swcOptions(), filename, sourceMaps: false });
  module._compile(code, filename);
};

const { startEmbeddedPostgres } = require('../embedded/embedded-postgres-launcher.ts');
const quiet = () => undefined;
startEmbeddedPostgres({ dataDir: process.argv[2], log: { debug: quiet, info: quiet, warn: quiet, error: quiet } }).then(
  (pg) => process.stdout.write(`${JSON.stringify({ url: pg.url })}\n`),
  (err) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
