import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import { layerRuleConfigs } from './tools/lint/layer-rule.mjs';

// The scopes and the layer rule cover exactly the services of the one table, read from its source.
const require = createRequire(import.meta.url);
const { requireTs } = require('./tools/require-ts.cjs');
const { SERVICES } = requireTs(fileURLToPath(new URL('./libs/contracts/src/services.ts', import.meta.url)));
const serviceNames = SERVICES.map((s) => s.name);

export default [
  {
    ignores: [
      '**/dist',
      '**/node_modules',
      '.nx',
      'coverage',
      'tools/lint/fixtures/**',
      '**/fixtures/functions/**',
      'libs/sdk/src/generated/**',
      'libs/clients/kong/src/generated/**',
    ],
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // DESIGN §4: an app imports only its own feature lib and shared libs; a feature lib never
      // imports another feature lib; contracts import nothing.
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          enforceBuildableLibDependency: false,
          depConstraints: [
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: [] },
            // type:testing holds test helpers; only *.spec.ts / *.int-spec.ts files import it.
            { sourceTag: 'type:data', onlyDependOnLibsWithTags: ['type:data', 'type:util', 'type:contracts', 'type:testing'] },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:data', 'type:contracts', 'type:testing'] },
            { sourceTag: 'type:client', onlyDependOnLibsWithTags: ['type:util', 'type:contracts', 'type:testing'] },
            // Runtime shims run inside functions' processes and containers: they stand alone.
            { sourceTag: 'type:runtime', onlyDependOnLibsWithTags: ['type:contracts', 'type:testing'] },
            // Embedded substitutes of solo mode (faas-local, gateway-local); features import them only in tests.
            {
              sourceTag: 'type:provider',
              onlyDependOnLibsWithTags: ['type:util', 'type:contracts', 'type:runtime', 'type:client', 'type:testing'],
            },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:util', 'type:contracts'] },
            {
              sourceTag: 'type:feature',
              onlyDependOnLibsWithTags: ['type:data', 'type:util', 'type:client', 'type:provider', 'type:contracts', 'type:testing'],
            },
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: ['type:feature', 'type:data', 'type:util', 'type:client', 'type:provider', 'type:contracts'],
            },
            { sourceTag: 'type:tooling', onlyDependOnLibsWithTags: ['*'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            ...serviceNames.map((s) => ({ sourceTag: `scope:${s}`, onlyDependOnLibsWithTags: [`scope:${s}`, 'scope:shared'] })),
            { sourceTag: 'scope:cli', onlyDependOnLibsWithTags: ['scope:shared'] },
          ],
        },
      ],
    },
  },
  ...layerRuleConfigs(serviceNames),
  {
    // CommonJS configuration files (jest, the shared SWC options) load with require.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
];
