import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

// Lint with types (typescript-eslint's strict and stylistic type-checked sets), format with Prettier
// (eslint-config-prettier turns off the rules that would fight it). `npm run lint` allows no warning.
export default defineConfig(
  { ignores: ['node_modules/', 'coverage/', 'src/graphql/generated/', 'deploy/dist/'] },
  eslint.configs.recommended,
  tseslint.configs.strictTypeChecked,
  tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Numbers and booleans in messages read naturally; objects and nullish values are still refused.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // Type imports are erased by Node's type stripping only when marked as such.
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-import-type-side-effects': 'error',
      // `() => server.close(done)` and `void promise` say what they mean.
      '@typescript-eslint/no-confusing-void-expression': [
        'error',
        { ignoreArrowShorthand: true, ignoreVoidOperator: true },
      ],
      // A leading underscore marks a parameter or element a signature requires but the body ignores.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      // Tests and benchmarks read parsed JSON answers of real servers: asserting their shape on `any` is the point.
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      // `expect(x!.field)` after an assertion on x is how a failing test stays readable; a benchmark
      // indexes the arrays it filled itself.
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['src/playground/browser/**/*.js'],
    rules: {
      // The IDE's script is checked by TypeScript (checkJs) against the DOM and its globals.d.ts,
      // which knows the UMD builds' globals; core ESLint's no-undef would not.
      'no-undef': 'off',
    },
  },
  prettier,
);
