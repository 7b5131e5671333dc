// Lint rules for the whole repository. The "no Math.random / Date" rule in shared/ guards determinism:
// the simulation must be a pure fold over commands, so clocks and unseeded randomness are banned there.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'data/',
      'test-results/',
      'playwright-report/',
      'test/bench/.soa-copy-*/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests spoil JSON fixtures on purpose (bad scenarios, damaged logs); `any` is the honest type there.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['shared/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Use the seeded generator held in the game state.' },
        { object: 'Date', property: 'now', message: 'The simulation has no clock: use ticks.' },
        { object: 'performance', property: 'now', message: 'The simulation has no clock: use ticks.' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date']", message: 'The simulation has no clock: use ticks.' },
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'os', 'crypto'],
              message: 'shared/ must not import Node modules.',
            },
            { group: ['pixi.js', 'socket.io', 'express'], message: 'shared/ holds pure game code only.' },
          ],
        },
      ],
    },
  },
);
