# PyTorch reference of workload W: CFM on 8 gaussians, MLP 3->256->256->256->2 (SiLU), Adam 1e-3, with the
# gradient norm and an EMA update every step as the compiled ONNX step does. Prints one JSON line per batch size.
import argparse
import json
import math
import time

import torch

import torch_threads


def eight_gaussians(n, gen):
    k = torch.randint(0, 8, (n,), generator=gen)
    angle = k.double() * (2 * math.pi / 8)
    centers = torch.stack([torch.cos(angle), torch.sin(angle)], 1) * 2
    return (centers + 0.1 * torch.randn(n, 2, generator=gen, dtype=torch.float64)).float()


def make_batches(n, count, gen):
    out = []
    for _ in range(count):
        x0 = eight_gaussians(n, gen)
        eps = torch.randn(n, 2, generator=gen)
        t = torch.rand(n, generator=gen)
        xt = (1 - t[:, None]) * x0 + t[:, None] * eps
        out.append((torch.cat([xt, t[:, None]], 1), eps - x0, torch.ones(n)))
    return out


def workload_step(batch):
    """Workload W's training step at this batch size over 8 pre-drawn batches: step(i) trains on batch i mod 8."""
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(1)
    model = torch.nn.Sequential(
        torch.nn.Linear(3, 256), torch.nn.SiLU(), torch.nn.Linear(256, 256), torch.nn.SiLU(),
        torch.nn.Linear(256, 256), torch.nn.SiLU(), torch.nn.Linear(256, 2))
    params = list(model.parameters())
    ema = [p.detach().clone() for p in params]
    opt = torch.optim.Adam(params, lr=1e-3)
    batches = make_batches(batch, 8, gen)

    def step(i):
        inp, target, w = batches[i % len(batches)]
        opt.zero_grad(set_to_none=True)
        loss = (w * ((model(inp) - target) ** 2).mean(1)).mean()
        loss.backward()
        norm = torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(p.grad) for p in params]))
        opt.step()
        with torch.no_grad():
            for e, p in zip(ema, params):
                e.mul_(0.999).add_(p, alpha=0.001)
        return loss, norm

    return step


def run(batch, seconds, repeats):
    step = workload_step(batch)
    for i in range(5):
        step(i)
    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        k = 0
        while time.perf_counter() - start < seconds:
            step(k)
            k += 1
        rates.append(k / (time.perf_counter() - start))
    return sorted(rates)[len(rates) // 2], float(step(0)[0])


def main():
    ap = argparse.ArgumentParser()
    torch_threads.add_arguments(ap)
    ap.add_argument('--batches', default='256,1024,4096')
    ap.add_argument('--seconds', type=float, default=1.5)
    ap.add_argument('--repeats', type=int, default=3)
    a = ap.parse_args()
    pools = torch_threads.apply(a)
    print(json.dumps({'torch': torch.__version__, **pools, 'blas': torch_threads.blas_in_use()}), flush=True)
    for b in [int(s) for s in a.batches.split(',')]:
        rate, loss = run(b, a.seconds, a.repeats)
        print(json.dumps({'batch': b, 'threads': a.threads, 'steps_per_s': rate, 'loss': loss}), flush=True)


if __name__ == '__main__':
    main()
