package org.cornu.core.training;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Model;
import org.cornu.core.Optimizer;
import org.cornu.core.callbacks.Callback;
import org.cornu.core.kernels.Workspaces;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The one place that decides how a step runs (Keras's {@code make_train_function},
 * {@code make_test_function}, {@code make_predict_function}): {@code fit}, {@code evaluate},
 * {@code predict} and the batch methods all get their steps here. A step is the trainer's own
 * {@link Trainer#trainStep}/{@link Trainer#testStep}/{@link Trainer#predictStep} on the tape, or,
 * where a whole-step fast path applies and the model does not override that step, the fast path
 * ({@link org.cornu.core.FastPaths#SMALL_MODEL}, {@link org.cornu.core.FastPaths#SMALL_PREDICT}).
 * Op-level kernel choice is not made here but inside each op.
 */
final class StepCompiler {
    private StepCompiler() {}

    /** The steps of passes over one array data set. */
    interface Steps {
        /** Starts an epoch; returns the sample order (null: in order). */
        int[] newEpoch();

        /** Runs step {@code step} of the epoch; returns the logs after it. */
        Map<String, Double> step(int[] order, int step);

        /** Number of steps per pass. */
        int count();

        /** Releases what the steps hold between passes (batch buffers); called once, at the end. */
        default void finish() {}
    }

    /** Steps over {@code n} rows of arrays at batch size {@code bs}, in order or shuffled each epoch. */
    private abstract static class OverRows implements Steps {
        final long n;
        final int bs;
        private final boolean shuffle;

        OverRows(long n, int bs, boolean shuffle) {
            this.n = n;
            this.bs = bs;
            this.shuffle = shuffle;
        }

        public int[] newEpoch() {
            return shuffle ? Batcher.permutation((int) n) : null;
        }

        public int count() {
            return (int) ((n + bs - 1) / bs);
        }
    }

    /** Training steps over arrays at batch size {@code bs}; {@code alsoAccept} are arrays the small path must also read (validation). */
    static Steps train(Trainer t, INDArray[] xs, INDArray[] ys, INDArray sw, int bs, boolean shuffle, INDArray[] alsoAccept) {
        CompileState c = t.compileState();
        Optimizer opt = c.trainingOptimizer();
        long n = xs[0].size(0);
        SmallPath small = smallPath(t, true, xs, ys, bs, alsoAccept);
        if (small != null) {
            SmallPath.Data data = small.bind(xs[0], ys[0], sw);
            return new OverRows(n, bs, shuffle) {
                public Map<String, Double> step(int[] order, int step) {
                    int size = (int) Math.min(bs, n - (long) step * bs);
                    double loss = small.trainStep(data, order, step * bs, size, opt);
                    c.trackLoss(new double[] {loss}, size);
                    return stepLogs(c, loss);
                }
            };
        }
        Batcher batcher = new Batcher(xs, ys, sw, bs, t.takeLeftovers());
        return new OverRows(n, bs, shuffle) {
            public Map<String, Double> step(int[] order, int step) {
                Batcher.Batch b = batcher.batch(order, step);
                return t.trainStep(new StepData(b.x(), b.y(), b.sw()));
            }

            public void finish() {
                t.keepLeftovers(batcher.leftovers());
            }
        };
    }

    /** Test steps over arrays at batch size {@code bs}, in order. */
    static Steps test(Trainer t, INDArray[] xs, INDArray[] ys, INDArray sw, int bs) {
        CompileState c = t.compileState();
        long n = xs[0].size(0);
        SmallPath small = smallPath(t, false, xs, ys, bs, null);
        SmallPath.Data data = small == null ? null : small.bind(xs[0], ys[0], sw);
        return new OverRows(n, bs, false) {
            public Map<String, Double> step(int[] order, int step) {
                long a = (long) step * bs, b = Math.min(n, a + bs);
                if (small != null) {
                    double loss = small.testStep(data, (int) a, (int) (b - a));
                    c.trackLoss(new double[] {loss}, b - a);
                    return stepLogs(c, loss);
                }
                return t.testStep(new StepData(DataAdapter.slice(xs, a, b), DataAdapter.slice(ys, a, b),
                        sw == null ? null : DataAdapter.rows(sw, a, b)));
            }
        };
    }

    /** The logs after a step whose total loss was {@code loss}: a non-finite loss shows as itself, not averaged away. */
    static Map<String, Double> stepLogs(CompileState c, double loss) {
        Map<String, Double> l = c.logs();
        if (Double.isNaN(loss) || Double.isInfinite(loss)) l.put("loss", loss);
        return l;
    }

    /** Predicts every output over arrays at batch size {@code bs}, calling the predict callbacks. */
    static INDArray[] predict(Trainer t, INDArray[] xs, int bs, List<Callback> callbacks) {
        if (callbacks.isEmpty() && xs.length == 1 && t instanceof Model m && !overrides(t, "predictStep", StepData.class)) {
            INDArray fast = SmallPredict.predict(m, xs[0]);
            if (fast != null) return new INDArray[] {fast};
        }
        long n = xs[0].size(0);
        int steps = (int) ((n + bs - 1) / bs);
        INDArray[] res = null;
        for (Callback c : callbacks) {
            c.setModel((Model) t);
            c.onPredictBegin(new LinkedHashMap<>());
        }
        for (int s = 0; s < steps; s++) {
            for (Callback c : callbacks) c.onPredictBatchBegin(s, Map.of());
            long a = (long) s * bs, b = Math.min(n, a + bs);
            INDArray[] xb = steps == 1 ? xs : DataAdapter.slice(xs, a, b);
            try (MemoryWorkspace ws = Workspaces.step(Workspaces.PREDICT)) {
                INDArray[] outs = t.predictStep(new StepData(xb, new INDArray[0], null));
                if (res == null) res = new INDArray[outs.length];
                for (int i = 0; i < outs.length; i++) {
                    INDArray v = outs[i];
                    if (res[i] == null) {
                        long[] shape = v.shape().clone();
                        shape[0] = n;
                        try (MemoryWorkspace out = Workspaces.outside()) {
                            res[i] = Nd4j.createUninitialized(v.dataType(), shape);
                        }
                    }
                    (steps == 1 ? res[i] : DataAdapter.rows(res[i], a, b)).assign(v);
                }
            }
            for (Callback c : callbacks) c.onPredictBatchEnd(s, Map.of());
        }
        for (Callback c : callbacks) c.onPredictEnd(new LinkedHashMap<>());
        return res;
    }

    /** The small-model whole-step path, if it applies: a plain Dense (or LSTM + Dense) chain the model's own step would run. */
    private static SmallPath smallPath(Trainer t, boolean train, INDArray[] xs, INDArray[] ys, int bs, INDArray[] alsoAccept) {
        if (!(t instanceof Model m) || overrides(t, train ? "trainStep" : "testStep", StepData.class)) return null;
        CompileState c = t.compileState();
        if (c.losses == null || xs.length != 1 || ys.length != 1) return null;
        long n = xs[0].size(0);
        SmallPath p = SmallPath.plan(m, bs, (int) (ys[0].length() / n), c.losses.get(0), c.metrics.get(0));
        if (p == null || !p.accepts(xs[0])) return null;
        if (alsoAccept != null && !p.accepts(alsoAccept[0])) return null;
        return p;
    }

    /** Per class, the answers of {@link #overrides} so far (a reflective look-up costs about a microsecond; predict of one row, 10). */
    private static final ClassValue<java.util.Map<String, Boolean>> OVERRIDES = new ClassValue<>() {
        @Override
        protected java.util.Map<String, Boolean> computeValue(Class<?> type) {
            return new java.util.concurrent.ConcurrentHashMap<>();
        }
    };

    /** Whether {@code t}'s class overrides the step {@code name} that {@link Trainer} defines. */
    static boolean overrides(Trainer t, String name, Class<?>... params) {
        String key = params.length == 1 && params[0] == StepData.class ? name : name + java.util.Arrays.toString(params);
        return OVERRIDES.get(t.getClass()).computeIfAbsent(key, k -> {
            try {
                return t.getClass().getMethod(name, params).getDeclaringClass() != Trainer.class;
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** The values of a logs map in order (the batch methods' and {@code evaluate}'s arrays). */
    static double[] values(Map<String, Double> logs) {
        List<Double> r = new ArrayList<>(logs.values());
        double[] a = new double[r.size()];
        for (int i = 0; i < a.length; i++) a[i] = r.get(i);
        return a;
    }
}
