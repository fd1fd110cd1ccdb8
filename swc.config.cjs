// One SWC configuration for the build, jest and tools/require-ts.cjs, so tests and tools run the code exactly as it ships.
const { compilerOptions } = require('./tsconfig.base.json');

const root = __dirname;

/** @returns {import('@swc/core').Options} */
function swcOptions() {
  return {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      target: 'es2022',
      keepClassNames: true,
      baseUrl: root,
      paths: compilerOptions.paths,
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    },
    module: { type: 'commonjs' },
    sourceMaps: true,
  };
}

/** jest moduleNameMapper equivalent of the tsconfig paths. */
function jestModuleNameMapper() {
  const map = {};
  for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
    map[`^${alias.replace(/[/\\^$+?.()|[\]{}]/g, '\\$&')}$`] = `<rootDir>/${target}`;
  }
  return map;
}

module.exports = { swcOptions, jestModuleNameMapper, root };
