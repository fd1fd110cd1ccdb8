// Nx loads generators with plain Node; this one is TypeScript.
const { requireTs } = require('../../require-ts.cjs');

module.exports = requireTs(require.resolve('./generator.ts'));
