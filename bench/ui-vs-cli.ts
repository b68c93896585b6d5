// Training steps/s of one config started three ways: the command line, the server's API as the page uses it, and a real page in Chromium.
// Run: npx jiti bench/ui-vs-cli.ts [--rounds 3] [--steps 2000] [--no-browser] [--build out] (after npm run build; ways alternate a, b, c, a, b, c)
import { join, resolve } from 'node:path';
import { loadAverage, median } from './lib/common';
import { flagValue } from './lib/unet-bench';
import { measureUiPace } from './lib/ui-pace';

const args = process.argv.slice(2);
/** The build to measure (another build's out/ folder compares before and after a change). */
const build = resolve(flagValue(args, 'build', join(import.meta.dirname, '..', 'out')));
const steps = Number(flagValue(args, 'steps', '2000'));
console.log(`build: ${build}`);
console.log(`config: suggestedConfig for 2-D points on two-moons (10,000 points), ${steps} steps`);
console.log(`load average before: ${loadAverage().join(' ')}`);
const pace = await measureUiPace({ build, steps, rounds: Number(flagValue(args, 'rounds', '3')), browser: !args.includes('--no-browser'), log: (line) => console.log(line) });
console.log(`backend: ${pace.backend}`);
console.log(`load average after: ${loadAverage().join(' ')}`);
for (const row of pace.rows) console.log(`median ${row.label.padEnd(16)} ${median(row.rates).toFixed(0).padStart(5)} steps/s  ${(100 * row.share).toFixed(0)} % of the command line's`);
