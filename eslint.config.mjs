// Lint for the library, its tests, examples, scripts and benchmarks: typescript-eslint's
// recommended rules (syntax only: type-aware rules would double `npm test`'s lint time) and a
// fixed import order, so a diff never reorders imports by hand.
import js from '@eslint/js';
import importPlugin from 'eslint-plugin-import';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'cdktf.out/**', 'node_modules/**', '.terraform-offline/**', '**/*.d.ts', 'test/examples/release-*/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { import: importPlugin },
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      // Node built-ins, then packages, then this repository (parent folders before siblings);
      // alphabetical within each group.
      'import/order': [
        'error',
        {
          groups: ['builtin', 'external', 'internal', 'parent', 'sibling', 'index'],
          'newlines-between': 'ignore',
          alphabetize: { order: 'asc', caseInsensitive: true },
        },
      ],
      'import/no-duplicates': 'error',
      'import/first': 'error',
      // `_` marks a value taken only to be left out (a destructured rest, an unused parameter).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': 'off',
    },
  },
  {
    // Node scripts (CommonJS and ES modules) run as they are, with Node's globals.
    files: ['**/*.cjs', '**/*.mjs', '**/*.js'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly', __filename: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The rule pack reads synthesized Terraform JSON and Kubernetes manifests, whose shapes are
    // the providers' and the API server's, not ours.
    files: ['lib/checks/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Tests use `any` to read synthesized JSON, whose shape is the provider's, not ours.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
