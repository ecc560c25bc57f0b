#!/usr/bin/env python3
"""Writes .keras files with real Keras (3.15.1 here) for RealKerasFilesTest.

Each model covers a group of Cornu's layers and one optimizer. It is trained 3 steps on a fixed
batch, then saved (weights and optimizer state), then trained 1 more step on the same batch.
keras315_expected.json holds, per file: the batch (x, y), the predictions of the saved model
on x, and every weight after the extra step. Cornu must load the file, predict the same, and,
after one train_on_batch on (x, y), hold the same weights: that only happens if it read the
optimizer's state in Keras's order and updates it as Keras does.

Keras is not installable from the build machines' registries; this was run in a virtualenv made
from wheels (python3 -m venv V && V/bin/pip install --no-index --find-links WHEELS keras jax
jaxlib h5py), with KERAS_BACKEND=jax:
    KERAS_BACKEND=jax V/bin/python make_keras315_files.py [out_dir]
The text model (text_files) also needs tensorflow_cpu in V (2.21.0 here), as Keras's TextVectorization does.
"""
import json
import os
import sys

import numpy as np

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402
from keras import layers  # noqa: E402

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20261207)


def f32(*shape):
    return rng.standard_normal(shape).astype(np.float32)


def onehot(n, k):
    y = np.zeros((n, k), np.float32)
    y[np.arange(n), rng.integers(0, k, n)] = 1
    return y


def seq_models():
    keras.utils.set_random_seed(1)
    out = {}

    # a convnet: Conv2D (valid, same, strides), BatchNormalization, pooling, Dropout, Flatten; Adam
    m = keras.Sequential([
        keras.Input((8, 8, 2)),
        layers.Rescaling(0.5, offset=0.1),
        layers.Conv2D(4, 3, activation="relu"),
        layers.BatchNormalization(),
        layers.Conv2D(3, 3, padding="same", strides=2, use_bias=False),
        layers.MaxPooling2D(2),
        layers.ZeroPadding2D(1),
        layers.AveragePooling2D(2),
        layers.Flatten(),
        layers.Dropout(0.0),  # a dropout that draws nothing, so that the training step is comparable
        layers.Dense(3, activation="softmax"),
    ], name="convnet")
    m.compile(optimizer=keras.optimizers.Adam(0.01), loss="categorical_crossentropy", metrics=["accuracy"])
    out["convnet_adam"] = (m, f32(6, 8, 8, 2), onehot(6, 3))

    # Dropout at inference (its training draws differ between Keras and Cornu: no step comparison)
    m = keras.Sequential([keras.Input((4,)), layers.Dense(8, activation="relu"), layers.Dropout(0.5),
                          layers.Dense(2, activation="softmax")], name="dropout")
    m.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    out["dropout_rmsprop"] = (m, f32(5, 4), onehot(5, 2))

    # dense with every activation family, AMSGrad
    m = keras.Sequential([
        keras.Input((5,)),
        layers.Dense(6, activation="tanh"),
        layers.Dense(6, activation="sigmoid"),
        layers.Activation("relu"),
        layers.Dense(2),
    ], name="dense_amsgrad")
    m.compile(optimizer=keras.optimizers.Adam(0.02, amsgrad=True), loss="mse")
    out["dense_amsgrad"] = (m, f32(7, 5), f32(7, 2))

    # recurrent: Embedding with mask, LSTM, GRU, SimpleRNN, Bidirectional; RMSprop with momentum, centered
    m = keras.Sequential([
        keras.Input((6,), dtype="int32"),
        layers.Embedding(11, 4, mask_zero=True),
        layers.LSTM(5, return_sequences=True),
        layers.Bidirectional(layers.GRU(3, return_sequences=True)),
        layers.SimpleRNN(4),
        layers.Dense(1, activation="sigmoid"),
    ], name="recurrent")
    m.compile(optimizer=keras.optimizers.RMSprop(0.01, momentum=0.5, centered=True), loss="binary_crossentropy",
              metrics=["accuracy"])
    x = rng.integers(0, 11, (5, 6)).astype(np.int32)
    x[:, -2:] = 0
    out["recurrent_rmsprop"] = (m, x, (rng.random((5, 1)) > 0.5).astype(np.float32))

    # Conv1D, MaxPooling1D, GRU without reset_after, TimeDistributed Dense, RepeatVector; Nadam
    m = keras.Sequential([
        keras.Input((9, 3)),
        layers.Conv1D(4, 3, activation="relu"),
        layers.MaxPooling1D(2),
        layers.GRU(4, reset_after=False),
        layers.RepeatVector(2),
        layers.TimeDistributed(layers.Dense(2)),
        layers.Reshape((4,)),
    ], name="conv1d_gru")
    m.compile(optimizer=keras.optimizers.Nadam(0.01), loss="mae")
    out["conv1d_nadam"] = (m, f32(4, 9, 3), f32(4, 4))

    # SGD with Nesterov momentum, GlobalAveragePooling2D, UpSampling2D
    m = keras.Sequential([
        keras.Input((4, 4, 1)),
        layers.UpSampling2D(2),
        layers.Conv2D(2, 3, padding="same", activation="relu"),
        layers.GlobalAveragePooling2D(),
        layers.Dense(2, activation="softmax"),
    ], name="sgd_model")
    m.compile(optimizer=keras.optimizers.SGD(0.1, momentum=0.9, nesterov=True), loss="categorical_crossentropy")
    out["upsampling_sgd"] = (m, f32(5, 4, 4, 1), onehot(5, 2))

    # a learning-rate schedule (no learning_rate variable), AdamW
    m = keras.Sequential([keras.Input((3,)), layers.Dense(4, activation="relu"), layers.Dense(1)], name="adamw_schedule")
    m.compile(optimizer=keras.optimizers.AdamW(keras.optimizers.schedules.ExponentialDecay(0.05, 2, 0.5),
                                               weight_decay=0.01), loss="mse")
    out["schedule_adamw"] = (m, f32(6, 3), f32(6, 1))

    for name, opt in (("adamax", keras.optimizers.Adamax(0.02)), ("adagrad", keras.optimizers.Adagrad(0.1)),
                      ("adadelta", keras.optimizers.Adadelta(1.0))):
        m = keras.Sequential([keras.Input((3,)), layers.Dense(3, activation="tanh"), layers.Dense(2)], name=name)
        m.compile(optimizer=opt, loss="mse")
        out["dense_" + name] = (m, f32(5, 3), f32(5, 2))

    # functional, two inputs and two outputs, GlobalMaxPooling2D, Add, Concatenate
    a = keras.Input((4, 4, 2), name="image")
    b = keras.Input((3,), name="meta")
    h = layers.Conv2D(3, 2, activation="relu", name="conv")(a)
    h = layers.GlobalMaxPooling2D(name="gmp")(h)
    g = layers.Dense(3, name="meta_dense")(b)
    s = layers.Add(name="add")([h, g])
    c = layers.Concatenate(name="concat")([s, b])
    o1 = layers.Dense(2, activation="softmax", name="klass")(c)
    o2 = layers.Dense(1, name="value")(c)
    m = keras.Model([a, b], [o1, o2], name="two_heads")
    m.compile(optimizer=keras.optimizers.Adam(0.01), loss=["categorical_crossentropy", "mse"], loss_weights=[1.0, 0.5])
    out["functional_adam"] = (m, [f32(5, 4, 4, 2), f32(5, 3)], [onehot(5, 2), f32(5, 1)])

    # a functional base nested in a Sequential (the book's transfer learning), its first layer frozen;
    # DepthwiseConv2D and ReLU(max_value=6) as in MobileNetV2
    i = keras.Input((6, 6, 3), name="base_input")
    h = layers.Conv2D(4, 3, padding="same", name="base_conv")(i)
    h = layers.BatchNormalization(name="base_bn")(h)
    h = layers.ReLU(6.0, name="base_relu")(h)
    h = layers.DepthwiseConv2D(3, depth_multiplier=2, name="base_dw")(h)
    base = keras.Model(i, h, name="base")
    base.get_layer("base_conv").trainable = False
    m = keras.Sequential([keras.Input((6, 6, 3)), base, layers.GlobalAveragePooling2D(), layers.Dense(2, activation="softmax")],
                         name="transfer")
    m.compile(optimizer=keras.optimizers.Adam(0.01), loss="categorical_crossentropy", metrics=["accuracy"])
    out["nested_adam"] = (m, f32(5, 6, 6, 3), onehot(5, 2))

    # the first part of the layer catalogue (issue 18): activation layers, merges, Dot, Permute, Identity,
    # Layer/Group/UnitNormalization, BatchNormalization on axis 1, 1-D pooling, cropping, ActivityRegularization,
    # and the noise layers (at rate 0, so that the extra step stays comparable)
    i = keras.Input((6, 4), name="seq")
    x = layers.LayerNormalization(name="ln")(i)
    x = layers.PReLU(shared_axes=[1], alpha_initializer="random_uniform", name="prelu")(x)
    x = layers.GroupNormalization(2, name="gn")(x)
    x = layers.SpatialDropout1D(0.0, name="sd1")(x)
    x = layers.GaussianNoise(0.0, name="noise")(x)
    y = layers.Dense(4, name="proj")(i)
    y = layers.LeakyReLU(name="leaky")(y)
    y = layers.ELU(0.5, name="elu")(y)
    mu = layers.Multiply(name="mul")([x, y])
    su = layers.Subtract(name="sub")([x, y])
    a = layers.Average(name="avg")([layers.Maximum(name="max")([mu, su]), layers.Minimum(name="min")([mu, su])])
    a = layers.Cropping1D(1, name="crop1")(a)
    a = layers.AveragePooling1D(2, strides=1, padding="same", name="ap1")(a)
    a = layers.BatchNormalization(axis=1, name="bn1")(a)
    p = layers.Permute((2, 1), name="perm")(a)
    d = layers.Dot(axes=(2, 2), normalize=True, name="dot")([p, a])
    g = layers.Concatenate(name="cat")([layers.GlobalAveragePooling1D(name="gap1")(d),
                                        layers.GlobalMaxPooling1D(name="gmp1")(a)])
    g = layers.UnitNormalization(name="unit")(g)
    g = layers.GaussianDropout(0.0, name="gdrop")(g)
    g = layers.ActivityRegularization(l1=1e-3, name="actreg")(g)
    g = layers.Identity(name="ident")(g)
    r = layers.Reshape((4, 4, 1), name="rs")(a)
    r = layers.Cropping2D(((1, 0), (0, 1)), name="crop2")(r)
    r = layers.SpatialDropout2D(0.0, name="sd2")(r)
    r = layers.Flatten(name="flat")(r)
    o = layers.Dense(3, name="head")(layers.Concatenate(name="cat2")([g, r]))
    o = layers.Softmax(name="softmax")(o)
    m = keras.Model(i, o, name="catalogue")
    m.compile(optimizer=keras.optimizers.Adam(0.01), loss="categorical_crossentropy")
    out["catalogue_adam"] = (m, f32(6, 6, 4), onehot(6, 3))

    # issue 18's image preprocessing in front of an MNIST-style convnet. Keras 3 has no public RandomHeight or
    # RandomWidth (only keras._legacy.layers, which needs TensorFlow), so the random layers here are Keras 3's
    # RandomCrop, RandomContrast and RandomBrightness, at factors that draw nothing (contrast factor in [1, 1],
    # brightness delta 0, crop of the whole image), so that the extra training step stays comparable; Normalization
    # adapted (mean, variance, count variables); Resizing and CenterCrop.
    norm = layers.Normalization(name="norm")
    xi = (rng.random((6, 14, 12, 1)) * 255).astype(np.float32)
    norm.adapt(xi)
    m = keras.Sequential([
        keras.Input((14, 12, 1)),
        layers.RandomCrop(14, 12, seed=3, name="rcrop"),
        layers.RandomContrast((0.0, 0.0), seed=4, name="rcontrast"),
        layers.RandomBrightness((0.0, 0.0), seed=5, name="rbright"),
        norm,
        layers.Resizing(10, 10, crop_to_aspect_ratio=True, name="resize"),
        layers.Resizing(9, 7, interpolation="nearest", name="resize_nearest"),
        layers.CenterCrop(8, 6, name="ccrop"),
        layers.Conv2D(4, 3, activation="relu"),
        layers.MaxPooling2D(2),
        layers.Flatten(),
        layers.Dense(3, activation="softmax"),
    ], name="preprocessing")
    m.compile(optimizer=keras.optimizers.Adam(0.01), loss="categorical_crossentropy", metrics=["accuracy"])
    out["preprocessing_adam"] = (m, xi, onehot(6, 3))

    # self-attention (the Transformer encoder's core): MultiHeadAttention with a causal mask, Attention,
    # LayerNormalization, a residual Add
    t = keras.Input((5, 4), name="tokens")
    a = layers.MultiHeadAttention(num_heads=2, key_dim=3, name="mha")(t, t, use_causal_mask=True)
    h = layers.LayerNormalization(name="ln")(layers.Add(name="residual")([t, a]))
    h = layers.Attention(use_scale=True, name="dot_attention")([h, t])
    h = layers.GlobalAveragePooling1D(name="gap")(h)
    o = layers.Dense(2, activation="softmax", name="out")(h)
    m = keras.Model(t, o, name="attention")
    m.compile(optimizer=keras.optimizers.Adam(0.01), loss="categorical_crossentropy")
    out["attention_adam"] = (m, f32(6, 5, 4), onehot(6, 2))

    # issue 18's separable and transposed convolutions: SeparableConv2D (strides, depth multiplier; dilation, no
    # bias), Conv2DTranspose ("same" with output_padding; dilation) and Conv1DTranspose (output_padding)
    m = keras.Sequential([
        keras.Input((8, 8, 3)),
        layers.SeparableConv2D(4, 3, strides=2, padding="same", depth_multiplier=2, activation="relu", name="sep"),
        layers.Conv2DTranspose(3, 3, strides=2, padding="same", output_padding=(1, 0), activation="tanh", name="up"),
        layers.SeparableConv2D(2, (2, 3), dilation_rate=2, use_bias=False, name="sep_dilated"),
        layers.Conv2DTranspose(2, (3, 2), dilation_rate=2, activation="relu", name="up_dilated"),
        layers.Reshape((10, 10), name="rows"),
        layers.Conv1DTranspose(3, 4, strides=2, output_padding=1, name="up1d"),
        layers.GlobalAveragePooling1D(name="gap"),
        layers.Dense(2, activation="softmax", name="out"),
    ], name="transpose")
    m.compile(optimizer=keras.optimizers.Adam(0.01), loss="categorical_crossentropy")
    out["transpose_adam"] = (m, f32(6, 8, 8, 3), onehot(6, 2))
    return out


def text_models():
    """issue 18's TextVectorization in a model that takes strings, as the book's chapter 11 exports it. Keras's text
    layers need TensorFlow installed, whatever the backend (here: the same virtualenv plus tensorflow_cpu); without it
    the text file is skipped. The model is not trained (JAX's predict cannot take strings): the file holds the adapted
    vocabularies in its assets, the tf_idf weights as variables, and the heads' weights. The expected entry holds the
    layers' outputs on x and the tf_idf head's predictions on them."""
    try:
        import tensorflow  # noqa: F401
    except ImportError:
        print("text_tfidf skipped: TextVectorization needs TensorFlow")
        return {}
    keras.utils.set_random_seed(2)
    docs = ["The cat sat on the mat.", "The dog sat!", "A cat; a DOG, a bird.", "Birds fly; cats don't.", "b a"]
    tfidf = layers.TextVectorization(max_tokens=24, ngrams=2, output_mode="tf_idf", name="tfidf")
    tfidf.adapt(docs)
    seq = layers.TextVectorization(max_tokens=10, output_sequence_length=6, name="seq")
    seq.adapt(docs)
    a = keras.Input(shape=(1,), dtype="string", name="text_a")
    b = keras.Input(shape=(1,), dtype="string", name="text_b")
    head = layers.Dense(2, activation="softmax", name="head")
    o1 = head(tfidf(a))
    o2 = layers.Dense(1, name="value")(layers.GlobalAveragePooling1D(name="gap")(layers.Embedding(10, 3, name="emb")(seq(b))))
    m = keras.Model([a, b], [o1, o2], name="text")
    x = np.array([["the cat sat"], ["zzz a dog"], ["Birds, birds!"], [""]])
    va = np.asarray(tfidf(x))
    return {"text_tfidf": (m, {
        "x": [s[0] for s in x.tolist()],
        "tfidf": va.tolist(), "seq": np.asarray(seq(x)).tolist(),
        "head_predict": np.asarray(head(va)).tolist(),
        "vocabulary_tfidf": [str(t) for t in tfidf.get_vocabulary()], "vocabulary_seq": [str(t) for t in seq.get_vocabulary()],
        "idf_weights": np.asarray(tfidf._lookup_layer.idf_weights_const).tolist(),
    })}


def tolist(v):
    if isinstance(v, list):
        return [np.asarray(a).tolist() for a in v]
    return np.asarray(v).tolist()


expected = {"keras_version": keras.__version__, "backend": keras.backend.backend(), "files": {}}
for name, (m, x, y) in seq_models().items():
    for _ in range(3):
        m.train_on_batch(x, y)
    path = os.path.join(OUT, f"keras315_{name}.keras")
    m.save(path)
    pred = m.predict(x, verbose=0)
    m.train_on_batch(x, y)
    expected["files"][name] = {
        "x": tolist(x), "y": tolist(y), "predict": tolist(pred),
        "weights_after_step": [np.asarray(w).tolist() for w in m.get_weights()],
        "optimizer_variables": len(m.optimizer.variables),
        "step_comparable": name != "dropout_rmsprop",
    }
    print(name, "saved;", len(m.optimizer.variables), "optimizer variables")

expected["text_files"] = {}
for name, (m, ex) in text_models().items():
    m.save(os.path.join(OUT, f"keras315_{name}.keras"))
    expected["text_files"][name] = ex
    print(name, "saved")

with open(os.path.join(OUT, "keras315_expected.json"), "w") as f:
    json.dump(expected, f)
