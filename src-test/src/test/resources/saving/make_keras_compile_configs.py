#!/usr/bin/env python3
"""Writes keras_compile_configs.json: the compile_config that real Keras writes into a .keras
file's config.json for the compile calls below, one entry per call, for CompileConfigTest.

The checked-in file was written by Keras 3.15.1 with the JAX backend (any backend writes the
same compile configs, except that jit_compile is false on the PyTorch backend and on CPU-only
TensorFlow). It needs keras and a backend, which the build machines do not have, so the JSON is
checked in and this script is only how it was made.

Usage: KERAS_BACKEND=jax python3 make_keras_compile_configs.py [output.json]
"""
import json
import os
import sys
import tempfile
import zipfile

import keras
from keras import layers, losses, metrics, optimizers
from keras.optimizers import schedules

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                          "keras_compile_configs.json")
TMP = tempfile.mkdtemp()


def compile_config(model, name):
    path = os.path.join(TMP, name + ".keras")
    model.save(path)
    return json.loads(zipfile.ZipFile(path).read("config.json")).get("compile_config")


def sequential():
    return keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="softmax")])


def two_outputs():
    inp = keras.Input((4,), name="in")
    return keras.Model(inp, [layers.Dense(2, name="reg")(inp), layers.Dense(3, activation="softmax", name="cls")(inp)])


out = {"keras_version": keras.__version__}

m = sequential()
m.compile(optimizer=optimizers.Adam(learning_rate=schedules.ExponentialDecay(0.01, 10, 0.5, staircase=True)),
          loss=losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1),
          metrics=["accuracy", "acc", metrics.BinaryAccuracy(name="bin", threshold=0.7),
                   metrics.TopKCategoricalAccuracy(k=2), metrics.Precision(thresholds=0.4),
                   metrics.AUC(num_thresholds=50, curve="PR"), "mae",
                   metrics.CategoricalCrossentropy(label_smoothing=0.2), metrics.categorical_accuracy])
out["objects"] = compile_config(m, "objects")

m = sequential()
m.compile(optimizer="sgd", loss=losses.Huber(delta=5.0, reduction="sum"),
          metrics=[metrics.SparseTopKCategoricalAccuracy(k=3), metrics.RootMeanSquaredError()])
out["huber"] = compile_config(m, "huber")

m = sequential()
m.compile(optimizer=optimizers.SGD(learning_rate=schedules.PolynomialDecay(0.1, 100, 0.001, power=2.0),
                                   momentum=0.9, nesterov=True),
          loss=losses.categorical_crossentropy, metrics=[metrics.binary_accuracy])
out["functions"] = compile_config(m, "functions")

m = sequential()
m.compile(optimizer=optimizers.RMSprop(learning_rate=schedules.CosineDecay(0.01, 20, alpha=0.1, warmup_target=0.1,
                                                                           warmup_steps=5)),
          loss=losses.SparseCategoricalCrossentropy(from_logits=True), weighted_metrics=["accuracy"])
out["cosine_weighted"] = compile_config(m, "cosine_weighted")

m = two_outputs()
m.compile(optimizer=optimizers.Adam(learning_rate=schedules.PiecewiseConstantDecay([10, 20], [0.1, 0.01, 0.001])),
          loss={"reg": losses.Huber(delta=2.0), "cls": "categorical_crossentropy"},
          loss_weights={"reg": 2.0, "cls": 0.25}, metrics={"cls": ["accuracy"], "reg": "mae"})
out["multi_dict"] = compile_config(m, "multi_dict")

m = two_outputs()
m.compile(optimizer=optimizers.Adam(learning_rate=schedules.InverseTimeDecay(0.1, 1.0, 0.5)),
          loss=["mse", losses.CategoricalCrossentropy(axis=-1)], loss_weights=[1.0, 0.5],
          metrics=["mae", ["accuracy", "mse"]])
out["multi_list"] = compile_config(m, "multi_list")

m = sequential()
m.compile(optimizer=None, loss=None)
out["none"] = compile_config(m, "none")

out["uncompiled"] = compile_config(sequential(), "uncompiled")

with open(OUT, "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
