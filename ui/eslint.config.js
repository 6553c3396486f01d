import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const API_ERROR = { from: 'file', name: 'ApiError', path: 'src/bindings/ApiError.ts' };

export default defineConfig(
  { ignores: ['dist/**', 'node_modules/**', 'src/bindings/**'] },
  js.configs.recommended,
  tseslint.configs.strictTypeChecked,
  reactHooks.configs.flat.recommended,
  {
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // Commands reject with the plain `{code, message}` object the Rust side sends.
      '@typescript-eslint/only-throw-error': ['error', { allow: [API_ERROR] }],
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allow: [API_ERROR] }],
    },
  },
  {
    files: ['eslint.config.js'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
