// Which of OpenBLAS's kernel sets the bench's PyTorch children run: OpenBLAS's own pick for this CPU, or a faster one it also ships.
//
// OPENBLAS_CORETYPE, read when OpenBLAS loads, overrides its own pick: a machine whose environment sets it to Haswell
// gives PyTorch AVX2 kernels on an AVX-512 CPU, 343 us for a 256^3 product where OpenBLAS's own pick (Cooperlake)
// takes 178 us. PyTorch's best setting is the fastest set, so the children get it whatever the bench inherited.
import { spawnSync } from 'node:child_process';
import { heavyWorkEnv } from '../../src-main/process/allocator-env';

/** The kernel sets tried besides OpenBLAS's own pick (names as OPENBLAS_CORETYPE takes them); a CPU without their instructions fails the probe and is left out. */
const BLAS_CORES = ['Haswell', 'Zen', 'SkylakeX', 'Cooperlake'] as const;

/** One probe: the kernel set OpenBLAS ran and its microseconds per 256^3 single-precision product on one thread. */
interface BlasTiming {
  /** The OPENBLAS_CORETYPE asked for, or null for OpenBLAS's own pick. */
  readonly asked: string | null;
  readonly core: string;
  readonly micros: number;
}

/** The probes and the choice: `coretype` is what the children get (null: none, OpenBLAS's own pick was fastest). */
interface BlasKernelChoice {
  readonly timings: readonly BlasTiming[];
  readonly coretype: string | null;
  /** OPENBLAS_CORETYPE as the bench inherited it, which the children no longer see. */
  readonly inherited: string | null;
}

const PROBE = [
  'import ctypes, os, time, torch',
  'torch.set_num_threads(1)',
  'a = torch.randn(256, 256); b = torch.randn(256, 256)',
  'for _ in range(20): a @ b',
  'runs = []',
  'for _ in range(7):',
  '    t = time.perf_counter()',
  '    for _ in range(40): a @ b',
  '    runs.append((time.perf_counter() - t) / 40 * 1e6)',
  "lib = [l.split()[-1] for l in open('/proc/self/maps') if 'openblas' in os.path.basename(l.split()[-1]).lower()]",
  'f = ctypes.CDLL(lib[0]).openblas_get_corename; f.restype = ctypes.c_char_p',
  'print(f().decode(), sorted(runs)[3])',
].join('\n');

function probe(python: string, asked: string | null): BlasTiming | null {
  const env = heavyWorkEnv({ ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' });
  delete env.OPENBLAS_CORETYPE;
  if (asked !== null) env.OPENBLAS_CORETYPE = asked;
  const r = spawnSync(python, ['-c', PROBE], { encoding: 'utf8', env });
  if (r.status !== 0) return null;
  const [core, micros] = r.stdout.trim().split(/\s+/);
  return { asked, core, micros: Number(micros) };
}

let chosen: BlasKernelChoice | undefined;

/** Probes OpenBLAS's own pick and each of BLAS_CORES once per process; the fastest is the children's kernel set. */
export function blasKernel(python: string): BlasKernelChoice {
  if (chosen) return chosen;
  const timings = [null, ...BLAS_CORES].map((asked) => probe(python, asked)).filter((t): t is BlasTiming => t !== null && Number.isFinite(t.micros));
  const own = timings.find((t) => t.asked === null);
  const best = timings.reduce<BlasTiming | null>((b, t) => (b === null || t.micros < b.micros ? t : b), null);
  // another kernel set must beat OpenBLAS's own pick by more than the probe's noise to be chosen
  const coretype = best && own && best.asked !== null && best.micros < own.micros * 0.9 ? best.asked : null;
  return (chosen = { timings, coretype, inherited: process.env.OPENBLAS_CORETYPE ?? null });
}

/** The report's line on the choice. */
export function blasKernelLine(choice: BlasKernelChoice): string {
  const own = choice.timings.find((t) => t.asked === null);
  const others = choice.timings.filter((t) => t.asked !== null).map((t) => `${t.core} ${t.micros.toFixed(0)} us`).join(', ');
  const verdict = choice.coretype === null ? "PyTorch's children run OpenBLAS's own pick" : `PyTorch's children run with OPENBLAS_CORETYPE=${choice.coretype}`;
  const inherited = choice.inherited === null ? '' : ` (the environment's OPENBLAS_CORETYPE=${choice.inherited} is not passed on)`;
  return `- OpenBLAS kernels (one 256^3 product, 1 thread): its own pick ${own ? `${own.core} ${own.micros.toFixed(0)} us` : 'failed'}; ${others || 'no other set ran'}: ${verdict}${inherited}`;
}
