// Test runner settings: unit tests beside the code, process and browser tests under test/.
import { defineConfig } from 'vitest/config';
import vue from '@vitejs/plugin-vue';
import { bundleText } from './scripts/bundle-text-plugin.mjs';

export default defineConfig({
  plugins: [vue(), bundleText()],
  test: {
    include: ['src-*/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
  },
});
