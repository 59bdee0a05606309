// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const restrict = (names, message) =>
  names.map((name) => ({ name, message, allowTypeImports: true }));

export default tseslint.config(
  { ignores: ['dist/**', 'coverage/**', 'node_modules/**', 'eslint.config.mjs', 'jest.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // Layering: only HTTP files speak Express, only worker files speak BullMQ, only entities and
    // db/ import TypeORM values (services take an EntityManager by type).
    files: ['src/**/*.ts'],
    ignores: [
      'src/**/*.routes.ts',
      'src/http/**',
      'src/worker/**',
      'src/**/*.entity.ts',
      'src/db/**',
    ],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            ...restrict(['express'], 'Only *.routes.ts and src/http/ import Express.'),
            ...restrict(['bullmq'], 'Only src/worker/ imports BullMQ.'),
            ...restrict(
              ['typeorm'],
              'Only entities and src/db/ import TypeORM values; import types only.',
            ),
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'scripts/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
