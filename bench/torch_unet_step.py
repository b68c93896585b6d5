# PyTorch reference of the U-Net bench: the studio's U-Net family rebuilt layer for layer (group norm with a per-channel
# gain and shift, SiLU, 3x3 convs, a 1x1 conv where a block changes channels, stride-2 downsampling, skips joined by
# concatenation, nearest upsampling then a conv), trained by CFM-like steps with Adam, clipping at 1 and an EMA, as
# bench/unet-step.ts trains the compiled step. Prints the thread line, then one JSON line with steps/s, the forward
# time and the parameter count (the bench checks it against the studio's layout).
import argparse
import json
import math
import time

import torch
from torch import nn
import torch.nn.functional as F

import torch_threads


class ResBlock(nn.Module):
    def __init__(self, cin, cout, tdim, groups):
        super().__init__()
        self.norm1 = nn.GroupNorm(groups, cin, eps=1e-5)
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.time = nn.Linear(tdim, cout)
        self.norm2 = nn.GroupNorm(groups, cout, eps=1e-5)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1)
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else None

    def forward(self, x, temb):
        a = self.conv1(F.silu(self.norm1(x))) + self.time(temb)[:, :, None, None]
        a = self.conv2(F.silu(self.norm2(a)))
        return (self.skip(x) if self.skip is not None else x) + a


class Unet(nn.Module):
    def __init__(self, image, channels, blocks, groups, tdim_in, scale):
        super().__init__()
        c0 = channels[0]
        tdim = 4 * c0
        half = tdim_in // 2
        self.register_buffer('freqs', scale * torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32) / half))
        self.dense0 = nn.Linear(tdim_in, tdim)
        self.dense1 = nn.Linear(tdim, tdim)
        self.inp = nn.Conv2d(image[0], c0, 3, padding=1)
        self.down = nn.ModuleList()
        skips = [c0]
        h = c0
        for level, ch in enumerate(channels):
            for _ in range(blocks):
                self.down.append(ResBlock(h, ch, tdim, groups))
                h = ch
                skips.append(h)
            if level < len(channels) - 1:
                self.down.append(nn.Conv2d(h, h, 3, stride=2, padding=1))
                skips.append(h)
        self.mid = nn.ModuleList([ResBlock(h, h, tdim, groups), ResBlock(h, h, tdim, groups)])
        self.up = nn.ModuleList()
        for level in range(len(channels) - 1, -1, -1):
            for _ in range(blocks + 1):
                s = skips.pop()
                self.up.append(ResBlock(h + s, channels[level], tdim, groups))
                h = channels[level]
            if level > 0:
                self.up.append(nn.Conv2d(h, h, 3, padding=1))
        self.out_norm = nn.GroupNorm(groups, h, eps=1e-5)
        self.out = nn.Conv2d(h, image[0], 3, padding=1)

    def forward(self, x, t):
        arg = t[:, None] * self.freqs[None, :]
        temb = F.silu(self.dense1(F.silu(self.dense0(torch.cat([torch.sin(arg), torch.cos(arg)], 1)))))
        h = self.inp(x)
        skips = [h]
        for m in self.down:
            h = m(h, temb) if isinstance(m, ResBlock) else m(h)
            skips.append(h)
        for m in self.mid:
            h = m(h, temb)
        for m in self.up:
            if isinstance(m, ResBlock):
                h = m(torch.cat([h, skips.pop()], 1), temb)
            else:
                h = m(F.interpolate(h, scale_factor=2, mode='nearest'))
        return self.out(F.silu(self.out_norm(h)))


def main():
    ap = argparse.ArgumentParser()
    torch_threads.add_arguments(ap)
    ap.add_argument('--batch', type=int, default=64)
    ap.add_argument('--channels', default='32,64')
    ap.add_argument('--blocks', type=int, default=1)
    ap.add_argument('--groups', type=int, default=8)
    ap.add_argument('--seconds', type=float, default=4)
    a = ap.parse_args()
    pools = torch_threads.apply(a)
    print(json.dumps({'torch': torch.__version__, **pools, 'blas': torch_threads.blas_in_use()}), flush=True)
    torch.manual_seed(0)
    n = a.batch
    model = Unet((1, 28, 28), [int(c) for c in a.channels.split(',')], a.blocks, a.groups, 64, 1000.0)
    params = list(model.parameters())
    ema = [p.detach().clone() for p in params]
    opt = torch.optim.Adam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8)
    gen = torch.Generator().manual_seed(2)
    batches = [(torch.randn(n, 1, 28, 28, generator=gen), torch.rand(n, generator=gen), torch.randn(n, 1, 28, 28, generator=gen)) for _ in range(4)]
    weight = torch.ones(n)

    def step(k):
        xt, t, target = batches[k % 4]
        opt.zero_grad(set_to_none=True)
        loss = (weight * ((model(xt, t) - target) ** 2).flatten(1).mean(1)).mean()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        with torch.no_grad():
            for e, p in zip(ema, params):
                e.mul_(0.999).add_(p, alpha=0.001)

    for k in range(2):
        step(k)
    start = time.perf_counter()
    k = 0
    while k < 2 or time.perf_counter() - start < a.seconds:
        step(k)
        k += 1
    rate = k / (time.perf_counter() - start)
    times = []
    with torch.inference_mode():
        model(batches[0][0], batches[0][1])
        for i in range(3):
            t0 = time.perf_counter()
            model(batches[i][0], batches[i][1])
            times.append(1000 * (time.perf_counter() - t0))
    print(json.dumps({'steps_per_s': rate, 'forward_ms': sorted(times)[1], 'parameters': sum(p.numel() for p in params)}), flush=True)


if __name__ == '__main__':
    main()
