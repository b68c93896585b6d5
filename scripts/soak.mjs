// `npm run soak`: the reliability tests of test/reliability/ at their full trial counts (npm test runs them at reduced counts).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const vitest = join(dirname(require.resolve('vitest/package.json')), 'vitest.mjs');
const extra = process.argv.slice(2);
const run = spawnSync(process.execPath, [vitest, 'run', 'test/reliability', '--testTimeout', '3600000', '--hookTimeout', '600000', ...extra], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, STUDIO_SOAK: '1' },
});
process.exit(run.status ?? 1);
