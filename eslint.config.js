// Lint: TypeScript and Vue rules, the layer rule (each folder imports only from the layers above it) and the renderer's folder rules (no circle between folders).
import tseslint from 'typescript-eslint';
import vue from 'eslint-plugin-vue';
import vueParser from 'vue-eslint-parser';
import folderCycle from './scripts/lint-rules/folder-cycle.js';

const nodeBuiltins = ['fs', 'path', 'os', 'child_process', 'crypto', 'http', 'https', 'net', 'url', 'util', 'stream', 'worker_threads', 'events', 'buffer', 'zlib', 'readline', 'process'];
// Regexes on the import string, so that a relative './path' is not mistaken for Node's 'path'.
const nodeModules = [`^node:`, `^(${nodeBuiltins.join('|')})(/.*)?$`];
const layer = (name) => `(^|/)${name}(/|$)`;
const pkg = (name) => `^${name.replace('/', '\\/').replace('*', '.*')}(/.*)?$`;

const mathRandom = { object: 'Math', property: 'random', message: 'draw from a seeded Rng (src-core/rng.ts)' };
// kill(-1) or kill(0) reaches every process the user may signal: pids go through the checked helper.
const processKill = { object: 'process', property: 'kill', message: 'signal through signalProcess (src-main/process/signal.ts), which refuses pids that are not our own children' };

// Each group is [message, regexes]; one file's restrictions go in one entry, since a later entry replaces the rule.
const bans = (...groups) => ({
  'no-restricted-imports': ['error', { patterns: groups.flatMap(([message, regexes]) => regexes.map((regex) => ({ regex, message }))) }],
});
const restrict = (message, regexes) => bans([message, regexes]);
const rendererBans = ['src-renderer talks only to the typed API: no Electron, Node or main-process imports', [
  pkg('electron'), ...nodeModules, layer('src-main'), layer('src-preload'), pkg('ws'), pkg('onnxruntime-node'), pkg('@tensorflow/tfjs-node*'),
]];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-artifacts/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parser: vueParser, parserOptions: { parser: tseslint.parser, sourceType: 'module' } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'no-restricted-properties': ['error', mathRandom, processKill],
    },
  },
  {
    // The one checked call site of process.kill.
    files: ['src-main/process/signal.ts'],
    rules: { 'no-restricted-properties': ['error', mathRandom] },
  },
  {
    files: ['src-core/**'],
    rules: restrict('src-core is pure TypeScript: no Electron, Node, DOM-framework or other-layer imports', [
      pkg('electron'), ...nodeModules, pkg('vue'), pkg('pinia'), pkg('echarts'), pkg('ws'), pkg('onnxruntime-node'), pkg('@tensorflow/tfjs-node*'),
      layer('src-main'), layer('src-preload'), layer('src-renderer'),
    ]),
  },
  {
    files: ['src-main/**'],
    rules: restrict('src-main may not import the renderer or the preload', [layer('src-renderer'), layer('src-preload'), pkg('vue'), pkg('pinia')]),
  },
  {
    files: ['src-preload/**'],
    rules: restrict('src-preload exposes the contract only: Electron and src-core types', [
      ...nodeModules, layer('src-main'), layer('src-renderer'), pkg('vue'), pkg('pinia'), pkg('ws'), pkg('onnxruntime-node'),
    ]),
  },
  {
    files: ['src-renderer/**'],
    rules: bans(rendererBans),
  },
  {
    // The renderer's other folders (app, api, components, charts...) sit above the features: the features import them, never the reverse.
    files: ['src-renderer/*/**'],
    ignores: ['src-renderer/features/**', '**/*.test.ts'],
    rules: bans(rendererBans, ['the features import this folder, so it may not import them (a feature registers what the app needs from it)', [layer('features')]]),
  },
  {
    // No two folders of the renderer (each feature its own) import each other; tests, which wire them together, are left out.
    files: ['src-renderer/**/*.ts', 'src-renderer/**/*.vue'],
    plugins: { studio: { rules: { 'folder-cycle': folderCycle } } },
    rules: { 'studio/folder-cycle': ['error', { root: 'src-renderer', nested: ['features'] }] },
  },
);
