import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { layeringConfigs } from './eslint-layers.js';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'data/**', 'test-artifacts/**', 'bench/out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  // Who may import whom (docs/architecture.md): one table in eslint-layers.js.
  ...layeringConfigs(),
);
