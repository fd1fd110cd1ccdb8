// Lets plain Node (eslint.config.mjs, the Nx generators of tools/) require the workspace's
// TypeScript: compiled on load with the one SWC configuration of the build and jest, so the
// service table and the generator are read exactly as the build reads them.
const { readFileSync } = require('node:fs');
const { transformSync } = require('@swc/core');
const { swcOptions } = require('../swc.config.cjs');

if (!require.extensions['.ts']) {
  require.extensions['.ts'] = (module, filename) => {
    const { code } = transformSync(readFileSync(filename, 'utf8'), { ...swcOptions(), filename, sourceMaps: 'inline' });
    module._compile(code, filename);
  };
}

module.exports = { requireTs: (file) => require(file) };
