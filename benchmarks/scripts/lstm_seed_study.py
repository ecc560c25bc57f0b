#!/usr/bin/python3
"""The PyTorch side of LstmSeedStudy: Embedding(10000, 32) -> LSTM(32) -> Dense(1, sigmoid) as Keras 3
builds and trains it, on the data file LstmSeedStudy writes (Reuters "earn" vs "acq", padded to 200).

Mirrors Keras exactly where it matters for the comparison:
- initialization: Embedding RandomUniform(-0.05, 0.05); LSTM kernel glorot_uniform over (32, 128),
  recurrent kernel Keras's orthogonal (QR of a (128, 32) normal, signs from diag(R), transposed),
  bias zeros with the forget gate's set to 1 (unit_forget_bias); Dense glorot_uniform, zero bias.
  Keras's gate order (i, f, c, o) is PyTorch's (i, f, g, o); PyTorch's second bias is kept at zero.
- RMSprop as Keras 3: v = rho v + (1 - rho) g^2; w -= lr g / sqrt(v + eps), rho 0.9, eps 1e-7.
- binary crossentropy on the logit (Keras fuses sigmoid + crossentropy the same way).
- fit: the last 20% of the training data held out before shuffling, a new permutation of the rest
  every epoch, batch 128 with a short last batch; loss and accuracy per epoch are sample-weighted
  means over the batches (Keras's trackers), the validation ones on the model after the epoch.

Usage: lstm_seed_study.py DATA_FILE [--seeds 0-9] [--epochs 10]; prints the CSV lines LstmSeedStudy prints.
"""
import sys

import numpy as np
import torch
import torch.nn as nn

torch.set_num_threads(1)


def load(path):
    a = np.fromfile(path, dtype="<i4")
    n_train, n_test, maxlen = a[:3]
    o = 3
    x_train = a[o:o + n_train * maxlen].reshape(n_train, maxlen); o += n_train * maxlen
    y_train = a[o:o + n_train]; o += n_train
    x_test = a[o:o + n_test * maxlen].reshape(n_test, maxlen); o += n_test * maxlen
    y_test = a[o:o + n_test]
    return x_train, y_train, x_test, y_test, int(maxlen)


def glorot_uniform(shape, gen):
    fan_in, fan_out = shape
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return (torch.rand(shape, generator=gen, dtype=torch.float64) * 2 - 1) * limit


def orthogonal(shape, gen):
    rows, cols = shape
    a = torch.randn((max(rows, cols), min(rows, cols)), generator=gen, dtype=torch.float64)
    q, r = torch.linalg.qr(a)
    q = q * torch.sign(torch.diagonal(r))
    if rows < cols:
        q = q.T
    return q


class Net(nn.Module):
    def __init__(self, gen, words=10000, dim=32, units=32):
        super().__init__()
        self.emb = nn.Embedding(words, dim)
        self.lstm = nn.LSTM(dim, units, batch_first=True)
        self.dense = nn.Linear(units, 1)
        with torch.no_grad():
            self.emb.weight.copy_((torch.rand((words, dim), generator=gen, dtype=torch.float64) * 0.1 - 0.05).float())
            kernel = glorot_uniform((dim, 4 * units), gen)          # Keras (input, 4 units)
            recurrent = orthogonal((units, 4 * units), gen)         # Keras (units, 4 units)
            self.lstm.weight_ih_l0.copy_(kernel.T.float())
            self.lstm.weight_hh_l0.copy_(recurrent.T.float())
            bias = torch.zeros(4 * units)
            bias[units:2 * units] = 1.0
            self.lstm.bias_ih_l0.copy_(bias)
            self.lstm.bias_hh_l0.zero_()
            self.dense.weight.copy_(glorot_uniform((units, 1), gen).T.float())
            self.dense.bias.zero_()

    def forward(self, x):
        _, (h, _) = self.lstm(self.emb(x))
        return self.dense(h[-1]).squeeze(1)      # the logit


class KerasRMSprop(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-3, rho=0.9, eps=1e-7):
        super().__init__(params, dict(lr=lr, rho=rho, eps=eps))

    @torch.no_grad()
    def step(self):
        for g in self.param_groups:
            for p in g["params"]:
                if p.grad is None:
                    continue
                st = self.state[p]
                if "v" not in st:
                    st["v"] = torch.zeros_like(p)
                v = st["v"]
                v.mul_(g["rho"]).addcmul_(p.grad, p.grad, value=1 - g["rho"])
                p.sub_(g["lr"] * p.grad / torch.sqrt(v + g["eps"]))


def evaluate(model, x, y, batch=128):
    model.eval()
    loss_sum, hits = 0.0, 0
    with torch.no_grad():
        for i in range(0, len(x), batch):
            z = model(x[i:i + batch])
            t = y[i:i + batch]
            loss_sum += nn.functional.binary_cross_entropy_with_logits(z, t, reduction="sum").item()
            hits += ((z > 0).float() == t).sum().item()
    return loss_sum / len(x), hits / len(x)


def main():
    path = sys.argv[1]
    seeds, epochs = (0, 9), 10
    args = sys.argv[2:]
    for i in range(0, len(args), 2):
        if args[i] == "--seeds":
            p = args[i + 1].split("-")
            seeds = (int(p[0]), int(p[-1]))
        elif args[i] == "--epochs":
            epochs = int(args[i + 1])
        else:
            raise SystemExit("unknown option " + args[i])
    x_train, y_train, x_test, y_test, _ = load(path)
    split = int(len(x_train) * (1 - 0.2))   # Keras: the last 20% before shuffling
    xt = torch.from_numpy(x_train[:split].astype(np.int64)); yt = torch.from_numpy(y_train[:split].astype(np.float32))
    xv = torch.from_numpy(x_train[split:].astype(np.int64)); yv = torch.from_numpy(y_train[split:].astype(np.float32))
    xs = torch.from_numpy(x_test.astype(np.int64)); ys = torch.from_numpy(y_test.astype(np.float32))
    for seed in range(seeds[0], seeds[1] + 1):
        gen = torch.Generator().manual_seed(seed)
        model = Net(gen)
        opt = KerasRMSprop(model.parameters())
        for epoch in range(1, epochs + 1):
            model.train()
            perm = torch.randperm(len(xt), generator=gen)
            loss_sum, hits = 0.0, 0
            for i in range(0, len(xt), 128):
                idx = perm[i:i + 128]
                z = model(xt[idx])
                loss = nn.functional.binary_cross_entropy_with_logits(z, yt[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                loss_sum += loss.item() * len(idx)
                hits += ((z.detach() > 0).float() == yt[idx]).sum().item()
            vl, va = evaluate(model, xv, yv)
            print("pytorch,%d,%d,%.5f,%.5f,%.5f,%.5f" % (seed, epoch, loss_sum / len(xt), hits / len(xt), vl, va), flush=True)
        tl, ta = evaluate(model, xs, ys)
        print("pytorch,%d,test,%.5f,%.5f" % (seed, tl, ta), flush=True)


if __name__ == "__main__":
    main()
