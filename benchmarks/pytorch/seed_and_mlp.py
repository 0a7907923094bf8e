#!/usr/bin/env python3
"""Times in PyTorch what benchmarks/SeedBenchmark and MlpBenchmark time in Java, for a side-by-side
comparison on one machine. Not part of CI; needs PyTorch (Debian: apt-get install python3-torch).

    python3 benchmarks/pytorch/seed_and_mlp.py            # one thread, as the JMH runs use
    python3 benchmarks/pytorch/seed_and_mlp.py --threads 2

Prints the median and the fastest time per call of:
  seed, n = 10 and 10^6:  loss = ((a + b) * b).sum(), gradient with respect to a and b
      eager autograd (loss.backward()), and the gradient written by hand (da = b, db = a + 2b);
  MLP, batch 32 64-32-10 and batch 256 784-512-10 (relu, log-softmax cross-entropy, as
      examples/Mlp.java): eager autograd, and backpropagation written by hand;
all in float64, as the Java benchmarks.
"""
import argparse
import statistics
import time

import torch


def timed(f, seconds=2.0, warmup=0.5):
    """Median and fastest seconds per call of f, over batches of calls lasting about 10 ms."""
    end = time.perf_counter() + warmup
    while time.perf_counter() < end:
        f()
    calls = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(calls):
            f()
        if time.perf_counter() - t0 > 0.01:
            break
        calls *= 2
    samples = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        t0 = time.perf_counter()
        for _ in range(calls):
            f()
        samples.append((time.perf_counter() - t0) / calls)
    return statistics.median(samples), min(samples)


def seed(n):
    g = torch.Generator().manual_seed(7)
    a0 = torch.rand(n, dtype=torch.float64, generator=g)
    b0 = torch.rand(n, dtype=torch.float64, generator=g)

    def autograd():
        a = a0.clone().requires_grad_()
        b = b0.clone().requires_grad_()
        loss = ((a + b) * b).sum()
        loss.backward()
        return loss, a.grad, b.grad

    def by_hand():
        t = a0 + b0
        loss = (t * b0).sum()
        return loss, b0.clone(), t + b0

    la, da, db = autograd()
    lh, ha, hb = by_hand()
    assert torch.allclose(la, lh) and torch.allclose(da, ha) and torch.allclose(db, hb)
    return {"eager autograd": timed(autograd), "by hand": timed(by_hand)}


def mlp(n, d, h, k):
    g = torch.Generator().manual_seed(7)
    x = torch.rand(n, d, dtype=torch.float64, generator=g)
    labels = torch.zeros(n, k, dtype=torch.float64)
    for i in range(n):
        labels[i, (i * 7) % k] = 1.0
    w1_0 = torch.randn(d, h, dtype=torch.float64, generator=g) * (2.0 / d) ** 0.5
    b1_0 = torch.zeros(h, dtype=torch.float64)
    w2_0 = torch.randn(h, k, dtype=torch.float64, generator=g) * (1.0 / h) ** 0.5
    b2_0 = torch.zeros(k, dtype=torch.float64)

    def autograd():
        w1, b1, w2, b2 = (p.clone().requires_grad_() for p in (w1_0, b1_0, w2_0, b2_0))
        logits = torch.relu(x @ w1 + b1) @ w2 + b2
        loss = -(torch.log_softmax(logits, 1) * labels).sum(1).mean()
        loss.backward()
        return loss, w1.grad, b1.grad, w2.grad, b2.grad

    def by_hand():
        z1 = torch.addmm(b1_0, x, w1_0)
        hidden = torch.relu(z1)
        logits = torch.addmm(b2_0, hidden, w2_0)
        log_p = torch.log_softmax(logits, 1)
        loss = -(log_p * labels).sum() / n
        d_logits = (log_p.exp() - labels) / n
        dw2 = hidden.t() @ d_logits
        db2 = d_logits.sum(0)
        dz1 = (d_logits @ w2_0.t()) * (z1 > 0)
        dw1 = x.t() @ dz1
        db1 = dz1.sum(0)
        return loss, dw1, db1, dw2, db2

    for p, q in zip(autograd(), by_hand()):
        assert torch.allclose(p, q, rtol=1e-9, atol=1e-12)
    return {"eager autograd": timed(autograd), "by hand": timed(by_hand)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} thread(s), float64; median (fastest) per call")
    cases = [("seed, n = 10", lambda: seed(10)), ("seed, n = 10^6", lambda: seed(1_000_000)),
             ("MLP 32x64x32x10", lambda: mlp(32, 64, 32, 10)), ("MLP 256x784x512x10", lambda: mlp(256, 784, 512, 10))]
    for name, run in cases:
        for how, (median, fastest) in run().items():
            print(f"  {name:20s} {how:15s} {median * 1e6:12.2f} us ({fastest * 1e6:.2f})")


if __name__ == "__main__":
    main()
