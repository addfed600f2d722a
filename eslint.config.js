// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/** Imports the engine may never use: it runs in the worker and in Node alike (docs/architecture.md). */
const engineForbidden = [
  { group: ['react', 'react-dom', 'react-dom/*', 'react/*'], message: 'engine/ is pure: no React.' },
  { group: ['zustand', 'zustand/*'], message: 'engine/ is pure: no store.' },
  {
    group: ['d3', 'd3-selection', 'd3-axis', 'd3-zoom', 'd3-drag'],
    message: 'engine/ is pure: no DOM drawing.',
  },
  { group: ['comlink'], message: 'engine/ is pure: no worker messaging.' },
  {
    group: ['**/ui/**', '**/state/**', '**/client/**', '**/worker/**', '**/cli/**', '**/link/**'],
    message: 'engine/ may not import from the layers above it.',
  },
];

/**
 * Page code reaches the engine only through its tfjs-free entry, engine/page.ts (checked by
 * src/engine/catalog.test.ts); the worker and the command line use the rest.
 */
const pageEngineOnly = {
  group: ['**/engine/*', '**/engine/**', '!**/engine/page'],
  message: 'Page code imports the engine only through engine/page.ts (tfjs-free).',
};

/** Syntax no file may use (no-restricted-syntax; a block that adds its own must include these). */
const restrictedSyntax = [
  { selector: "CallExpression[callee.name='eval']", message: 'No eval.' },
  { selector: "NewExpression[callee.name='Function']", message: 'No new Function.' },
  {
    selector: "CallExpression[callee.name='Function']",
    message: 'No Function(): it evaluates a string.',
  },
  {
    selector: "CallExpression[callee.name=/^(setTimeout|setInterval)$/][arguments.0.type='Literal']",
    message: 'No string timers: they evaluate a string.',
  },
  // No user text is ever inserted as HTML: text nodes only.
  {
    selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']",
    message: 'No dangerouslySetInnerHTML: render text.',
  },
  {
    selector: 'MemberExpression[property.name=/^(innerHTML|outerHTML)$/]',
    message: 'No innerHTML/outerHTML: use textContent or React/d3 text.',
  },
  {
    selector: 'CallExpression[callee.property.name=/^(insertAdjacentHTML|createContextualFragment)$/]',
    message: 'No HTML strings: build nodes and set text.',
  },
  {
    selector: "CallExpression[callee.property.name='html']",
    message: 'No d3 .html(): it sets innerHTML; use .text().',
  },
  {
    selector: "CallExpression[callee.object.name='document'][callee.property.name=/^write(ln)?$/]",
    message: 'No document.write.',
  },
];

/**
 * protocol/ is the page–worker contract, types only: nothing in it exists at run time, so
 * neither side can come to depend on the other's code through it.
 */
const typesOnly = [
  'VariableDeclaration',
  'FunctionDeclaration',
  'ClassDeclaration',
  'TSEnumDeclaration',
  'TSModuleDeclaration',
  'ExportDefaultDeclaration',
  'ExpressionStatement',
  "ExportNamedDeclaration[exportKind='value']",
  "ExportAllDeclaration[exportKind='value']",
  "ImportDeclaration[importKind='value']",
].map((selector) => ({
  selector: `Program > ${selector}`,
  message: 'protocol/ is types only: no runtime values (move the value to the side that uses it).',
}));

/**
 * The worker and the command line reach the engine through engine/index.ts (the command line
 * also through its own Node set-up, engine/setup-node.ts).
 */
const engineEntryOnly = {
  group: ['**/engine/*', '**/engine/**', '!**/engine/index'],
  message: 'worker/ imports the engine only through engine/index.ts.',
};
const cliEngineOnly = {
  group: ['**/engine/*', '**/engine/**', '!**/engine/index', '!**/engine/setup-node'],
  message: 'cli/ imports the engine only through engine/index.ts and engine/setup-node.ts.',
};

export default tseslint.config(
  { ignores: ['dist/', 'dist-*/', 'node_modules/', 'test-results/', 'playwright-report/', 'bench/out/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', ...restrictedSyntax],
    },
  },
  {
    files: ['src/engine/**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-restricted-imports': ['error', { patterns: engineForbidden }],
      'no-restricted-globals': [
        'error',
        { name: 'document', message: 'engine/ never touches the DOM.' },
        { name: 'window', message: 'engine/ never touches the DOM.' },
        { name: 'postMessage', message: 'engine/ never talks to the page.' },
        { name: 'localStorage', message: 'engine/ has no storage.' },
      ],
    },
  },
  {
    // The link codec is shared by the page and the command line: the engine's schema below it, nothing above.
    files: ['src/link/**/*.ts'],
    // Tests may drive the engine's registries to check the codec against them.
    ignores: ['src/link/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'react',
                'zustand',
                'd3',
                'comlink',
                '**/ui/**',
                '**/state/**',
                '**/client/**',
                '**/worker/**',
                '**/cli/**',
              ],
              message:
                'link/ is the experiment codec only: it may import the engine (schema), nothing above it.',
            },
            pageEngineOnly,
          ],
        },
      ],
    },
  },
  {
    // The command line runs in Node: the engine and the link codec, never the page's layers.
    files: ['src/cli/**/*.ts'],
    // Tests may compare the command line's output with the page's own computations.
    ignores: ['src/cli/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['react', 'zustand', 'd3', '**/ui/**', '**/state/**', '**/client/**'],
              message: 'cli/ uses the engine and link/ only, not the page’s layers.',
            },
            cliEngineOnly,
          ],
        },
      ],
    },
  },
  {
    files: ['src/protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['react', 'zustand', 'd3', '**/ui/**', '**/state/**'],
              message: 'protocol/ is types only.',
            },
          ],
        },
      ],
      'no-restricted-syntax': ['error', ...restrictedSyntax, ...typesOnly],
    },
  },
  {
    files: ['src/worker/**/*.ts'],
    ignores: ['src/worker/**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [engineEntryOnly] }] },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}', 'src/state/**/*.ts', 'src/client/**/*.ts', 'src/main.tsx'],
    // Tests may build sessions to compare the page's computations with the engine's.
    ignores: ['**/*.test.ts', '**/*.test.tsx'],
    rules: { 'no-restricted-imports': ['error', { patterns: [pageEngineOnly] }] },
  },
  {
    files: ['src/ui/**/*.tsx', 'src/ui/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
);
