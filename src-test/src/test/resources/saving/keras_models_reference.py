#!/usr/bin/env python3
"""Independent float64 numpy re-implementation of the six model files that real Keras wrote
(../shared/keras-models, README there), for KerasModelsInTheWildTest.

It reads each file's weights with h5py (the .keras archive's model.weights.h5, or a legacy .h5
file's model_weights group), runs the model's forward pass in numpy from Keras's formulas
(Conv2D as cross-correlation with 'valid'/'same' padding, 2x2 max pooling, Flatten, Dense,
LSTM with Keras's gate order i, f, c, o; Dropout is the identity at inference), and writes
keras_models_expected.json:

  - for the MNIST models: the softmax outputs on the first 16 MNIST test images (pixels / 255)
    and the accuracy over the whole MNIST test set, which matches the README's figures
    (sami0009 0.9947, sannmyatmin 0.9797, kimthangg 0.9909, ikukang 0.9908);
  - for the LSTM models: fixed inputs (x = sin(0.37 * k) over the flattened index k) and the
    outputs. k2_jiachengxing_lstm.h5 was written by Keras 2.2.0 with recurrent_activation
    hard_sigmoid, which Keras 2 computed as clip(0.2 x + 0.5, 0, 1); its expected output uses that.

Usage: python3 keras_models_reference.py KERAS_MODELS_DIR DATASETS_DIR [OUT_JSON]
(needs numpy and h5py: apt-get install python3-h5py)
"""
import io
import json
import os
import sys
import zipfile

import h5py
import numpy as np

MODELS = sys.argv[1]
DATASETS = sys.argv[2]
OUT = sys.argv[3] if len(sys.argv) > 3 else os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                          "keras_models_expected.json")


def snake(name):
    out = ""
    for i, ch in enumerate(name):
        if ch.isupper() and i > 0 and (not name[i - 1].isupper() or (i + 1 < len(name) and name[i + 1].islower())):
            out += "_"
        out += ch.lower()
    return out


def read_model(path):
    """(layer entries from the config, list of weight lists in layer order)."""
    if path.endswith(".keras"):
        z = zipfile.ZipFile(path)
        cfg = json.loads(z.read("config.json"))
        h5 = h5py.File(io.BytesIO(z.read("model.weights.h5")), "r")
        layers = [l for l in cfg["config"]["layers"] if l["class_name"] != "InputLayer"]
        used = {}
        weights = []
        for l in layers:
            base = snake(l["class_name"]).replace("conv2_d", "conv2d").replace("pooling2_d", "pooling2d")
            n = used.get(base)
            used[base] = 0 if n is None else n + 1
            name = base if n is None else f"{base}_{n + 1}"
            g = h5["layers/" + name]
            vars_ = g["cell/vars"] if "cell" in g else g["vars"]
            weights.append([np.array(vars_[str(i)], dtype=np.float64) for i in range(len(vars_))])
        return layers, weights
    h5 = h5py.File(path, "r")
    cfg = json.loads(h5.attrs["model_config"])
    c = cfg["config"]
    layers = [l for l in (c if isinstance(c, list) else c["layers"]) if l["class_name"] != "InputLayer"]
    mw = h5["model_weights"]
    weights = []
    for l in layers:
        g = mw[l["config"]["name"]]
        names = [n.decode() if isinstance(n, bytes) else n for n in g.attrs.get("weight_names", [])]
        weights.append([np.array(g[n], dtype=np.float64) for n in names])
    return layers, weights


def act(name, x):
    if name == "linear":
        return x
    if name == "relu":
        return np.maximum(x, 0)
    if name == "tanh":
        return np.tanh(x)
    if name == "sigmoid":
        return 1 / (1 + np.exp(-x))
    if name == "hard_sigmoid_keras2":
        return np.clip(0.2 * x + 0.5, 0, 1)
    if name == "softmax":
        e = np.exp(x - x.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
    raise ValueError(name)


def conv2d(x, k, b, padding):
    kh, kw, cin, cout = k.shape
    if padding == "same":
        ph, pw = kh - 1, kw - 1
        x = np.pad(x, ((0, 0), (ph // 2, ph - ph // 2), (pw // 2, pw - pw // 2), (0, 0)))
    n, h, w, _ = x.shape
    oh, ow = h - kh + 1, w - kw + 1
    out = np.zeros((n, oh, ow, cout))
    for i in range(kh):
        for j in range(kw):
            out += np.tensordot(x[:, i:i + oh, j:j + ow, :], k[i, j], axes=([3], [0]))
    return out + b


def maxpool(x):
    n, h, w, c = x.shape
    h2, w2 = h // 2, w // 2
    return x[:, :h2 * 2, :w2 * 2, :].reshape(n, h2, 2, w2, 2, c).max(axis=(2, 4))


def lstm(x, k, rk, b, units, activation, rec_activation, return_sequences):
    n, t, _ = x.shape
    h = np.zeros((n, units))
    c = np.zeros((n, units))
    seq = []
    for s in range(t):
        z = x[:, s, :] @ k + h @ rk + b
        i = act(rec_activation, z[:, :units])
        f = act(rec_activation, z[:, units:2 * units])
        g = act(activation, z[:, 2 * units:3 * units])
        o = act(rec_activation, z[:, 3 * units:])
        c = f * c + i * g
        h = o * act(activation, c)
        seq.append(h)
    return np.stack(seq, axis=1) if return_sequences else h


def forward(layers, weights, x, keras2):
    for l, w in zip(layers, weights):
        c = l["config"]
        cls = l["class_name"]
        a = c.get("activation")
        if cls == "Conv2D":
            x = act(a, conv2d(x, w[0], w[1], c["padding"]))
        elif cls == "MaxPooling2D":
            x = maxpool(x)
        elif cls == "Flatten":
            x = x.reshape(x.shape[0], -1)
        elif cls == "Dense":
            x = act(a, x @ w[0] + w[1])
        elif cls == "Dropout":
            pass
        elif cls == "LSTM":
            ra = c["recurrent_activation"]
            if keras2 and ra == "hard_sigmoid":
                ra = "hard_sigmoid_keras2"
            x = lstm(x, w[0], w[1], w[2], c["units"], a, ra, c["return_sequences"])
        else:
            raise ValueError(cls)
    return x


mnist = np.load(os.path.join(DATASETS, "mnist.npz"))
x_test = mnist["x_test"].astype(np.float64) / 255.0
y_test = mnist["y_test"]

expected = {}
for name, flat in (("k3_sami0009_mnist.keras", False), ("k3_sannmyatmin_mnist.keras", True),
                   ("k3h5_kimthangg_mnist.h5", False), ("k2_ikukang_mnist_cnn.h5", False)):
    layers, weights = read_model(os.path.join(MODELS, name))
    xs = x_test.reshape(-1, 784) if flat else x_test.reshape(-1, 28, 28, 1)
    correct = 0
    for s in range(0, len(xs), 500):
        correct += int((forward(layers, weights, xs[s:s + 500], False).argmax(1) == y_test[s:s + 500]).sum())
    expected[name] = {"first16": forward(layers, weights, xs[:16], False).tolist(), "accuracy": correct / len(xs)}
    print(name, "accuracy", correct / len(xs))

for name, shape in (("k3_komei_lstm.keras", (3, 12, 24)), ("k2_jiachengxing_lstm.h5", (4, 2, 8))):
    layers, weights = read_model(os.path.join(MODELS, name))
    x = np.sin(0.37 * np.arange(np.prod(shape))).reshape(shape)
    y = forward(layers, weights, x, name.startswith("k2_"))
    expected[name] = {"x_shape": list(shape), "y": y.tolist()}
    print(name, "output", y.shape)

with open(OUT, "w") as f:
    json.dump(expected, f, indent=1)
