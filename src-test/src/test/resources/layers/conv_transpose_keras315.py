"""Reference outputs of Keras 3.15.1 (JAX backend) for ConvTransposeLayersTest.

Each case builds one layer, sets its weights by formula and records its output on a fixed
input, all in float32. The same formulas are in the Java test:
  input  x.flat[i] = ((7*i) % 11 - 5) / 5
  kernel k.flat[j] = ((5*j) % 13 - 6) / 6   (every weight of rank > 1)
  bias   b[f]      = 0.1 * (f + 1)
Run: KERAS_BACKEND=jax python conv_transpose_keras315.py > conv_transpose_keras315.json
"""
import json
import numpy as np
import keras


def xv(shape):
    n = int(np.prod(shape))
    return (((np.arange(n) * 7) % 11 - 5) / 5.0).reshape(shape)


def kv(shape):
    n = int(np.prod(shape))
    return (((np.arange(n) * 5) % 13 - 6) / 6.0).reshape(shape)


def run(name, layer, xshape):
    x = xv(xshape).astype("float32")
    layer.build(x.shape)
    for w in layer.weights:
        s = tuple(w.shape)
        w.assign((0.1 * (np.arange(s[0]) + 1) if len(s) == 1 else kv(s)).astype("float32"))
    y = np.asarray(layer(x))
    return name, {"input": list(xshape), "weights": [list(w.shape) for w in layer.weights],
                  "shape": list(y.shape), "output": [float(v) for v in y.ravel()]}


L = keras.layers
cases = dict([
    run("t2 valid k(3,2) s(2,3)", L.Conv2DTranspose(3, (3, 2), strides=(2, 3)), (2, 3, 2, 2)),
    run("t2 same k3 s2 op(1,0)", L.Conv2DTranspose(2, 3, strides=2, padding="same", output_padding=(1, 0)), (1, 3, 4, 3)),
    run("t2 same k4 s2", L.Conv2DTranspose(2, 4, strides=2, padding="same"), (1, 3, 3, 2)),
    run("t2 valid k3 d2", L.Conv2DTranspose(2, 3, dilation_rate=2), (1, 3, 2, 2)),
    run("t2 valid k2 s3 op(2,1)", L.Conv2DTranspose(2, 2, strides=3, output_padding=(2, 1)), (1, 2, 2, 1)),
    run("t2 same k(2,3) s(3,2) op(0,1)", L.Conv2DTranspose(2, (2, 3), strides=(3, 2), padding="same",
                                                           output_padding=(0, 1)), (1, 2, 3, 2)),
    run("t1 same k4 s3", L.Conv1DTranspose(2, 4, strides=3, padding="same"), (2, 4, 3)),
    run("t1 valid k3 s2 op1", L.Conv1DTranspose(3, 3, strides=2, output_padding=1), (1, 4, 2)),
    run("t1 same k3 d2", L.Conv1DTranspose(2, 3, dilation_rate=2, padding="same"), (1, 5, 2)),
    run("sep same k3 s2 m2", L.SeparableConv2D(3, 3, strides=2, padding="same", depth_multiplier=2), (1, 5, 4, 2)),
    run("sep valid k(2,3) d2", L.SeparableConv2D(2, (2, 3), dilation_rate=2), (1, 5, 6, 3)),
])
print(json.dumps({"keras": keras.__version__, "cases": cases}))
