#!/usr/bin/env python3
"""Writes the Keras-format fixtures the saving tests load, to Keras 3's and Keras 2's specification.

Keras itself cannot be installed on the build machines, so this script writes, with h5py, json
and zipfile only, exactly the structure Keras writes (read from keras/src/saving/saving_lib.py,
serialization_lib.py, models/sequential.py and models/functional.py get_config, and
legacy/saving/legacy_h5_format.py):

  keras3_sequential.keras   Sequential([Input((4,)), Dense(3, "relu"), Dense(2, "softmax")]) compiled
                            with Adam(0.01), categorical_crossentropy, ["accuracy"], after 3 updates:
                            metadata.json, config.json, model.weights.h5 with layers/dense/vars/{0,1},
                            layers/dense_1/vars/{0,1}, optimizer/vars/{0..9} (iterations, learning_rate,
                            then m0, v0, m1, v1, ... for the 4 weights) and the empty root group "vars".
  keras3_functional.keras   Functional: inputs "a" (3,) and "b" (2,) -> Concatenate -> Dense(2, "tanh"),
                            uncompiled; layers/input_layer, layers/input_layer_1, layers/concatenate hold
                            empty "vars" groups as Keras writes them.
  keras2_sequential.h5      Keras 2 (tf.keras 2.15) legacy HDF5: model_config / keras_version / backend
                            attributes, model_weights/<layer>/<layer>/kernel:0 with weight_names attributes.
  keras2_functional.h5      Keras 2 legacy HDF5 of a functional model (Input -> two Dense -> Add -> Dense),
                            with Keras 2's inbound_nodes format [[layer, node, tensor, kwargs], ...].
  expected.json             inputs and the outputs computed here with numpy in float64 from the same
                            float32 weights.

Weights come from a fixed numpy seed; the zip entries carry a fixed date, so running the script
again with the same h5py/HDF5 versions reproduces the same bytes.

Usage: python3 make_keras_fixtures.py [output_dir]   (needs numpy and h5py: apt-get install python3-h5py)
"""
import io
import json
import os
import sys
import zipfile

import h5py
import numpy as np

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
DATE = (2024, 1, 1, 0, 0, 0)
rng = np.random.default_rng(1234)


def f32(*shape):
    return rng.uniform(-1, 1, size=shape).astype(np.float32)


def policy():
    return {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": None}


def init(cls):
    return {"module": "keras.initializers", "class_name": cls, "config": {"seed": None} if cls != "Zeros" else {},
            "registered_name": None}


def dense_config(name, units, activation):
    return {"name": name, "trainable": True, "dtype": policy(), "units": units, "activation": activation,
            "use_bias": True, "kernel_initializer": init("GlorotUniform"), "bias_initializer": init("Zeros"),
            "kernel_regularizer": None, "bias_regularizer": None, "kernel_constraint": None, "bias_constraint": None}


def layer(cls, config, input_shape=None, module="keras.layers"):
    d = {"module": module, "class_name": cls, "config": config, "registered_name": None}
    if input_shape is not None:
        d["build_config"] = {"input_shape": input_shape}
    return d


def write_keras(path, config, h5_writer):
    bio = io.BytesIO()
    with h5py.File(bio, "w") as h5:
        h5_writer(h5)
    meta = {"keras_version": "3.6.0", "date_saved": "2024-01-01@00:00:00"}
    with zipfile.ZipFile(path, "w") as zf:  # ZIP_STORED, as Keras
        for name, data in (("metadata.json", json.dumps(meta).encode()),
                           ("config.json", json.dumps(config).encode()),
                           ("model.weights.h5", bio.getvalue())):
            zf.writestr(zipfile.ZipInfo(name, DATE), data)


def softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


# ---------------------------------------------------------------- Keras 3 Sequential
k1, b1, k2, b2 = f32(4, 3), f32(3), f32(3, 2), f32(2)
moments = [f32(4, 3) * 0.1, f32(3) * 0.1, f32(3, 2) * 0.1, f32(2) * 0.1]
velocities = [np.abs(m) * 0.01 for m in moments]
lr32 = float(np.float32(0.01))
seq_config = {
    "module": "keras", "class_name": "Sequential",
    "config": {"name": "sequential", "trainable": True, "dtype": policy(), "layers": [
        layer("InputLayer", {"batch_shape": [None, 4], "dtype": "float32", "sparse": False, "name": "input_layer"}),
        layer("Dense", dense_config("dense", 3, "relu"), [None, 4]),
        layer("Dense", dense_config("dense_1", 2, "softmax"), [None, 3]),
    ], "build_input_shape": [None, 4]},
    "registered_name": None, "build_config": {"input_shape": [None, 4]},
    "compile_config": {"optimizer": {"module": "keras.optimizers", "class_name": "Adam", "config": {
        "name": "adam", "learning_rate": lr32, "weight_decay": None, "clipnorm": None, "global_clipnorm": None,
        "clipvalue": None, "use_ema": False, "ema_momentum": 0.99, "ema_overwrite_frequency": None,
        "loss_scale_factor": None, "gradient_accumulation_steps": None, "beta_1": 0.9, "beta_2": 0.999,
        "epsilon": 1e-07, "amsgrad": False}, "registered_name": None},
        "loss": "categorical_crossentropy", "loss_weights": None, "metrics": ["accuracy"],
        "weighted_metrics": None, "run_eagerly": False, "steps_per_execution": 1, "jit_compile": False},
}


def seq_weights(h5):
    h5.create_group("vars")  # the model's own variables: none
    for name, vals in (("dense", (k1, b1)), ("dense_1", (k2, b2))):
        g = h5.create_group("layers/" + name).create_group("vars")
        for i, v in enumerate(vals):
            g[str(i)] = v
    o = h5.create_group("optimizer").create_group("vars")
    o["0"] = np.array(3, dtype=np.int64)
    o["1"] = np.array(0.01, dtype=np.float32)
    # Adam.build's order in every Keras 3 release: momentum and velocity weight by weight
    for i, v in enumerate([a for pair in zip(moments, velocities) for a in pair]):
        o[str(2 + i)] = v


write_keras(os.path.join(OUT, "keras3_sequential.keras"), seq_config, seq_weights)
x_seq = f32(5, 4)
y_seq = softmax(np.maximum(x_seq.astype(np.float64) @ k1 + b1, 0) @ k2 + b2)

# ---------------------------------------------------------------- Keras 3 Functional
kf, bf = f32(5, 2), f32(2)


def ktensor(shape, hist):
    return {"class_name": "__keras_tensor__", "config": {"shape": shape, "dtype": "float32", "keras_history": hist}}


fn_config = {
    "module": "keras", "class_name": "Functional",
    "config": {"name": "functional", "trainable": True, "layers": [
        dict(layer("InputLayer", {"batch_shape": [None, 3], "dtype": "float32", "sparse": False, "name": "a"}),
             name="a", inbound_nodes=[]),
        dict(layer("InputLayer", {"batch_shape": [None, 2], "dtype": "float32", "sparse": False, "name": "b"}),
             name="b", inbound_nodes=[]),
        dict(layer("Concatenate", {"name": "concatenate", "trainable": True, "dtype": policy(), "axis": -1},
                   [[None, 3], [None, 2]]), name="concatenate",
             inbound_nodes=[{"args": [[ktensor([None, 3], ["a", 0, 0]), ktensor([None, 2], ["b", 0, 0])]],
                             "kwargs": {}}]),
        dict(layer("Dense", dense_config("dense", 2, "tanh"), [None, 5]), name="dense",
             inbound_nodes=[{"args": [ktensor([None, 5], ["concatenate", 0, 0])], "kwargs": {}}]),
    ], "input_layers": [["a", 0, 0], ["b", 0, 0]], "output_layers": [["dense", 0, 0]]},
    "registered_name": "Functional", "build_config": {"input_shape": None}, "compile_config": None,
}


def fn_weights(h5):
    h5.create_group("vars")
    for name in ("input_layer", "input_layer_1", "concatenate"):
        h5.create_group("layers/" + name).create_group("vars")
    g = h5.create_group("layers/dense").create_group("vars")
    g["0"] = kf
    g["1"] = bf


write_keras(os.path.join(OUT, "keras3_functional.keras"), fn_config, fn_weights)
xa, xb = f32(4, 3), f32(4, 2)
y_fn = np.tanh(np.concatenate([xa, xb], axis=-1).astype(np.float64) @ kf + bf)

# ---------------------------------------------------------------- Keras 2 legacy .h5
k3, b3, k4, b4 = f32(4, 3), f32(3), f32(3, 1), f32(1)


def k2_init(cls):
    return {"class_name": cls, "config": {"seed": None} if cls != "Zeros" else {}}


def k2_dense(name, units, activation, batch_input_shape=None):
    c = {"name": name, "trainable": True, "dtype": "float32", "units": units, "activation": activation,
         "use_bias": True, "kernel_initializer": k2_init("GlorotUniform"), "bias_initializer": k2_init("Zeros"),
         "kernel_regularizer": None, "bias_regularizer": None, "activity_regularizer": None,
         "kernel_constraint": None, "bias_constraint": None}
    if batch_input_shape:
        c["batch_input_shape"] = batch_input_shape
    return {"class_name": "Dense", "config": c}


k2_config = {"class_name": "Sequential", "config": {"name": "sequential", "layers": [
    {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 4], "dtype": "float32", "sparse": False,
                                            "ragged": False, "name": "dense_input"}},
    k2_dense("dense", 3, "relu", [None, 4]),
    k2_dense("dense_1", 1, "sigmoid"),
]}, "keras_version": "2.15.0", "backend": "tensorflow"}

with h5py.File(os.path.join(OUT, "keras2_sequential.h5"), "w") as f:
    f.attrs["backend"] = "tensorflow"
    f.attrs["keras_version"] = "2.15.0"
    f.attrs["model_config"] = json.dumps(k2_config)
    mw = f.create_group("model_weights")
    mw.attrs["backend"] = "tensorflow"
    mw.attrs["keras_version"] = "2.15.0"
    mw.attrs["layer_names"] = np.array([b"dense", b"dense_1"])
    for name, vals in (("dense", (k3, b3)), ("dense_1", (k4, b4))):
        g = mw.create_group(name)
        names = [f"{name}/kernel:0".encode(), f"{name}/bias:0".encode()]
        g.attrs["weight_names"] = np.array(names)
        for n, v in zip(names, vals):
            g.create_dataset(n.decode(), data=v)
x_k2 = f32(3, 4)
y_k2 = 1 / (1 + np.exp(-(np.maximum(x_k2.astype(np.float64) @ k3 + b3, 0) @ k4 + b4)))

# ---------------------------------------------------------------- Keras 2 legacy functional .h5
ka, ba, kb, bb, kc, bc = f32(3, 2), f32(2), f32(3, 2), f32(2), f32(2, 1), f32(1)


def k2_layer(cls, name, config, inbound):
    return {"class_name": cls, "config": config, "name": name, "inbound_nodes": inbound}


def k2_plain_dense(name, units, activation):
    d = k2_dense(name, units, activation)["config"]
    return d


k2f_config = {"class_name": "Functional", "config": {"name": "model", "layers": [
    k2_layer("InputLayer", "input_1", {"batch_input_shape": [None, 3], "dtype": "float32", "sparse": False,
                                       "ragged": False, "name": "input_1"}, []),
    k2_layer("Dense", "dense_a", k2_plain_dense("dense_a", 2, "relu"), [[["input_1", 0, 0, {}]]]),
    k2_layer("Dense", "dense_b", k2_plain_dense("dense_b", 2, "linear"), [[["input_1", 0, 0, {}]]]),
    k2_layer("Add", "add", {"name": "add", "trainable": True, "dtype": "float32"},
             [[["dense_a", 0, 0, {}], ["dense_b", 0, 0, {}]]]),
    k2_layer("Dense", "out", k2_plain_dense("out", 1, "linear"), [[["add", 0, 0, {}]]]),
], "input_layers": [["input_1", 0, 0]], "output_layers": [["out", 0, 0]]},
    "keras_version": "2.15.0", "backend": "tensorflow"}

with h5py.File(os.path.join(OUT, "keras2_functional.h5"), "w") as f:
    f.attrs["backend"] = "tensorflow"
    f.attrs["keras_version"] = "2.15.0"
    f.attrs["model_config"] = json.dumps(k2f_config)
    mw = f.create_group("model_weights")
    mw.attrs["layer_names"] = np.array([b"input_1", b"dense_a", b"dense_b", b"add", b"out"])
    for name in ("input_1", "add"):
        mw.create_group(name).attrs["weight_names"] = np.array([], dtype="S1")
    for name, vals in (("dense_a", (ka, ba)), ("dense_b", (kb, bb)), ("out", (kc, bc))):
        g = mw.create_group(name)
        names = [f"{name}/kernel:0".encode(), f"{name}/bias:0".encode()]
        g.attrs["weight_names"] = np.array(names)
        for n, v in zip(names, vals):
            g.create_dataset(n.decode(), data=v)
x_k2f = f32(4, 3)
xd = x_k2f.astype(np.float64)
y_k2f = (np.maximum(xd @ ka + ba, 0) + (xd @ kb + bb)) @ kc + bc

expected = {
    "keras2_functional": {"x": x_k2f.tolist(), "y": y_k2f.tolist()},
    "keras3_sequential": {"x": x_seq.tolist(), "y": y_seq.tolist(),
                          "optimizer_vars": [m.tolist() for m in moments + velocities]},
    "keras3_functional": {"a": xa.tolist(), "b": xb.tolist(), "y": y_fn.tolist()},
    "keras2_sequential": {"x": x_k2.tolist(), "y": y_k2.tolist()},
}
with open(os.path.join(OUT, "expected.json"), "w") as f:
    json.dump(expected, f, indent=1)
