#!/usr/bin/env python3
"""Summarizes the CSV lines of LstmSeedStudy and lstm_seed_study.py: per library/path, the final
test accuracy (mean, min, max, standard deviation over seeds) and per epoch the means and ranges of
loss, accuracy, val_loss and val_acc; then a permutation test of the difference of mean test
accuracy between each pair. Usage: lstm_seed_study_table.py FILE.csv [FILE.csv ...]"""
import itertools
import sys

import numpy as np

rows = [l.strip().split(",") for f in sys.argv[1:] for l in open(f) if l.strip() and not l.startswith("#")]
libs = sorted({r[0] for r in rows}, key=lambda s: ("pytorch" in s, s))
test = {lib: {int(r[1]): float(r[4]) for r in rows if r[0] == lib and r[2] == "test"} for lib in libs}
testloss = {lib: {int(r[1]): float(r[3]) for r in rows if r[0] == lib and r[2] == "test"} for lib in libs}
curves = {}
for lib in libs:
    seeds = sorted(test[lib])
    c = {}
    for r in rows:
        if r[0] == lib and r[2] != "test" and int(r[1]) in test[lib]:
            c.setdefault(int(r[2]), []).append([float(v) for v in r[3:7]])
    curves[lib] = {e: np.array(v) for e, v in sorted(c.items())}

print("| library / path | seeds | test accuracy mean | min | max | std | test loss mean |")
print("|---|---|---|---|---|---|---|")
for lib in libs:
    a = np.array(list(test[lib].values()))
    tl = np.array(list(testloss[lib].values()))
    print("| %s | %d | %.3f | %.3f | %.3f | %.3f | %.3f |" % (lib, len(a), a.mean(), a.min(), a.max(), a.std(ddof=1) if len(a) > 1 else 0, tl.mean()))
print()
names = ["loss", "acc", "val_loss", "val_acc"]
for k, name in enumerate(names):
    print("%s per epoch, mean [min-max]:" % name)
    print("| epoch | " + " | ".join(libs) + " |")
    print("|---|" + "---|" * len(libs))
    for e in sorted(curves[libs[0]]):
        cells = []
        for lib in libs:
            v = curves[lib].get(e)
            cells.append("%.3f [%.3f-%.3f]" % (v[:, k].mean(), v[:, k].min(), v[:, k].max()) if v is not None else "")
        print("| %d | %s |" % (e, " | ".join(cells)))
    print()
rng = np.random.default_rng(0)
for a, b in itertools.combinations(libs, 2):
    x, y = np.array(list(test[a].values())), np.array(list(test[b].values()))
    d = x.mean() - y.mean()
    pooled = np.concatenate([x, y])
    n = 20000
    hits = 0
    for _ in range(n):
        p = rng.permutation(pooled)
        if abs(p[:len(x)].mean() - p[len(x):].mean()) >= abs(d) - 1e-12:
            hits += 1
    print("%s - %s: mean test accuracy difference %+.4f, permutation p = %.3f" % (a, b, d, hits / n))
