// One ESLint config for the workspace. Besides code quality it guards the architecture:
// - @nx/enforce-module-boundaries: apps depend only on libs (no service imports another service);
// - no-restricted-imports: a service's domain folder stays pure (no NestJS, TypeORM, kafkajs, pg).
// tools/architecture/lint-rules.spec.ts proves both rules fire.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';

export const domainForbiddenImports = {
  paths: ['pg', 'kafkajs', 'typeorm', 'express'],
  patterns: [
    { group: ['@nestjs/*'], message: 'The domain is pure: NestJS belongs in api/ or infrastructure/.' },
    { group: ['typeorm', 'typeorm/*', 'pg', 'kafkajs'], message: 'The domain does no I/O.' },
  ],
};

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/.data/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['apps/*/src/domain/**/*.ts', 'src/domain/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', domainForbiddenImports] },
  },
  prettier,
);
