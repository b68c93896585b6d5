# PyTorch + POT reference of the bench's transport task: flow matching from 8 gaussians (t = 1) to two moons (t = 0)
# with a minibatch coupling, trained as the common PyTorch recipe does (a fresh batch from each pool every step, the
# coupling's plan from POT, pairs drawn from the plan, MLP 64x3, Adam 1e-3, EMA), then the learned map's W2 to fresh
# targets. The pools and test sets are the studio's own draws, written by the bench as raw float32 [n, 2] files, so
# both sides learn the same laws. Prints the thread line, then one JSON line.
import argparse
import json
import time

import numpy as np
import ot
import torch

import torch_threads


def load(path):
    return torch.from_numpy(np.fromfile(path, dtype=np.float32).reshape(-1, 2))


def pair_indices(x1, x0, coupling, s, gen):
    """Row k of the batch pairs source x1[i_k] with target x0[j_k]; pairs drawn from the coupling's plan."""
    n = x1.shape[0]
    if coupling == 'independent':
        return torch.arange(n), torch.arange(n)
    a = np.full(n, 1.0 / n)
    cost = torch.cdist(x1.double(), x0.double()).pow(2).numpy()
    if coupling == 'ot':
        plan = ot.emd(a, a, cost)
    else:
        # the Schrödinger bridge's entropic plan: regularisation 2 s^2 in the cost's own units, in the log domain
        plan = ot.sinkhorn(a, a, cost, 2 * s * s, method='sinkhorn_log', numItermax=2000, stopThr=1e-3)
    p = torch.from_numpy(plan).flatten()
    k = torch.multinomial(p / p.sum(), n, replacement=True, generator=gen)
    return k // n, k % n


def main():
    ap = argparse.ArgumentParser()
    torch_threads.add_arguments(ap)
    ap.add_argument('--moons', required=True)
    ap.add_argument('--gaussians', required=True)
    ap.add_argument('--test-sources', required=True)
    ap.add_argument('--test-targets', required=True)
    ap.add_argument('--coupling', choices=['independent', 'ot', 'sb'], required=True)
    ap.add_argument('--s', type=float, default=0.5)
    ap.add_argument('--steps', type=int, default=20000)
    ap.add_argument('--batch', type=int, default=256)
    ap.add_argument('--budget', type=float, default=300, help='seconds of training after which the run stops and reports its rate')
    a = ap.parse_args()
    pools = torch_threads.apply(a)
    print(json.dumps({'torch': torch.__version__, **pools, 'pot': ot.__version__}), flush=True)
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(1)
    moons, gaussians = load(a.moons), load(a.gaussians)
    model = torch.nn.Sequential(
        torch.nn.Linear(3, 64), torch.nn.SiLU(), torch.nn.Linear(64, 64), torch.nn.SiLU(),
        torch.nn.Linear(64, 64), torch.nn.SiLU(), torch.nn.Linear(64, 2))
    params = list(model.parameters())
    ema = [p.detach().clone() for p in params]
    opt = torch.optim.Adam(params, lr=1e-3)
    n = a.batch
    start = time.perf_counter()
    done = 0
    while done < a.steps and time.perf_counter() - start < a.budget:
        x0 = moons[torch.randint(0, moons.shape[0], (n,), generator=gen)]
        x1 = gaussians[torch.randint(0, gaussians.shape[0], (n,), generator=gen)]
        i, j = pair_indices(x1, x0, a.coupling, a.s, gen)
        x1, x0 = x1[i], x0[j]
        t = torch.rand(n, 1, generator=gen)
        xt = (1 - t) * x0 + t * x1
        target = x1 - x0
        if a.coupling == 'sb':
            # Brownian bridge between the pair: spread s sqrt(t(1-t)), and the bridge's pull toward its mean
            t = t.clamp(1e-3, 1 - 1e-3)
            xt = (1 - t) * x0 + t * x1
            z = torch.randn(n, 2, generator=gen)
            spread = a.s * torch.sqrt(t * (1 - t))
            target = x1 - x0 + (1 - 2 * t) / (2 * t * (1 - t)) * spread * z
            xt = xt + spread * z
        opt.zero_grad(set_to_none=True)
        loss = ((model(torch.cat([xt, t], 1)) - target) ** 2).mean()
        loss.backward()
        opt.step()
        with torch.no_grad():
            for e, p in zip(ema, params):
                e.mul_(0.999).add_(p, alpha=0.001)
        done += 1
    seconds = time.perf_counter() - start
    w2 = None
    if done == a.steps:
        with torch.no_grad():
            for e, p in zip(ema, params):
                p.copy_(e)
            x = load(a.test_sources)
            h = 1.0 / 100
            for k in range(100):
                # Heun from t = 1 to t = 0
                t0 = 1 - k * h
                v0 = model(torch.cat([x, torch.full((x.shape[0], 1), t0)], 1))
                xe = x - h * v0
                v1 = model(torch.cat([xe, torch.full((x.shape[0], 1), t0 - h)], 1))
                x = x - 0.5 * h * (v0 + v1)
            y = load(a.test_targets)
            m = x.shape[0]
            w = np.full(m, 1.0 / m)
            w2 = float(np.sqrt(ot.emd2(w, w, torch.cdist(x.double(), y.double()).pow(2).numpy(), numItermax=10_000_000)))
    print(json.dumps({'steps': done, 'seconds': seconds, 'steps_per_s': done / seconds, 'w2': w2}), flush=True)


if __name__ == '__main__':
    main()
