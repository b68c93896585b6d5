# Where PyTorch's step of workload W spends its time, by operator, beside bench/step-profile.ts's table for the compiled
# ONNX step. Run with the bench's settings, e.g.
#   OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 GLIBC_TUNABLES=glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=268435456 \
#   env -u OPENBLAS_CORETYPE /usr/bin/python3 bench/torch_step_profile.py --threads 1 --blas-threads 1 --batch 256
import argparse
import time

import torch
import torch.profiler as profiler

import torch_threads
from torch_train_step import workload_step


def main():
    ap = argparse.ArgumentParser()
    torch_threads.add_arguments(ap)
    ap.add_argument('--batch', type=int, default=256)
    ap.add_argument('--steps', type=int, default=200)
    ap.add_argument('--top', type=int, default=12)
    a = ap.parse_args()
    pools = torch_threads.apply(a)
    step = workload_step(a.batch)
    for i in range(20):
        step(i)
    start = time.perf_counter()
    cpu = time.process_time()
    for i in range(a.steps):
        step(i)
    wall = (time.perf_counter() - start) / a.steps * 1e3
    cpu = (time.process_time() - cpu) / a.steps * 1e3
    with profiler.profile(activities=[profiler.ProfilerActivity.CPU]) as prof:
        for i in range(a.steps):
            step(i)
    rows = sorted(prof.key_averages(), key=lambda r: -r.self_cpu_time_total)
    total = sum(r.self_cpu_time_total for r in rows)
    print(f'PyTorch {torch.__version__}, {pools}, batch {a.batch}: wall {wall:.3f} ms per step ({1e3 / wall:.0f} steps/s), '
          f'process CPU {cpu:.3f} ms; profiled self CPU {total / a.steps / 1e3:.3f} ms per step')
    print('| operator | calls per step | ms per step | share |')
    print('|---|---|---|---|')
    for r in rows[:a.top]:
        print(f'| {r.key} | {r.count / a.steps:.0f} | {r.self_cpu_time_total / a.steps / 1e3:.3f} | {100 * r.self_cpu_time_total / total:.1f}% |')


if __name__ == '__main__':
    main()
