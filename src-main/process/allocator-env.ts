// The C allocator settings a process of heavy numerical work starts with.
//
// glibc's malloc serves every block over 128 KiB with its own mmap and gives the pages back on free, so a loop that
// allocates the same tensors each step takes fresh zeroed pages (page faults) every time: workload W's training
// step ran at 355 against 506 steps/s at batch 256 on this path, and PyTorch's at 122 against 274. Raising the mmap
// threshold to glibc's largest (32 MiB) and keeping up to 256 MiB of freed heap lets those blocks be reused. glibc reads
// GLIBC_TUNABLES once, when a process starts, so only a child's environment can carry it.

/** The tunables set, as GLIBC_TUNABLES spells them. */
export const HEAVY_WORK_TUNABLES: Readonly<Record<string, string>> = {
  'glibc.malloc.mmap_threshold': String(32 << 20),
  'glibc.malloc.trim_threshold': String(256 << 20),
};

/**
 * `env` with HEAVY_WORK_TUNABLES added to its GLIBC_TUNABLES; a tunable `env` already names keeps its value, so a
 * user's own setting wins. Other allocators (Electron's, jemalloc preloaded) ignore the variable.
 */
export function heavyWorkEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const given = (env.GLIBC_TUNABLES ?? '').split(':').filter(Boolean);
  const named = new Set(given.map((kv) => kv.split('=')[0]));
  const added = Object.entries(HEAVY_WORK_TUNABLES).filter(([k]) => !named.has(k)).map(([k, v]) => `${k}=${v}`);
  return added.length === 0 ? env : { ...env, GLIBC_TUNABLES: [...given, ...added].join(':') };
}
