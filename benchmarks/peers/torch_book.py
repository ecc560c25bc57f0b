#!/usr/bin/python3
"""PyTorch as a peer of Cornu's benchmark suite: the same workloads as `Bench` (Workloads.java,
RnnWorkloads.java, ConvnetEpochCompare.java, PredictBenchmark.java, TransformerWorkload.java),
with the same layer sizes, activations, losses, optimizer, batch sizes and data shapes, timed
the way JMH times Cornu's (single-shot epochs after warm-up epochs; predict as a mean over timed
seconds). Prints one JSON object per line:

  {"peer": "torch", "workload": "sgemm", "unit": "GFLOP/s", "value": ...}
  {"peer": "torch", "workload": "mlp", "unit": "s/epoch", "value": <mean>, "runs": [...], "samples": 60000}
  {"peer": "torch", "workload": "predict_latency", "input": "digit", "unit": "us", "value": ...}

Units are those Bench reads: seconds per benchmark epoch (Bench scales convnet to 60000 images
and turns imdb_lstm and transformer into samples/s, as it does for Cornu), microseconds per
one-sample predict, GFLOP/s for sgemm 1024^3 (torch.mm, best of 5 rounds of 5).

Models (Keras semantics; weight initializers differ, which does not change timings):
- losses on logits (CrossEntropyLoss, BCEWithLogitsLoss), as Keras fuses softmax/sigmoid and
  crossentropy; MSELoss for mse.
- RMSprop(lr 1e-3, alpha 0.9 = Keras's rho, eps 1e-7); torch adds eps outside the square root,
  Keras inside: the same work per step.
- data: MNIST from $CORNU_DATASETS/mnist.npz (mlp: all 60000; convnet: the first 3200, NCHW,
  PyTorch's native layout; predict: the first test image); the other workloads use synthetic
  data of Cornu's shapes and densities (multi-hot 1.2% ones, uniform ints), as Cornu's suite
  does; a new permutation of the samples every epoch, as Keras's fit shuffles.
- transformer: the book's (DLwP 2nd ed., 11.4) Transformer encoder written out by hand, since
  nn.TransformerEncoderLayer ties the head size to embed_dim / num_heads (128) where the book's
  MultiHeadAttention(num_heads=2, key_dim=embed_dim) uses 256 per head, and it adds dropout 0.1
  inside; "transformer_nn" times nn.TransformerEncoderLayer(256, 2, dim_feedforward=32,
  dropout=0, layer_norm_eps=1e-3) for reference.

Usage: torch_book.py [--threads N] [--quick] [--only mlp,reuters,...] [--datasets DIR]
"""
import argparse
import json
import math
import os
import sys
import time


def _threads_from_argv(argv):
    for i, a in enumerate(argv):
        if a == "--threads" and i + 1 < len(argv):
            return argv[i + 1]
        if a.startswith("--threads="):
            return a.split("=", 1)[1]
    return "1"


# Debian's python3-torch does its gemms in the system BLAS (libblas.so.3: OpenBLAS when
# libopenblas0 is installed, else the slow reference BLAS); OpenBLAS takes its thread count
# from the environment, read when the library loads, so it is set before numpy and torch load.
for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
    os.environ[_v] = _threads_from_argv(sys.argv)

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

ALL = ["mlp", "reuters", "imdb_dense", "boston_b1", "convnet", "lstm_ts", "imdb_lstm", "transformer", "predict_latency"]
CONVNET_SAMPLES = 3200          # ConvnetEpochCompare.BENCH_SAMPLES
TRANSFORMER_SAMPLES = 320       # TransformerWorkload.SAMPLES
TRANSFORMER_LENGTH = 200


def emit(**kw):
    kw = {"peer": "torch", **kw}
    print(json.dumps(kw), flush=True)


def rmsprop(model):
    return torch.optim.RMSprop(model.parameters(), lr=1e-3, alpha=0.9, eps=1e-7)


def mnist(datasets):
    if datasets is None:
        return None
    p = os.path.join(datasets, "mnist.npz")
    if not os.path.isfile(p):
        return None
    with np.load(p) as d:
        return d["x_train"], d["y_train"], d["x_test"], d["y_test"]


class Trainer:
    """One Keras-style epoch: shuffled mini-batches (a short last batch), forward, loss, backward, step."""

    def __init__(self, model, loss, x, y, batch):
        self.model, self.loss, self.x, self.y, self.batch = model, loss, x, y, batch
        self.opt = rmsprop(model)
        self.gen = torch.Generator().manual_seed(1)

    def epoch(self):
        self.model.train()
        n = self.x.shape[0]
        perm = torch.randperm(n, generator=self.gen)
        for s in range(0, n, self.batch):
            idx = perm[s:s + self.batch]
            xb, yb = self.x[idx], self.y[idx]
            self.opt.zero_grad(set_to_none=True)
            self.loss(self.model(xb), yb).backward()
            self.opt.step()


def dense_model(sizes, acts):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if acts[i] == "relu":
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)   # the last activation lives in the loss (logits)


def multi_hot(rng, n, d, density):
    return torch.from_numpy((rng.random((n, d)) < density).astype(np.float32))


def workload(name, data_mnist):
    """(epoch function, samples per epoch) for a training workload."""
    torch.manual_seed(1)
    rng = np.random.default_rng(7)
    if name == "mlp":
        if data_mnist is not None:
            x = torch.from_numpy(data_mnist[0].reshape(60000, 784).astype(np.float32) / 255)
            y = torch.from_numpy(data_mnist[1].astype(np.int64))
        else:
            x = torch.from_numpy(rng.standard_normal((60000, 784), dtype=np.float32))
            y = torch.from_numpy(rng.integers(0, 10, 60000))
        t = Trainer(dense_model([784, 512, 10], ["relu", "softmax"]), nn.CrossEntropyLoss(), x, y, 128)
        return t.epoch, 60000
    if name == "reuters":
        x = multi_hot(rng, 7982, 10000, 0.012)
        y = torch.from_numpy(rng.integers(0, 46, 7982))
        t = Trainer(dense_model([10000, 64, 64, 46], ["relu", "relu", "softmax"]), nn.CrossEntropyLoss(), x, y, 512)
        return t.epoch, 7982
    if name == "imdb_dense":
        x = multi_hot(rng, 15000, 10000, 0.012)
        y = torch.from_numpy(rng.integers(0, 2, (15000, 1)).astype(np.float32))
        t = Trainer(dense_model([10000, 16, 16, 1], ["relu", "relu", "sigmoid"]), nn.BCEWithLogitsLoss(), x, y, 512)
        return t.epoch, 15000
    if name == "boston_b1":
        x = torch.from_numpy(rng.standard_normal((303, 13), dtype=np.float32))
        y = torch.from_numpy((rng.random((303, 1)) * 40).astype(np.float32))
        t = Trainer(dense_model([13, 64, 64, 1], ["relu", "relu", "linear"]), nn.MSELoss(), x, y, 1)
        return t.epoch, 303
    if name == "convnet":
        if data_mnist is None:
            return None, 0
        x = torch.from_numpy(data_mnist[0][:CONVNET_SAMPLES].reshape(-1, 1, 28, 28).astype(np.float32) / 255)
        y = torch.from_numpy(data_mnist[1][:CONVNET_SAMPLES].astype(np.int64))
        m = nn.Sequential(
            nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(64, 64, 3), nn.ReLU(), nn.Flatten(),
            nn.Linear(3 * 3 * 64, 64), nn.ReLU(), nn.Linear(64, 10))
        t = Trainer(m, nn.CrossEntropyLoss(), x, y, 64)
        return t.epoch, CONVNET_SAMPLES
    if name == "lstm_ts":
        x = torch.rand(11184, 1, 6)
        y = torch.rand(11184, 24)
        t = Trainer(LastLstm(6, 16, 24), nn.MSELoss(), x, y, 32)
        return t.epoch, 11184
    if name == "imdb_lstm":
        x = torch.from_numpy(rng.integers(0, 9999, (2560, 500)))
        y = torch.from_numpy(rng.integers(0, 2, (2560, 1)).astype(np.float32))
        t = Trainer(nn.Sequential(nn.Embedding(10000, 32), LastLstm(32, 32, 1)), nn.BCEWithLogitsLoss(), x, y, 128)
        return t.epoch, 2560
    if name in ("transformer", "transformer_nn"):
        x = torch.from_numpy(rng.integers(1, 20000, (TRANSFORMER_SAMPLES, TRANSFORMER_LENGTH)))
        y = torch.from_numpy(rng.integers(0, 2, (TRANSFORMER_SAMPLES, 1)).astype(np.float32))
        m = TextTransformer(20000, TRANSFORMER_LENGTH, 256, 32, 2, name == "transformer_nn")
        t = Trainer(m, nn.BCEWithLogitsLoss(), x, y, 32)
        return t.epoch, TRANSFORMER_SAMPLES
    raise ValueError("unknown workload " + name)


class LastLstm(nn.Module):
    """Keras's LSTM(units) (last output) followed by Dense(out)."""

    def __init__(self, features, units, out):
        super().__init__()
        self.lstm = nn.LSTM(features, units, batch_first=True)
        self.dense = nn.Linear(units, out)

    def forward(self, x):
        h, _ = self.lstm(x)
        return self.dense(h[:, -1])


class BookEncoder(nn.Module):
    """The book's TransformerEncoder: MultiHeadAttention(num_heads, key_dim=embed_dim) with the
    padding mask on the keys, x + attention -> LayerNorm, Dense(dense_dim, relu) -> Dense(embed_dim),
    residual -> LayerNorm (Keras's epsilon 1e-3), no dropout inside."""

    def __init__(self, embed_dim, dense_dim, num_heads):
        super().__init__()
        self.h, self.dk = num_heads, embed_dim
        self.q = nn.Linear(embed_dim, num_heads * embed_dim)
        self.k = nn.Linear(embed_dim, num_heads * embed_dim)
        self.v = nn.Linear(embed_dim, num_heads * embed_dim)
        self.o = nn.Linear(num_heads * embed_dim, embed_dim)
        self.ln1 = nn.LayerNorm(embed_dim, eps=1e-3)
        self.ln2 = nn.LayerNorm(embed_dim, eps=1e-3)
        self.d1 = nn.Linear(embed_dim, dense_dim)
        self.d2 = nn.Linear(dense_dim, embed_dim)

    def forward(self, x, pad):
        b, t, _ = x.shape
        q = self.q(x).view(b, t, self.h, self.dk).transpose(1, 2)     # (B, N, T, H)
        k = self.k(x).view(b, t, self.h, self.dk).transpose(1, 2)
        v = self.v(x).view(b, t, self.h, self.dk).transpose(1, 2)
        s = torch.matmul(q / math.sqrt(self.dk), k.transpose(-1, -2))  # (B, N, T, S)
        s = s.masked_fill(pad[:, None, None, :], -1e9)
        a = torch.matmul(torch.softmax(s, -1), v).transpose(1, 2).reshape(b, t, self.h * self.dk)
        y = self.ln1(x + self.o(a))
        return self.ln2(y + self.d2(F.relu(self.d1(y))))


class TextTransformer(nn.Module):
    """PositionalEmbedding(length, vocab, 256) -> encoder -> GlobalMaxPooling1D -> Dropout 0.5 -> Dense 1 (logit)."""

    def __init__(self, vocab, length, embed_dim, dense_dim, heads, library_layer):
        super().__init__()
        self.tok = nn.Embedding(vocab, embed_dim)
        self.pos = nn.Embedding(length, embed_dim)
        self.library_layer = library_layer
        if library_layer:
            self.enc = nn.TransformerEncoderLayer(embed_dim, heads, dim_feedforward=dense_dim, dropout=0.0,
                                                  layer_norm_eps=1e-3, batch_first=True)
        else:
            self.enc = BookEncoder(embed_dim, dense_dim, heads)
        self.drop = nn.Dropout(0.5)
        self.out = nn.Linear(embed_dim, 1)

    def forward(self, ids):
        pad = ids == 0
        x = self.tok(ids) + self.pos(torch.arange(ids.shape[1]))[None]
        x = self.enc(x, src_key_padding_mask=pad) if self.library_layer else self.enc(x, pad)
        return self.out(self.drop(x.max(dim=1).values))


def time_epochs(epoch, warmup, measure):
    for _ in range(warmup):
        epoch()
    runs = []
    for _ in range(measure):
        t = time.perf_counter()
        epoch()
        runs.append(time.perf_counter() - t)
    return runs


def iterations(name, quick):
    """Warm-up and measured epochs, as Bench gives JMH for Cornu."""
    if name == "boston_b1":
        return 30, 20
    if name == "lstm_ts":
        return 5, 3 if quick else 5
    if name in ("reuters", "imdb_dense"):
        return 20, 5
    return (1, 2) if quick else (1, 3)


def predict_latency(data_mnist, quick):
    torch.manual_seed(1)
    m = dense_model([784, 512, 10], ["relu", "softmax"])
    m.eval()
    if data_mnist is not None:
        digit = torch.from_numpy(data_mnist[2][0].reshape(1, 784).astype(np.float32) / 255)
    else:
        v = np.zeros((28, 28), np.float32)
        v[8:20, 9:22] = 0.5
        digit = torch.from_numpy(v.reshape(1, 784))
    warm, meas = (2, 3) if quick else (3, 5)
    for label, x in (("digit", digit), ("noise", torch.rand(1, 784))):
        means = []
        with torch.inference_mode():
            for it in range(warm + meas):
                n, t0 = 0, time.perf_counter()
                while time.perf_counter() - t0 < 1.0:
                    for _ in range(100):
                        torch.softmax(m(x), -1)   # Keras's predict returns probabilities
                    n += 100
                if it >= warm:
                    means.append((time.perf_counter() - t0) / n * 1e6)
        emit(workload="predict_latency", input=label, unit="us", value=sum(means) / len(means), runs=means)


def blas_library():
    """The BLAS library this process loaded (from /proc/self/maps), or "unknown"."""
    try:
        with open("/proc/self/maps") as f:
            libs = sorted({line.split()[-1] for line in f if "blas" in line.lower() and "/" in line})
        return ", ".join(libs) if libs else "unknown"
    except OSError:
        return "unknown"


def sgemm():
    a, b = torch.rand(1024, 1024), torch.rand(1024, 1024)
    c = torch.empty(1024, 1024)
    for _ in range(3):
        torch.mm(a, b, out=c)
    best = 0.0
    for _ in range(5):
        t = time.perf_counter()
        for _ in range(5):
            torch.mm(a, b, out=c)
        best = max(best, 5 * 2.0 * 1024 ** 3 / (time.perf_counter() - t))
    return best / 1e9


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--threads", type=int, default=1, help="torch.set_num_threads (default 1)")
    p.add_argument("--quick", action="store_true", help="Bench's --quick iteration counts")
    p.add_argument("--only", default=",".join(ALL), help="comma-separated workloads (also transformer_nn)")
    p.add_argument("--datasets", default=os.environ.get("CORNU_DATASETS"), help="folder with mnist.npz")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass
    only = [w for w in a.only.split(",") if w]
    for w in only:
        if w not in ALL and w != "transformer_nn":
            p.error("unknown workload '%s'; known: %s, transformer_nn" % (w, ", ".join(ALL)))
    emit(workload="info", torch=torch.__version__, threads=torch.get_num_threads(), numpy=np.__version__,
         blas=blas_library())
    emit(workload="sgemm", unit="GFLOP/s", value=sgemm())
    data = mnist(a.datasets)
    for w in only:
        if w == "predict_latency":
            predict_latency(data, a.quick)
            continue
        epoch, samples = workload(w, data)
        if epoch is None:
            emit(workload=w, skipped="needs mnist.npz in --datasets / $CORNU_DATASETS")
            continue
        warm, meas = iterations(w, a.quick)
        runs = time_epochs(epoch, warm, meas)
        emit(workload=w, unit="s/epoch", value=sum(runs) / len(runs), runs=runs, samples=samples)


if __name__ == "__main__":
    sys.exit(main())
