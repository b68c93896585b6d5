# PyTorch reference of the sampling bench: Euler, Heun and DPM-Solver++(2M) on the MLP 3->256->256->256->2 (SiLU), velocity
# on the linear path x_t = (1 - t) x0 + t eps, the same update formulas and grids as the studio's samplers; and the matmul ceiling.
# Prints one JSON line per measurement: {"job": ..., "seconds": ...} (or "gflops" for the matmul, "vmhwm_kb" for --memory).
import argparse
import json
import math
import time

import torch

import torch_threads


def make_model():
    torch.manual_seed(0)
    return torch.nn.Sequential(
        torch.nn.Linear(3, 256), torch.nn.SiLU(), torch.nn.Linear(256, 256), torch.nn.SiLU(),
        torch.nn.Linear(256, 256), torch.nn.SiLU(), torch.nn.Linear(256, 2)).eval()


def velocity(model, x, t):
    return model(torch.cat([x, torch.full((x.shape[0], 1), t)], 1))


def euler(model, x, times):
    for i in range(len(times) - 1):
        x = x + (times[i + 1] - times[i]) * velocity(model, x, times[i])
    return x


def heun(model, x, times):
    # the correction is kept on the last step too, as the studio's heun does: 2 evaluations per step
    for i in range(len(times) - 1):
        h = times[i + 1] - times[i]
        k1 = velocity(model, x, times[i])
        k2 = velocity(model, x + h * k1, times[i + 1])
        x = x + (h / 2) * (k1 + k2)
    return x


def dpmpp_2m(model, x, times):
    alpha = lambda t: 1 - t
    sigma = lambda t: t
    half_log_snr = lambda t: (math.log(alpha(t)) if alpha(t) > 0 else -math.inf) - (math.log(sigma(t)) if sigma(t) > 0 else -math.inf)
    prev_x0, prev_h = None, math.inf
    for i in range(len(times) - 1):
        t, s = times[i], times[i + 1]
        x0 = x - t * velocity(model, x, t)
        h = half_log_snr(s) - half_log_snr(t)
        ratio = sigma(s) / sigma(t)
        c = -alpha(s) * math.expm1(-h) if math.isfinite(h) else alpha(s)
        second = prev_x0 is not None and math.isfinite(prev_h) and math.isfinite(h)
        w = 1 / (2 * (prev_h / h)) if second else 0.0
        d = (1 + w) * x0 - w * prev_x0 if second else x0
        x = ratio * x + c * d
        prev_x0, prev_h = x0, h
    return x


SAMPLERS = {'euler': euler, 'heun': heun, 'dpmpp-2m': dpmpp_2m}


def sample(model, name, steps, n, seed=2):
    times = [1 - i / steps for i in range(steps + 1)]
    x = torch.randn(n, 2, generator=torch.Generator().manual_seed(seed))
    with torch.inference_mode():
        return SAMPLERS[name](model, x, times)


def matmul_gflops(rows, seconds):
    a = torch.randn(rows, 256)
    w = torch.randn(256, 256)
    c = torch.empty(rows, 256)  # preallocated, as the ONNX Runtime side does
    for _ in range(5):
        torch.mm(a, w, out=c)
    k, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        torch.mm(a, w, out=c)
        k += 1
    return 2 * rows * 256 * 256 * k / (time.perf_counter() - start) / 1e9


def vmhwm_kb():
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith('VmHWM:'):
                return int(line.split()[1])
    return -1


def main():
    ap = argparse.ArgumentParser()
    torch_threads.add_arguments(ap)
    ap.add_argument('--jobs', default='euler:100,heun:50,dpmpp-2m:20', help='sampler:steps list; "" for none')
    ap.add_argument('--n', type=int, default=10000)
    ap.add_argument('--matmul-seconds', type=float, default=0, help='> 0: also time the 10,000 x 256 @ 256 x 256 matmul')
    ap.add_argument('--memory', action='store_true', help='print the peak resident memory after the jobs')
    a = ap.parse_args()
    pools = torch_threads.apply(a)
    model = make_model()
    jobs = [(j.split(':')[0], int(j.split(':')[1])) for j in a.jobs.split(',') if j]
    print(json.dumps({'torch': torch.__version__, **pools, 'vmhwm_kb': vmhwm_kb()}), flush=True)
    if jobs:
        sample(model, 'euler', 2, a.n)  # warm-up: first calls allocate and pick kernels
    for name, steps in jobs:
        start = time.perf_counter()
        x = sample(model, name, steps, a.n)
        elapsed = time.perf_counter() - start
        print(json.dumps({'job': f'{name}:{steps}', 'seconds': elapsed, 'finite': bool(torch.isfinite(x).all())}), flush=True)
    if a.matmul_seconds > 0:
        print(json.dumps({'job': 'matmul', 'gflops': matmul_gflops(10000, a.matmul_seconds)}), flush=True)
    if a.memory:
        print(json.dumps({'job': 'memory', 'vmhwm_kb': vmhwm_kb()}), flush=True)


if __name__ == '__main__':
    main()
