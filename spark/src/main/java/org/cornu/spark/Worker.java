package org.cornu.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.spark.broadcast.Broadcast;
import org.cornu.core.Cornu;
import org.cornu.core.Metric;
import org.cornu.core.Model;
import org.cornu.core.Weight;
import org.cornu.core.metrics.Mean;
import org.cornu.core.saving.ModelConfig;
import org.cornu.core.training.GradientSums;
import org.cornu.core.training.RunOptions;
import org.cornu.core.training.StepData;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor side: model replicas rebuilt from the broadcast config and cached per executor
 * JVM (one per concurrently running task: training is not thread-safe), the weights of the step
 * set from the broadcast flat array, and a task's slice computed through core's
 * {@link org.cornu.core.training.Trainer#gradientSums} seam.
 */
final class Worker {
    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Fit id to idle replicas; the most recent fits only (an executor outlives many fits). */
    private static final Map<String, ConcurrentLinkedQueue<Replica>> POOL = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ConcurrentLinkedQueue<Replica>> e) {
            return size() > 4;
        }
    };
    private static volatile int threadsSet;
    /** For tests of fault tolerance only: run at the end of every training task with its partition; what it throws fails the attempt. */
    static volatile java.util.function.IntConsumer taskEndHook;

    private Worker() {}

    /** A model replica and the version of the weights it holds. */
    static final class Replica {
        final Model model;
        long version = -1;
        boolean metricsResolved;

        Replica(Model model) {
            this.model = model;
        }
    }

    /** What every task of a job needs besides its data: the fit, its config, the threads and the sample shapes. */
    record Job(String fitId, Broadcast<String> config, int threads, long[][] xDims, long[][] yDims) implements java.io.Serializable {}

    /** The JSON a job broadcasts: the model's config with its compile config. */
    static String configJson(Model model) {
        try {
            return JSON.writeValueAsString(ModelConfig.serialize(model));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("SparkTrainer: the config of model \"" + model.name() + "\" cannot be written as JSON: "
                    + e.getMessage(), e);
        }
    }

    /** A replica of the job's model for this task, from the executor's cache or rebuilt from the config. */
    static Replica borrow(Job job) {
        limitThreads(job.threads());
        ConcurrentLinkedQueue<Replica> q;
        synchronized (POOL) {
            q = POOL.computeIfAbsent(job.fitId(), k -> new ConcurrentLinkedQueue<>());
        }
        Replica r = q.poll();
        if (r != null) return r;
        Map<String, Object> top;
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = JSON.readValue(job.config().value(), Map.class);
            top = m;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("SparkTrainer: the broadcast model config is not valid JSON: " + e.getMessage(), e);
        }
        Model model = ModelConfig.deserialize(top, true);
        if (!model.isCompiled()) {
            throw new IllegalStateException("SparkTrainer: model \"" + model.name() + "\" could not be compiled on the executor from"
                    + " its compile config (see the warning above); use losses and metrics that Cornu can serialize");
        }
        LOG.debug("Replica of model \"{}\" built for fit {}", model.name(), job.fitId());
        return new Replica(model);
    }

    /** Returns a replica to the executor's cache for the next task of the same fit. */
    static void giveBack(Job job, Replica r) {
        ConcurrentLinkedQueue<Replica> q;
        synchronized (POOL) {
            q = POOL.computeIfAbsent(job.fitId(), k -> new ConcurrentLinkedQueue<>());
        }
        q.add(r);
    }

    /** ND4J's BLAS and op threads of this executor JVM, set once: one task per core must not start a thread per core. */
    static void limitThreads(int n) {
        if (threadsSet == n) return;
        synchronized (Worker.class) {
            if (threadsSet == n) return;
            Cornu.setNumThreads(n);
            Nd4j.getEnvironment().setMaxMasterThreads(n);
            Nd4j.getEnvironment().setMaxThreads(n);
            threadsSet = n;
            LOG.info("ND4J threads per task: {}", n);
        }
    }

    /** Sets all weights of the replica from the flat array of version {@code version} (a no-op if it holds them already). */
    static void setWeights(Replica r, Broadcast<byte[]> weights, long version) {
        if (r.version == version) return;
        float[] flat = Codec.floats(weights.value());
        int off = 0;
        for (Weight w : r.model.weights()) {
            int len = (int) w.value().length();
            if (off + len > flat.length) {
                throw new IllegalStateException("SparkTrainer: the broadcast weights hold " + flat.length
                        + " values, fewer than the replica's weights need");
            }
            w.assign(Nd4j.createFromArray(Arrays.copyOfRange(flat, off, off + len)).reshape(w.shape()).castTo(w.value().dataType()));
            off += len;
        }
        r.version = version;
    }

    /** Rows {@code from..to} of {@code rows} (offsets in the block), as a batch of the model's shapes. */
    static StepData batch(Job job, Block b, int[] rows, int from, int to) {
        int n = to - from;
        INDArray[] xs = new INDArray[b.x.length];
        for (int i = 0; i < xs.length; i++) xs[i] = Nd4j.createFromArray(Block.gather(b.x[i], b.xLen[i], rows, from, to)).reshape(dims(job.xDims()[i], n, b.xLen[i]));
        INDArray[] ys = new INDArray[b.y.length];
        for (int i = 0; i < ys.length; i++) ys[i] = Nd4j.createFromArray(Block.gather(b.y[i], b.yLen[i], rows, from, to)).reshape(dims(job.yDims()[i], n, b.yLen[i]));
        return new StepData(xs, ys, null);
    }

    /** {@code (n, ...sample dims)}, or {@code (n, len)} when the sample dims do not hold {@code len} values. */
    private static long[] dims(long[] sampleDims, int n, int len) {
        long prod = 1;
        for (long d : sampleDims) prod *= d;
        if (sampleDims.length == 0 || prod != len) return new long[] {n, len};
        long[] r = new long[sampleDims.length + 1];
        r[0] = n;
        System.arraycopy(sampleDims, 0, r, 1, sampleDims.length);
        return r;
    }

    /** All rows of the block, in order. */
    static int[] allRows(Block b) {
        int[] r = new int[b.count];
        for (int i = 0; i < r.length; i++) r[i] = i;
        return r;
    }

    /** The summed losses, gradients and metric states of the slice {@code rows} of one global batch. */
    static StepSums gradients(Job job, Replica r, Block b, int[] rows) {
        StepSums s = new StepSums();
        if (rows == null || rows.length == 0) return s;
        for (Metric m : r.model.metrics()) m.resetState();
        GradientSums g = r.model.gradientSums(batch(job, b, rows, 0, rows.length));
        s.count = g.count();
        s.loss = g.lossSums();
        List<INDArray> gs = g.gradients();
        List<Weight> tws = r.model.trainableWeights();
        long total = 0;
        for (Weight w : tws) total += w.value().length();
        s.grad = new double[(int) total];
        s.hasGrad = new boolean[tws.size()];
        int off = 0;
        for (int i = 0; i < tws.size(); i++) {
            int len = (int) tws.get(i).value().length();
            if (gs.get(i) != null) {
                s.hasGrad[i] = true;
                System.arraycopy(gs.get(i).reshape(len).toDoubleVector(), 0, s.grad, off, len);
            }
            off += len;
        }
        metricStates(r.model, s);
        java.util.function.IntConsumer hook = taskEndHook;
        if (hook != null) hook.accept(org.apache.spark.TaskContext.getPartitionId());
        return s;
    }

    /**
     * {@link SparkFit#localStepsPerSync}: {@code rowsPerStep.length} optimizer steps on this
     * worker's slices, then its weights (all of them) times its sample count.
     */
    static StepSums localSteps(Job job, Replica r, Block b, int[][] rowsPerStep) {
        StepSums s = new StepSums();
        long n = 0;
        for (int[] rows : rowsPerStep) n += rows == null ? 0 : rows.length;
        if (n == 0) return s;
        if (!r.metricsResolved) {
            for (int[] rows : rowsPerStep) {
                if (rows != null && rows.length > 0) {
                    StepData first = batch(job, b, rows, 0, 1);
                    r.model.testOnBatch(first.xs(), first.ys(), null); // builds the metric objects, as fit does from its first batch
                    break;
                }
            }
            r.metricsResolved = true;
        }
        for (Metric m : r.model.metrics()) m.resetState();
        for (int[] rows : rowsPerStep) {
            if (rows != null && rows.length > 0) r.model.trainStep(batch(job, b, rows, 0, rows.length));
        }
        r.version = -1; // the replica's weights moved away from any broadcast
        s.count = n;
        s.loss = new double[0];
        List<double[]> parts = new ArrayList<>();
        int total = 0;
        for (Weight w : r.model.weights()) {
            double[] v = w.value().reshape(w.value().length()).toDoubleVector();
            parts.add(v);
            total += v.length;
        }
        s.grad = new double[total];
        int off = 0;
        for (double[] v : parts) {
            for (int i = 0; i < v.length; i++) s.grad[off + i] = v[i] * n;
            off += v.length;
        }
        metricStates(r.model, s);
        return s;
    }

    /** The loss and metric states of the whole block at the broadcast weights, in batches of {@code batchSize}. */
    static StepSums evaluate(Job job, Replica r, Block b, int batchSize) {
        StepSums s = new StepSums();
        if (b.count == 0) return s;
        int[] rows = allRows(b);
        List<Metric> ms = r.model.metrics();
        double[] totals = null, counts = null;
        for (int a = 0; a < b.count; a += batchSize) {
            StepData d = batch(job, b, rows, a, Math.min(b.count, a + batchSize));
            r.model.testOnBatch(d.xs(), d.ys(), null); // resets the metrics, so they hold this batch only
            ms = r.model.metrics();
            if (totals == null) {
                totals = new double[ms.size()];
                counts = new double[ms.size()];
            }
            for (int i = 0; i < ms.size(); i++) {
                Mean m = mean(ms.get(i));
                totals[i] += m.total();
                counts[i] += m.count();
            }
        }
        s.count = b.count;
        s.loss = new double[0];
        s.metricTotals = totals;
        s.metricCounts = counts;
        return s;
    }

    /** The predictions of the block's samples, in order, one flat array per output. */
    static List<float[][]> predict(Job job, Replica r, Block b, int batchSize) {
        List<float[][]> out = new ArrayList<>(b.count);
        if (b.count == 0) return out;
        int[] rows = allRows(b);
        for (int a = 0; a < b.count; a += batchSize) {
            int e = Math.min(b.count, a + batchSize);
            StepData d = batch(job, b, rows, a, e);
            INDArray[] p = r.model.predictAll(d.xs(), new RunOptions().batchSize(e - a).verbose(0));
            float[][] flat = new float[p.length][];
            for (int o = 0; o < p.length; o++) flat[o] = p[o].castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
            for (int k = 0; k < e - a; k++) {
                float[][] row = new float[p.length][];
                for (int o = 0; o < p.length; o++) {
                    int len = flat[o].length / (e - a);
                    row[o] = Arrays.copyOfRange(flat[o], k * len, (k + 1) * len);
                }
                out.add(row);
            }
        }
        return out;
    }

    private static void metricStates(Model model, StepSums s) {
        List<Metric> ms = model.metrics();
        s.metricTotals = new double[ms.size()];
        s.metricCounts = new double[ms.size()];
        for (int i = 0; i < ms.size(); i++) {
            Mean m = mean(ms.get(i));
            s.metricTotals[i] = m.total();
            s.metricCounts[i] = m.count();
        }
    }

    /** The metric as a {@link Mean}, whose state workers can add up; other metrics are refused by the driver first. */
    static Mean mean(Metric m) {
        if (m instanceof Mean mean) return mean;
        throw new IllegalArgumentException("SparkTrainer: metric \"" + m.name() + "\" (" + m.getClass().getSimpleName()
                + ") keeps a state that the workers cannot add up; use mean metrics (accuracy, mae, mse, crossentropies, ...)");
    }
}
