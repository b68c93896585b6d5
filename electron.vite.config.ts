// Build of the three Electron targets; the main build also emits the headless server and the command line.
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import vue from '@vitejs/plugin-vue';
import { bundleText } from './scripts/bundle-text-plugin.mjs';

const root = import.meta.dirname;

export default defineConfig({
  main: {
    // the web page export writes the studio's generator out as studio-rng.js, bundled from its TypeScript
    plugins: [bundleText()],
    build: {
      outDir: 'out/main',
      // tfjs-core's ESM build imports its own files without extensions, which Node cannot load from
      // node_modules: bundle tfjs (one copy shared by its backends); native packages stay external.
      externalizeDeps: { exclude: ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-wasm'] },
      rollupOptions: {
        input: {
          index: resolve(root, 'src-main/electron/main.ts'),
          serve: resolve(root, 'src-main/server/serve-cli.ts'),
          cli: resolve(root, 'src-main/cli/cli.ts'),
          'sampling-worker': resolve(root, 'src-main/sampling/worker.ts'),
          'lab-worker': resolve(root, 'src-main/lab/worker.ts'),
          'import-worker': resolve(root, 'src-main/datasets/import-worker.ts'),
          'training-worker': resolve(root, 'src-main/training/worker.ts'),
          'backend-probe': resolve(root, 'src-main/training/probe/probe-worker.ts'),
        },
        output: { banner: (chunk) => (chunk.name === 'cli' ? '#!/usr/bin/env node' : '') },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload must be one CommonJS file with nothing external but electron.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(root, 'src-preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src-renderer'),
    plugins: [vue()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      minify: true,
      chunkSizeWarningLimit: 1500,
      rollupOptions: { input: { index: resolve(root, 'src-renderer/index.html') } },
    },
  },
});
