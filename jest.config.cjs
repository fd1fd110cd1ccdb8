const { swcOptions, jestModuleNameMapper } = require('./tools/swc-options.cjs');

const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['@swc/jest', { ...swcOptions(), swcrc: false }],
    // ESM-only dependencies that Node 20 requires natively but jest cannot: compile them to CJS.
    '^.+\\.js$': ['@swc/jest', { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' }, swcrc: false }],
  },
  transformIgnorePatterns: ['^(?!.*/node_modules/content-disposition/).*/node_modules/'],
  moduleNameMapper: jestModuleNameMapper(),
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
  setupFiles: ['reflect-metadata'],
};

/** @type {import('jest').Config} */
module.exports = {
  // Integration suites each start servers and hold database connections: two cores, two workers.
  maxWorkers: 2,
  // A project-level testTimeout is ignored by jest; integration suites start real servers.
  testTimeout: 30_000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,tools,bench}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs,tools,e2e}/**/*.int-spec.ts'],
    },
  ],
};
