"""Regenerates the expected values of the Cornu dataset tests (org.cornu.datasets.*Test).

It runs Keras 3's own loaders -- keras/src/datasets/{reuters,imdb,boston_housing}.py and
npz_utils.py, read from an installed `keras` package (3.15.1 was used) -- on the real files in
$CORNU_DATASETS, and on the small IMDB-format files it writes itself. Keras's package is not
imported as a whole (that needs a backend such as jax); only those modules are executed, with
`keras_export` made a no-op and `get_file` returning the local file. Needs numpy (2.4.6 used).

    CORNU_DATASETS=/work/shared/datasets python3 keras_datasets_expected.py

It prints Java literals and base64 strings that the tests embed, each under a heading.
"""
import base64
import importlib.util
import io
import os
import pickle
import sys
import types
import zipfile

import numpy as np

DATA = os.environ.get("CORNU_DATASETS", "/work/shared/datasets")


KERAS_SRC = os.path.join(os.path.dirname(importlib.util.find_spec("keras").origin), "src")


def keras_module(name):
    root = KERAS_SRC
    # stubs for the three helpers the dataset modules import
    for pkg in ["keras", "keras.src", "keras.src.utils", "keras.src.datasets"]:
        sys.modules.setdefault(pkg, types.ModuleType(pkg))
    api = types.ModuleType("keras.src.api_export")
    api.keras_export = lambda *a, **k: (lambda f: f)
    sys.modules["keras.src.api_export"] = api
    fu = types.ModuleType("keras.src.utils.file_utils")
    fu.get_file = lambda fname=None, origin=None, file_hash=None, **k: LOCAL[0]
    sys.modules["keras.src.utils.file_utils"] = fu
    for mod, path in [("keras.src.utils.python_utils", "utils/python_utils.py"),
                      ("keras.src.datasets.npz_utils", "datasets/npz_utils.py"),
                      ("keras.src.datasets." + name, "datasets/" + name + ".py")]:
        if mod in sys.modules and mod.endswith(name):
            continue
        s = importlib.util.spec_from_file_location(mod, os.path.join(root, path))
        m = importlib.util.module_from_spec(s)
        s.loader.exec_module(m)
        sys.modules[mod] = m
        if mod.endswith("npz_utils"):
            sys.modules["keras.src.datasets"].npz_utils = m
    return sys.modules["keras.src.datasets." + name]


LOCAL = [None]


def java_ints(a):
    return "{" + ", ".join(str(int(v)) for v in a) + "}"


def java_doubles(a):
    return "{" + ", ".join(repr(float(v)) for v in a) + "}"


def heading(s):
    print("\n// ==== " + s)


# ---- NumpyRandomState ------------------------------------------------------------------------
heading("RandomState")
print("permutation(10), seed 113:", java_ints(np.random.RandomState(113).permutation(10)))
for n in (11228, 506, 25000):
    p = np.random.RandomState(113).permutation(n)
    print(f"permutation({n}) seed 113: first 5 {java_ints(p[:5])} last 5 {java_ints(p[-5:])}")
print("permutation(20), seed 0:", java_ints(np.random.RandomState(0).permutation(20)))
print("permutation(20), seed 2**32-1:", java_ints(np.random.RandomState(2**32 - 1).permutation(20)))
rs = np.random.RandomState(113)
print("uint32 draws seed 113:", java_ints(rs.randint(0, 2**32, size=4, dtype=np.uint64)))
print("masked 64-bit draws seed 113:", java_ints(np.random.RandomState(113).randint(0, 2**40, size=3, dtype=np.uint64)))
print("random_sample seed 113 (after 4 draws):", java_doubles(rs.random_sample(3)))
print("random_sample seed [1,2,3]:", java_doubles(np.random.RandomState([1, 2, 3]).random_sample(3)))
a = np.arange(7)
r = np.random.RandomState(5)
r.shuffle(a)
r.shuffle(a)
print("arange(7) shuffled twice, seed 5:", java_ints(a))

# ---- Reuters (real file) -----------------------------------------------------------------------
reuters = keras_module("reuters")
LOCAL[0] = os.path.join(DATA, "reuters.npz")


def describe_text(tag, split):
    (xtr, ytr), (xte, yte) = split
    heading(tag)
    print("lengths", len(xtr), len(xte))
    print("xTrain[0]", java_ints(xtr[0]))
    print("xTest[last]", java_ints(xte[-1]))
    print("yTrain[:10]", java_ints(ytr[:10]), "yTest[-10:]", java_ints(yte[-10:]))
    k = int(max(ytr.max(), yte.max())) + 1
    print("bincount yTrain", java_ints(np.bincount(ytr, minlength=k)))
    print("bincount yTest", java_ints(np.bincount(yte, minlength=k)))
    print("word sums", sum(int(np.sum(x)) for x in xtr), sum(int(np.sum(x)) for x in xte))
    print("word counts", sum(len(x) for x in xtr), sum(len(x) for x in xte))
    print("max index", max(max(x) for x in xtr if len(x)), max(max(x) for x in xte if len(x)))
    print("positional", sum((i + 1) * len(x) for i, x in enumerate(xtr)) % 1000000007,
          sum((i + 1) * len(x) for i, x in enumerate(xte)) % 1000000007)


describe_text("reuters default", reuters.load_data())
describe_text("reuters num_words=10000", reuters.load_data(num_words=10000))
describe_text("reuters num_words=1000 skip_top=10 maxlen=100 test_split=0.3 seed=7 oov None",
              reuters.load_data(num_words=1000, skip_top=10, maxlen=100, test_split=0.3, seed=7, oov_char=None))
describe_text("reuters start None index_from 0",
              reuters.load_data(start_char=None, index_from=0))

# ---- Boston housing (real file) ----------------------------------------------------------------
boston = keras_module("boston_housing")
LOCAL[0] = os.path.join(DATA, "boston_housing.npz")
for kw in ({}, {"test_split": 0.1, "seed": 1}):
    (xtr, ytr), (xte, yte) = boston.load_data(**kw)
    heading("boston " + str(kw))
    print("shapes", xtr.shape, ytr.shape, xte.shape, yte.shape, xtr.dtype, ytr.dtype)
    print("xTrain[0]", java_doubles(xtr[0]), "yTrain[0]", repr(float(ytr[0])))
    print("xTest[-1]", java_doubles(xte[-1]), "yTest[-1]", repr(float(yte[-1])))
    print("sums", repr(float(xtr.sum())), repr(float(ytr.sum())), repr(float(xte.sum())), repr(float(yte.sum())))

# ---- IMDB (small files in imdb.npz's format) ---------------------------------------------------
g = np.random.RandomState(2024)


def reviews(n):
    out = []
    for _ in range(n):
        length = int(g.randint(1, 25))
        # mostly frequent words, a few rare ones above 65535 (BININT in the pickle)
        words = [int(w) for w in g.randint(1, 40, size=length)]
        for k in range(length):
            if g.rand() < 0.15:
                words[k] = int(g.randint(65000, 90000))
        out.append(words)
    return out


x_train = np.empty(12, dtype=object)
x_train[:] = reviews(12)
x_test = np.empty(9, dtype=object)
x_test[:] = reviews(9)
y_train = np.array(g.randint(0, 2, size=12), dtype=np.int64)
y_test = np.array(g.randint(0, 2, size=9), dtype=np.int64)


class Python2LikePickler(pickle.Pickler):
    """Protocol 2 as Python 2 wrote it for an ndarray: the type code 'b' as a str. (Python 3
    writes bytes in protocol 2 as a call of `_codecs.encode`, a global that Keras's restricted
    unpickler -- and Cornu's -- refuses.)"""

    def reducer_override(self, obj):
        if type(obj) is np.ndarray:
            fn, args, state = obj.__reduce__()
            return fn, (args[0], args[1], args[2].decode("latin1")), state
        return NotImplemented


def npy_protocol2(arr):
    """An .npy entry as Keras's file has it: a 1.0 header, then a protocol-2 pickle."""
    f = io.BytesIO()
    np.lib.format.write_array_header_1_0(f, np.lib.format.header_data_from_array_1_0(arr))
    if arr.dtype.hasobject:
        Python2LikePickler(f, protocol=2).dump(arr)
    else:
        f.write(arr.tobytes())
    return f.getvalue()


def npz_protocol2(path, arrays):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for k, v in arrays.items():
            z.writestr(k + ".npy", npy_protocol2(v))


arrays = {"x_test": x_test, "x_train": x_train, "y_train": y_train, "y_test": y_test}
npz_protocol2("/tmp/imdb_p2.npz", arrays)
np.savez("/tmp/imdb_p4.npz", **arrays)   # what NumPy writes today: pickle protocol 4
heading("IMDB files (base64)")
codecs_pickle = pickle.dumps(np.array([[1, 2], [3]], dtype=object), protocol=2)
print("Python 3 protocol 2 (uses _codecs.encode):", base64.b64encode(codecs_pickle).decode())
for p in ("/tmp/imdb_p2.npz", "/tmp/imdb_p4.npz"):
    print(p, base64.b64encode(open(p, "rb").read()).decode())
heading("IMDB raw")
print("x_train", "{" + ", ".join(java_ints(x) for x in x_train) + "}")
print("y_train", java_ints(y_train), "y_test", java_ints(y_test))

imdb = keras_module("imdb")
for p in ("/tmp/imdb_p2.npz", "/tmp/imdb_p4.npz"):
    LOCAL[0] = p
    for kw in ({}, {"num_words": 30, "skip_top": 5, "maxlen": 15},
               {"start_char": None, "oov_char": None, "index_from": 0, "num_words": 20, "seed": 7},
               {"index_from": 0, "start_char": None}):
        (xtr, ytr), (xte, yte) = imdb.load_data(**kw)
        heading(f"imdb {p} {kw}")
        print("xTrain", "{" + ", ".join(java_ints(x) for x in xtr) + "}")
        print("yTrain", java_ints(ytr))
        print("xTest", "{" + ", ".join(java_ints(x) for x in xte) + "}")
        print("yTest", java_ints(yte))
    try:
        imdb.load_data(maxlen=2)
    except ValueError as e:
        print("maxlen=2:", e)
