const { swcOptions, jestModuleNameMapper } = require('./swc.config.cjs');

// ESM-only dependencies that Node 20 requires natively but jest cannot: compiled to CommonJS.
const ESM_PACKAGES = ['content-disposition', 'jose', '@kubernetes/client-node', 'openid-client', 'oauth4webapi'];

const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['@swc/jest', { ...swcOptions(), swcrc: false }],
    '^.+\\.js$': ['@swc/jest', { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' }, swcrc: false }],
  },
  transformIgnorePatterns: [`^(?!.*/node_modules/(${ESM_PACKAGES.join('|')})/).*/node_modules/`],
  moduleNameMapper: jestModuleNameMapper(),
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
  setupFiles: ['reflect-metadata', '<rootDir>/tools/jest-env.cjs'],
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
