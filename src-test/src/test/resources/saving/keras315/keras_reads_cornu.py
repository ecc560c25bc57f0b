#!/usr/bin/env python3
"""Real Keras loads the .keras files Cornu wrote (KerasReadsCornuFilesTest).

For each <name>.keras in DIR with its <name>.json (x, y, Cornu's predictions of the saved
model, Cornu's weights after one more train_on_batch on (x, y), the number of optimizer
variables): keras.saving.load_model with compile on, no warning about skipped or unloaded
variables, the same predictions, the same optimizer variable count, and after one
train_on_batch the same weights. Prints one JSON line per file and exits 1 if any failed.

Usage: KERAS_BACKEND=jax python keras_reads_cornu.py DIR
"""
import glob
import json
import os
import sys
import warnings

import numpy as np

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402

TOL = 2e-5
failed = False
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.keras"))):
    name = os.path.basename(path)[:-6]
    with open(path[:-6] + ".json") as f:
        ex = json.load(f)
    result = {"file": name, "keras": keras.__version__}
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            m = keras.saving.load_model(path)
        bad = [str(w.message) for w in caught if "kipping" in str(w.message) or "could not" in str(w.message)]
        assert not bad, f"warnings while loading: {bad}"
        multi = isinstance(ex["x"][0], list) and ex.get("multi", False)
        x = [np.asarray(a, dtype=ex.get("x_dtype", "float32")) for a in ex["x"]] if multi \
            else np.asarray(ex["x"], dtype=ex.get("x_dtype", "float32"))
        y = [np.asarray(a, dtype="float32") for a in ex["y"]] if multi else np.asarray(ex["y"], dtype="float32")
        pred = m.predict(x, verbose=0)
        preds = pred if isinstance(pred, list) else [pred]
        want = ex["predict"] if multi else [ex["predict"]]
        for p, w in zip(preds, want):
            np.testing.assert_allclose(np.asarray(p), np.asarray(w), atol=TOL, err_msg="predict")
        assert m.optimizer is not None, "not compiled"
        assert len(m.optimizer.variables) == ex["optimizer_variables"], \
            f"optimizer variables {len(m.optimizer.variables)} != {ex['optimizer_variables']}"
        m.train_on_batch(x, y)
        if ex["weights_after_step"] is None:  # Dropout: the training draws differ
            result["ok"] = True
            print(json.dumps(result), flush=True)
            continue
        ws = m.get_weights()
        assert len(ws) == len(ex["weights_after_step"]), f"{len(ws)} weights, Cornu has {len(ex['weights_after_step'])}"
        for i, (a, b) in enumerate(zip(ws, ex["weights_after_step"])):
            np.testing.assert_allclose(np.asarray(a), np.asarray(b), atol=TOL, err_msg=f"weight {i} after a step")
        result["ok"] = True
    except Exception as e:  # report every file
        result["ok"] = False
        result["error"] = f"{type(e).__name__}: {e}"[:2000]
        failed = True
    print(json.dumps(result), flush=True)
sys.exit(1 if failed else 0)
