package org.cornu.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.cornu.core.Cornu;
import org.cornu.core.KerasTensor;
import org.cornu.core.Metric;
import org.cornu.core.Model;
import org.cornu.core.Optimizer;
import org.cornu.core.Weight;
import org.cornu.core.callbacks.Callback;
import org.cornu.core.callbacks.CallbackList;
import org.cornu.core.callbacks.History;
import org.cornu.core.metrics.Mean;
import org.cornu.core.training.Batcher;
import org.cornu.core.training.GradientSums;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Data-parallel training on Apache Spark that equals one machine's training with the same
 * global batch, as Keras's {@code MultiWorkerMirroredStrategy} does: {@code fit},
 * {@code evaluate} and {@code predict} of a compiled Cornu model over an RDD of {@link Sample}s.
 *
 * <pre>{@code
 * JavaSparkContext sc = new JavaSparkContext(new SparkConf().setMaster("local[*]").setAppName("mnist"));
 * JavaRDD<Sample> train = Sample.parallelize(sc, x, y, 8);
 * model.compile("rmsprop", "categorical_crossentropy", "accuracy");
 * SparkTrainer spark = new SparkTrainer(sc);
 * History h = spark.fit(model, train, new SparkFit().epochs(5).batchSize(128).seed(42));
 * double[] lossAndAcc = spark.evaluate(model, test);
 * }</pre>
 *
 * <p><b>How a step runs.</b> The model's config (architecture and compile config, as JSON) is
 * broadcast once per {@code fit}; each executor rebuilds the model from it once and keeps it.
 * The samples are numbered ({@code zipWithIndex}), packed per partition and cached on the
 * executors. Each epoch, a seeded permutation of the sample numbers decides the batches, as
 * {@code model.fit} shuffles after {@code Cornu.setSeed(seed)}. Each step broadcasts all
 * weights as one flat float array; every partition takes the members of the global batch it
 * holds (in batch order) and computes, through {@code Trainer.gradientSums}, the <i>sum</i> of
 * the per-sample losses and gradients and the metrics' states of its slice; {@code treeAggregate}
 * adds them; the driver divides by the batch's sample count, adds the weights' regularization
 * once and applies the model's optimizer once. The optimizer's state never leaves the driver, so
 * SGD, RMSprop and Adam step exactly as on one machine, and uneven partitions and a short last
 * batch change nothing but the order of float additions (equal to about 1e-6 relative; with one
 * partition, bit for bit). The progress bar, {@link History} and callbacks run on the driver.
 *
 * <p><b>Where it is not one machine's training.</b> BatchNormalization computes its batch
 * statistics per slice, and its moving statistics are not brought back from the workers (the
 * driver's stay as they were); Dropout draws its masks from each executor's generator, so it
 * matches one machine in distribution but not mask for mask; metrics other than means of
 * per-sample values (AUC, precision, recall) are refused; sample weights and class weights are
 * not supported yet. {@link SparkFit#localStepsPerSync} trades exactness for throughput.
 *
 * <p><b>Operations.</b> Spark itself is {@code provided}: the cluster's Spark jars run the job.
 * On Java 17 the driver and executors need Spark's {@code --add-opens} options (as
 * {@code spark-submit} adds them; in an embedded driver, add them to the JVM, see the module's
 * README). The executors' ND4J and BLAS threads are set to {@link SparkFit#threadsPerTask}
 * ({@code spark.task.cpus} by default) so that one task per core does not oversubscribe them.
 * Not thread-safe: one {@code fit} at a time per model.
 */
public final class SparkTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(SparkTrainer.class);
    private final JavaSparkContext sc;

    /**
     * A trainer that runs its jobs on {@code sc}.
     *
     * @param sc the Spark context
     */
    public SparkTrainer(JavaSparkContext sc) {
        if (sc == null) throw new IllegalArgumentException("SparkTrainer: the Spark context is null");
        this.sc = sc;
    }

    // ------------------------------------------------------------------ data

    /** The cached, packed partitions of a data set and where each partition's samples start. */
    private record Data(JavaRDD<Block> blocks, long[] starts, int[] counts, long n) {
        void release() {
            blocks.unpersist(false);
        }
    }

    private static Data prepare(JavaRDD<Sample> samples, String what) {
        JavaRDD<Block> blocks = samples.zipWithIndex()
                .mapPartitions(it -> Collections.singletonList(Block.pack(it)).iterator(), true)
                .persist(StorageLevel.MEMORY_ONLY());
        if (fromDriver(samples.rdd())) {
            // A parallelized collection's partitions hold the samples themselves, and every task of every step
            // would carry its partition's share of them (megabytes per task). Truncate the lineage at the cached
            // blocks instead: tasks stay small, a failed task is retried from the cached block, but a lost
            // executor's blocks cannot be rebuilt (as Spark's localCheckpoint documents).
            blocks = JavaRDD.fromRDD(blocks.rdd().localCheckpoint(), blocks.classTag());
        }
        List<long[]> meta = blocks.map(b -> new long[] {b.start, b.count}).collect();
        long[] starts = new long[meta.size()];
        int[] counts = new int[meta.size()];
        long n = 0;
        for (int p = 0; p < starts.length; p++) {
            starts[p] = meta.get(p)[0];
            counts[p] = (int) meta.get(p)[1];
            n += counts[p];
        }
        if (n == 0) {
            blocks.unpersist(false);
            throw new IllegalArgumentException("SparkTrainer: the " + what + " data is empty");
        }
        return new Data(blocks, starts, counts, n);
    }

    /** Whether the lineage of {@code rdd} reaches a parallelized driver collection (Spark's {@code ParallelCollectionRDD}). */
    private static boolean fromDriver(org.apache.spark.rdd.RDD<?> rdd) {
        if (rdd.getClass().getName().equals("org.apache.spark.rdd.ParallelCollectionRDD")) return true;
        for (org.apache.spark.Dependency<?> d : scala.jdk.javaapi.CollectionConverters.asJava(rdd.dependencies())) {
            if (fromDriver(d.rdd())) return true;
        }
        return false;
    }

    private Worker.Job job(Model model, Broadcast<String> config, Integer threads) {
        requireReady(model);
        int t = threads != null ? threads : sc.getConf().getInt("spark.task.cpus", 1);
        return new Worker.Job(UUID.randomUUID().toString(), config, t, sampleDims(model.inputs()), sampleDims(model.outputs()));
    }

    private static long[][] sampleDims(List<KerasTensor> ts) {
        long[][] r = new long[ts.size()][];
        for (int i = 0; i < r.length; i++) r[i] = ts.get(i).shape().sampleDims();
        return r;
    }

    private static void requireReady(Model model) {
        if (model == null) throw new IllegalArgumentException("SparkTrainer: the model is null");
        if (!model.isCompiled()) {
            throw new IllegalStateException("You must call compile() before training model \"" + model.name() + "\" on Spark");
        }
        boolean built;
        try {
            built = !model.inputs().isEmpty();
        } catch (RuntimeException e) {
            built = false;
        }
        if (!built) {
            throw new IllegalStateException("SparkTrainer: model \"" + model.name() + "\" is not built; give its first layer an"
                    + " input shape (the executors rebuild it from its config)");
        }
        for (Weight w : model.weights()) {
            if (w.value().length() > Integer.MAX_VALUE / 2) throw new IllegalArgumentException("SparkTrainer: weight " + w.path() + " is too large");
        }
    }

    /** All weights of the model as one flat float array, in {@code weights()} order. */
    private static float[] flatWeights(Model model) {
        long total = 0;
        for (Weight w : model.weights()) total += w.value().length();
        if (total > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("SparkTrainer: the model has too many weights to broadcast");
        float[] flat = new float[(int) total];
        int off = 0;
        for (Weight w : model.weights()) {
            float[] v = w.value().castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
            System.arraycopy(v, 0, flat, off, v.length);
            off += v.length;
        }
        return flat;
    }

    /** Resolves the driver model's metrics from one sample (as {@code fit} does from the first batch) and checks they can be merged. */
    private static void resolveMetrics(Model model, JavaRDD<Sample> data, long[][] xDims, long[][] yDims) {
        Sample s = data.first();
        if (s.x().length != model.inputs().size() || s.y().length != model.outputs().size()) {
            throw new IllegalArgumentException("SparkTrainer: model \"" + model.name() + "\" has " + model.inputs().size() + " inputs and "
                    + model.outputs().size() + " outputs, but the samples have " + s.x().length + " input and " + s.y().length
                    + " target arrays");
        }
        INDArray[] xs = new INDArray[s.x().length];
        for (int i = 0; i < xs.length; i++) xs[i] = Nd4j.createFromArray(s.x()[i].clone()).reshape(withBatch(xDims[i], s.x()[i].length));
        INDArray[] ys = new INDArray[s.y().length];
        for (int i = 0; i < ys.length; i++) ys[i] = Nd4j.createFromArray(s.y()[i].clone()).reshape(withBatch(yDims[i], s.y()[i].length));
        model.testOnBatch(xs, ys, null); // builds the metric objects from the targets' shapes; no weight changes
        for (Metric m : model.metrics()) Worker.mean(m);
    }

    private static long[] withBatch(long[] sampleDims, int len) {
        long prod = 1;
        for (long d : sampleDims) prod *= d;
        if (sampleDims.length == 0 || prod != len) return new long[] {1, len};
        long[] r = new long[sampleDims.length + 1];
        r[0] = 1;
        System.arraycopy(sampleDims, 0, r, 1, sampleDims.length);
        return r;
    }

    // ------------------------------------------------------------------ fit

    /**
     * Trains {@code model} on the samples of {@code data} (Keras's {@code model.fit} under a
     * distribution strategy): synchronous data parallelism, equal to {@code model.fit} on one
     * machine with the same global batch size and shuffle seed (see the class documentation).
     * The model must be compiled and built; its weights and optimizer state are the driver's and
     * are updated in place.
     *
     * @param model the compiled, built model
     * @param data the training samples
     * @param o epochs, global batch size, shuffle and seed, validation data, callbacks, verbosity
     * @return the {@link History} of the epochs' losses and metrics
     */
    public History fit(Model model, JavaRDD<Sample> data, SparkFit o) {
        requireReady(model);
        Optimizer opt = model.optimizer();
        if (opt == null && o.localSteps == 1) {
            throw new IllegalStateException("Model \"" + model.name() + "\" was compiled without an optimizer, so it cannot be trained");
        }
        Broadcast<String> config = sc.broadcast(Worker.configJson(model));
        Worker.Job job = job(model, config, o.threadsPerTask);
        resolveMetrics(model, data, job.xDims(), job.yDims());
        Data train = prepare(data, "training");
        Data val = o.validationData == null ? null : prepare(o.validationData, "validation");
        try {
            return loop(model, train, val, job, o);
        } finally {
            train.release();
            if (val != null) val.release();
            config.destroy();
        }
    }

    private History loop(Model model, Data train, Data val, Worker.Job job, SparkFit o) {
        int n = (int) train.n();
        int bs = o.batchSize;
        int steps = (n + bs - 1) / bs;
        int k = o.localSteps;
        int rounds = (steps + k - 1) / k;
        History h = new History();
        List<Callback> cbs = CallbackList.forFit(o.callbacks, h, model, o.verbose, o.epochs, rounds);
        // the k-th epoch run shuffles with the k-th draw of the seed's generator, as fit after Cornu.setSeed(seed)
        SplittableRandom seeds = new SplittableRandom(o.seed != null ? o.seed : Cornu.nextSeed());
        int[] partOf = new int[n];
        for (int p = 0; p < train.starts().length; p++) {
            for (int i = 0; i < train.counts()[p]; i++) partOf[(int) train.starts()[p] + i] = p;
        }
        model.stopTraining(false);
        Map<String, Double> epochLogs = new LinkedHashMap<>();
        for (Callback c : cbs) c.onTrainBegin(new LinkedHashMap<>());
        for (int epoch = o.initialEpoch; epoch < o.epochs && !model.stopTraining(); epoch++) {
            for (Callback c : cbs) c.onEpochBegin(epoch, new LinkedHashMap<>());
            for (Metric m : model.metrics()) m.resetState();
            int[] order = o.shuffle ? Batcher.permutation(n, seeds.nextLong()) : null;
            Map<String, Double> batchLogs = Map.of();
            for (int round = 0; round < rounds; round++) {
                for (Callback c : cbs) c.onTrainBatchBegin(round, batchLogs);
                int[][][] rows = new int[Math.min(k, steps - round * k)][][];
                for (int s = 0; s < rows.length; s++) rows[s] = split(order, (round * k + s) * bs, Math.min(n, (round * k + s + 1) * bs), partOf, train);
                batchLogs = k == 1 ? syncStep(model, train, job, rows[0]) : localRound(model, train, job, rows);
                for (Callback c : cbs) c.onTrainBatchEnd(round, batchLogs);
                if (model.stopTraining()) break;
            }
            epochLogs = new LinkedHashMap<>(batchLogs);
            if (val != null && (epoch + 1 - o.initialEpoch) % o.validationFreq == 0) {
                int vbs = o.validationBatchSize != null ? o.validationBatchSize : bs;
                for (Map.Entry<String, Double> e : evaluateData(model, val, job, vbs).entrySet()) {
                    epochLogs.put("val_" + e.getKey(), e.getValue());
                }
            }
            for (Callback c : cbs) c.onEpochEnd(epoch, epochLogs);
        }
        for (Callback c : cbs) c.onTrainEnd(epochLogs);
        return h;
    }

    /** Positions {@code from..to} of the epoch's order as offsets in each partition's block, in batch order. */
    private static int[][] split(int[] order, int from, int to, int[] partOf, Data d) {
        int parts = d.starts().length;
        int[] sizes = new int[parts];
        for (int i = from; i < to; i++) sizes[partOf[order == null ? i : order[i]]]++;
        int[][] rows = new int[parts][];
        for (int p = 0; p < parts; p++) rows[p] = new int[sizes[p]];
        int[] fill = new int[parts];
        for (int i = from; i < to; i++) {
            int idx = order == null ? i : order[i];
            int p = partOf[idx];
            rows[p][fill[p]++] = (int) (idx - d.starts()[p]);
        }
        return rows;
    }

    /** One exact synchronous step: the slices' sums, added up; the mean gradient applied once on the driver. */
    private static Map<String, Double> syncStep(Model model, Data train, Worker.Job job, int[][] rows) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(train.blocks().context());
        Broadcast<byte[]> weights = sc.broadcast(Codec.bytes(flatWeights(model)));
        long version = weights.id();
        StepSums sums;
        try {
            sums = train.blocks().mapPartitionsWithIndex((p, it) -> {
                Block b = it.next();
                Worker.Replica r = Worker.borrow(job);
                try {
                    Worker.setWeights(r, weights, version);
                    return Collections.singletonList(Worker.gradients(job, r, b, rows[p])).iterator();
                } finally {
                    Worker.giveBack(job, r);
                }
            }, true).treeAggregate(new StepSums(), StepSums::add, StepSums::add);
        } finally {
            weights.destroy();
        }
        GradientSums reg = model.regularizationGradients();
        List<Weight> tws = model.trainableWeights();
        double count = sums.count;
        List<INDArray> grads = new ArrayList<>();
        List<Weight> applied = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        int off = 0;
        for (int i = 0; i < tws.size(); i++) {
            Weight w = tws.get(i);
            int len = (int) w.value().length();
            INDArray r = reg.gradients().get(i);
            boolean has = sums.hasGrad != null && sums.hasGrad[i];
            if (has || r != null) {
                double[] g = new double[len];
                if (has) for (int j = 0; j < len; j++) g[j] = sums.grad[off + j] / count;
                if (r != null) {
                    double[] rv = r.reshape(len).toDoubleVector();
                    for (int j = 0; j < len; j++) g[j] += rv[j];
                }
                grads.add(Nd4j.createFromArray(g).reshape(w.shape()).castTo(w.value().dataType()));
                applied.add(w);
            } else {
                missing.add(w.path());
            }
            off += len;
        }
        if (!missing.isEmpty()) {
            LOG.warn("Gradients do not exist for variables {} when minimizing the loss of model \"{}\"; they are not trained.",
                    missing, model.name());
        }
        if (!applied.isEmpty()) model.optimizer().apply(grads, applied);
        List<Metric> ms = model.metrics();
        mergeStates(ms, sums);
        int outputs = model.outputs().size();
        double loss = sums.loss[0] / count + reg.lossSums()[0];
        ((Mean) ms.get(0)).update(loss, count);
        if (outputs > 1) for (int i = 1; i <= outputs; i++) ((Mean) ms.get(i)).update(sums.loss[i] / count, count);
        Map<String, Double> logs = logs(ms);
        if (Double.isNaN(loss) || Double.isInfinite(loss)) logs.put("loss", loss);
        return logs;
    }

    /** {@link SparkFit#localStepsPerSync}: local optimizer steps on every worker, then the sample-weighted mean of their weights. */
    private static Map<String, Double> localRound(Model model, Data train, Worker.Job job, int[][][] rows) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(train.blocks().context());
        Broadcast<byte[]> weights = sc.broadcast(Codec.bytes(flatWeights(model)));
        long version = weights.id();
        StepSums sums;
        try {
            sums = train.blocks().mapPartitionsWithIndex((p, it) -> {
                Block b = it.next();
                int[][] mine = new int[rows.length][];
                for (int s = 0; s < rows.length; s++) mine[s] = rows[s][p];
                Worker.Replica r = Worker.borrow(job);
                try {
                    Worker.setWeights(r, weights, version);
                    return Collections.singletonList(Worker.localSteps(job, r, b, mine)).iterator();
                } finally {
                    Worker.giveBack(job, r);
                }
            }, true).treeAggregate(new StepSums(), StepSums::add, StepSums::add);
        } finally {
            weights.destroy();
        }
        int off = 0;
        for (Weight w : model.weights()) {
            int len = (int) w.value().length();
            double[] v = new double[len];
            for (int j = 0; j < len; j++) v[j] = sums.grad[off + j] / sums.count;
            w.assign(Nd4j.createFromArray(v).reshape(w.shape()).castTo(w.value().dataType()));
            off += len;
        }
        List<Metric> ms = model.metrics();
        mergeStates(ms, sums);
        return logs(ms);
    }

    private static void mergeStates(List<Metric> ms, StepSums sums) {
        if (sums.metricTotals == null) return;
        if (sums.metricTotals.length != ms.size()) {
            throw new IllegalStateException("SparkTrainer: the executors' model has " + sums.metricTotals.length
                    + " metrics but the driver's has " + ms.size());
        }
        for (int i = 0; i < ms.size(); i++) ((Mean) ms.get(i)).mergeState(sums.metricTotals[i], sums.metricCounts[i]);
    }

    private static Map<String, Double> logs(List<Metric> ms) {
        Map<String, Double> l = new LinkedHashMap<>();
        for (Metric m : ms) l.put(m.name(), m.result());
        return l;
    }

    // ------------------------------------------------------------------ evaluate / predict

    /**
     * The loss and metrics of {@code model} on {@code data}, computed on the cluster in batches of
     * 32 per partition (Keras's {@code model.evaluate}).
     *
     * @param model the compiled, built model
     * @param data the test samples
     * @return the loss, then the metrics, in {@code model.metricsNames()} order
     */
    public double[] evaluate(Model model, JavaRDD<Sample> data) {
        return evaluate(model, data, 32);
    }

    /**
     * The loss and metrics of {@code model} on {@code data}, in batches of {@code batchSize} per
     * partition. Equal to {@code model.evaluate} to float rounding: the loss and the mean metrics
     * are means over all samples, whatever the batches.
     *
     * @param model the compiled, built model
     * @param data the test samples
     * @param batchSize the samples per forward pass on an executor
     * @return the loss, then the metrics, in {@code model.metricsNames()} order
     */
    public double[] evaluate(Model model, JavaRDD<Sample> data, int batchSize) {
        Map<String, Double> m = evaluateAsMap(model, data, batchSize);
        double[] r = new double[m.size()];
        int i = 0;
        for (double v : m.values()) r[i++] = v;
        return r;
    }

    /**
     * {@link #evaluate(Model, JavaRDD, int)} as a map from metric name to value (Keras's {@code return_dict=True}).
     *
     * @param model the compiled, built model
     * @param data the test samples
     * @param batchSize the samples per forward pass on an executor
     * @return metric name to value
     */
    public Map<String, Double> evaluateAsMap(Model model, JavaRDD<Sample> data, int batchSize) {
        if (batchSize < 1) throw new IllegalArgumentException("SparkTrainer.evaluate: batchSize must be >= 1, got " + batchSize);
        Broadcast<String> config = sc.broadcast(Worker.configJson(model));
        Worker.Job job = job(model, config, null);
        resolveMetrics(model, data, job.xDims(), job.yDims());
        Data d = prepare(data, "evaluation");
        try {
            return evaluateData(model, d, job, batchSize);
        } finally {
            d.release();
            config.destroy();
        }
    }

    private static Map<String, Double> evaluateData(Model model, Data d, Worker.Job job, int batchSize) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(d.blocks().context());
        Broadcast<byte[]> weights = sc.broadcast(Codec.bytes(flatWeights(model)));
        long version = weights.id();
        StepSums sums;
        try {
            sums = d.blocks().map(b -> {
                Worker.Replica r = Worker.borrow(job);
                try {
                    Worker.setWeights(r, weights, version);
                    return Worker.evaluate(job, r, b, batchSize);
                } finally {
                    Worker.giveBack(job, r);
                }
            }).treeAggregate(new StepSums(), StepSums::add, StepSums::add);
        } finally {
            weights.destroy();
        }
        List<Metric> ms = model.metrics();
        for (Metric m : ms) m.resetState();
        mergeStates(ms, sums);
        return logs(ms);
    }

    /**
     * The predictions of {@code model} for every sample of {@code data}, as an RDD in the same
     * order and partitioning (Keras's {@code model.predict}): one flat float array per model
     * output for each sample. Lazy: it runs when the RDD is used, with the weights the model has now.
     *
     * @param model the built model
     * @param data the samples (their targets are ignored)
     * @param batchSize the samples per forward pass on an executor
     * @return the predictions, one element per sample
     */
    public JavaRDD<float[][]> predict(Model model, JavaRDD<Sample> data, int batchSize) {
        if (batchSize < 1) throw new IllegalArgumentException("SparkTrainer.predict: batchSize must be >= 1, got " + batchSize);
        if (model == null) throw new IllegalArgumentException("SparkTrainer: the model is null");
        Broadcast<String> config = sc.broadcast(Worker.configJson(model));
        int t = sc.getConf().getInt("spark.task.cpus", 1);
        Worker.Job job = new Worker.Job(UUID.randomUUID().toString(), config, t, sampleDims(model.inputs()), sampleDims(model.outputs()));
        Broadcast<byte[]> weights = sc.broadcast(Codec.bytes(flatWeights(model)));
        long version = weights.id();
        return data.mapPartitions(it -> {
            Block b = Block.packUnindexed(it);
            Worker.Replica r = Worker.borrow(job);
            try {
                Worker.setWeights(r, weights, version);
                return Worker.predict(job, r, b, batchSize).iterator();
            } finally {
                Worker.giveBack(job, r);
            }
        }, true);
    }

    /**
     * The predictions of a single-output model for every sample of {@code data}, collected on the
     * driver as one array of shape {@code (samples, ...output shape)}.
     *
     * @param model the built model
     * @param data the samples
     * @param batchSize the samples per forward pass on an executor
     * @return the predictions, one row per sample, in the RDD's order
     */
    public INDArray predictToArray(Model model, JavaRDD<Sample> data, int batchSize) {
        if (model.outputs().size() != 1) {
            throw new IllegalArgumentException("SparkTrainer.predictToArray: model \"" + model.name() + "\" has " + model.outputs().size()
                    + " outputs; use predict, which returns every output");
        }
        List<float[][]> rows = predict(model, data, batchSize).collect();
        long[] dims = model.outputs().get(0).shape().dims();
        int len = rows.isEmpty() ? 0 : rows.get(0)[0].length;
        float[] flat = new float[rows.size() * len];
        for (int i = 0; i < rows.size(); i++) System.arraycopy(rows.get(i)[0], 0, flat, i * len, len);
        dims[0] = rows.size();
        for (long dd : Arrays.copyOfRange(dims, 1, dims.length)) if (dd < 0) return Nd4j.createFromArray(flat).reshape(rows.size(), len);
        return Nd4j.createFromArray(flat).reshape(dims);
    }
}
