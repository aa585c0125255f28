// npm run lint (run by npm test and CI): the style guide's size limits (docs/style.md §13:
// functions of at most 40 lines, short lines) and promises that are never left floating.
import tseslint from 'typescript-eslint';

const sizes = {
  'max-lines-per-function': ['error', { max: 40, skipBlankLines: true, skipComments: true, IIFEs: true }],
  'max-len': ['error', { code: 160, ignoreUrls: true, ignoreRegExpLiterals: true }],
  'max-lines': ['error', { max: 250, skipBlankLines: false, skipComments: false }],
};

export default tseslint.config(
  { ignores: ['dist/', 'sea/', 'release/', 'node_modules/', 'coverage/', 'test/fixtures/'] },
  {
    files: ['src/**/*.ts', 'cmd/**/*.ts', 'install/**/*.ts'],
    languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: { ...sizes, '@typescript-eslint/no-floating-promises': 'error', '@typescript-eslint/no-misused-promises': 'error' },
  },
  {
    files: ['install/**/*.mjs', 'bench/**/*.mjs'],
    rules: sizes,
  },
);
