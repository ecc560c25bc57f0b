package org.cornu.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.cornu.core.Fit;
import org.cornu.core.Model;
import org.cornu.core.callbacks.Callback;
import org.cornu.core.callbacks.EarlyStopping;
import org.cornu.core.callbacks.History;
import org.cornu.core.callbacks.ModelCheckpoint;
import org.cornu.core.training.RunOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link SparkTrainer} on {@code local[2,2]} (two task threads, a failed task retried once)
 * against {@code model.fit}, {@code evaluate} and {@code predict} on one machine with the same
 * initial weights, global batch and shuffle seed.
 */
class SparkTrainerTest {
    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = SparkTestSupport.context("local[2,2]");
    }

    @AfterAll
    static void stop() {
        Worker.taskEndHook = null;
        if (sc != null) sc.stop();
    }

    /**
     * 45 samples in 4 partitions of 11, 11, 11 and 12 at global batch 8: 6 steps per epoch, the
     * last of 5 samples; 4 epochs are 24 optimizer steps. The driver applies the mean of the
     * slices' gradient sums, so the weights follow one machine's to float rounding.
     */
    @ParameterizedTest
    @ValueSource(strings = {"sgd", "rmsprop", "adam"})
    void fitEqualsOneMachine(String optimizer) {
        INDArray[] d = SparkTestSupport.data(45, 3);
        Model local = SparkTestSupport.model(11, optimizer);
        History hl = SparkTestSupport.fitLocally(local, d, Fit.epochs(4).batchSize(8).verbose(0), 99);
        Model spark = SparkTestSupport.model(11, optimizer);
        JavaRDD<Sample> rdd = Sample.parallelize(sc, d[0], d[1], 4);
        History hs = new SparkTrainer(sc).fit(spark, rdd, new SparkFit().epochs(4).batchSize(8).seed(99).verbose(0));
        double diff = SparkTestSupport.maxWeightDiff(local, spark);
        assertTrue(diff < 1e-5, optimizer + ": max weight difference " + diff);
        for (String key : List.of("loss", "accuracy")) {
            List<Double> a = hl.get(key), b = hs.get(key);
            assertEquals(4, b.size(), key);
            for (int e = 0; e < 4; e++) assertEquals(a.get(e), b.get(e), 1e-5, key + " of epoch " + e);
        }
    }

    /** Without shuffling, the batches are the data's order, as {@code fit(shuffle=false)}. */
    @Test
    void unshuffledFitEqualsOneMachine() {
        INDArray[] d = SparkTestSupport.data(21, 5);
        Model local = SparkTestSupport.model(2, "adam");
        SparkTestSupport.fitLocally(local, d, Fit.epochs(3).batchSize(6).shuffle(false).verbose(0), 1);
        Model spark = SparkTestSupport.model(2, "adam");
        new SparkTrainer(sc).fit(spark, Sample.parallelize(sc, d[0], d[1], 3), new SparkFit().epochs(3).batchSize(6).shuffle(false).verbose(0));
        assertTrue(SparkTestSupport.maxWeightDiff(local, spark) < 1e-5);
    }

    /** A task that fails on its first attempt is run again, and the step's result is the fault-free one. */
    @Test
    void failedTaskIsRetriedAndChangesNothing() {
        INDArray[] d = SparkTestSupport.data(30, 8);
        JavaRDD<Sample> rdd = Sample.parallelize(sc, d[0], d[1], 3);
        Model clean = SparkTestSupport.model(4, "adam");
        new SparkTrainer(sc).fit(clean, rdd, new SparkFit().epochs(2).batchSize(10).seed(5).verbose(0));
        AtomicInteger failures = new AtomicInteger();
        Worker.taskEndHook = p -> {
            if (p == 1 && TaskContext.get().attemptNumber() == 0 && failures.get() < 3) {
                failures.incrementAndGet();
                throw new IllegalStateException("injected failure of a first attempt");
            }
        };
        Model faulty = SparkTestSupport.model(4, "adam");
        try {
            new SparkTrainer(sc).fit(faulty, rdd, new SparkFit().epochs(2).batchSize(10).seed(5).verbose(0));
        } finally {
            Worker.taskEndHook = null;
        }
        assertEquals(3, failures.get(), "three first attempts failed");
        assertTrue(SparkTestSupport.bitEqual(clean, faulty), "weights after retries: max diff " + SparkTestSupport.maxWeightDiff(clean, faulty));
    }

    /** evaluate and predict over an RDD equal the model's own. */
    @Test
    void evaluateAndPredictEqualTheModels() {
        INDArray[] d = SparkTestSupport.data(37, 9);
        Model m = SparkTestSupport.model(6, "rmsprop");
        SparkTestSupport.fitLocally(m, d, Fit.epochs(2).batchSize(8).verbose(0), 3);
        JavaRDD<Sample> rdd = Sample.parallelize(sc, d[0], d[1], 3);
        SparkTrainer t = new SparkTrainer(sc);
        double[] local = m.evaluate(d[0], d[1], new RunOptions().batchSize(8).verbose(0));
        double[] spark = t.evaluate(m, rdd, 5);
        assertEquals(2, spark.length);
        for (int i = 0; i < 2; i++) assertEquals(local[i], spark[i], 1e-6, m.metricsNames().get(i));
        INDArray p = t.predictToArray(m, rdd, 4);
        INDArray q = m.predict(d[0]);
        assertEquals(q.shapeInfoToString().replaceAll("Rank.*Shape", ""), p.shapeInfoToString().replaceAll("Rank.*Shape", ""));
        assertTrue(p.equalsWithEps(q, 1e-6), "predictions differ");
        Map<String, Double> byName = t.evaluateAsMap(m, rdd, 32);
        assertEquals(List.of("loss", "accuracy"), new ArrayList<>(byName.keySet()));
    }

    /** Validation data, callbacks on the driver (every batch and epoch), EarlyStopping and ModelCheckpoint. */
    @Test
    void callbacksValidationEarlyStoppingAndCheckpoint(@TempDir Path dir) throws Exception {
        INDArray[] d = SparkTestSupport.data(40, 12);
        INDArray[] v = SparkTestSupport.data(16, 13);
        Model local = SparkTestSupport.model(7, "adam");
        History hl = SparkTestSupport.fitLocally(local, d, Fit.epochs(3).batchSize(16).validationData(v[0], v[1]).verbose(0), 21);
        Model spark = SparkTestSupport.model(7, "adam");
        List<String> events = new ArrayList<>();
        Callback recorder = new Callback() {
            @Override public void onEpochEnd(int epoch, Map<String, Double> logs) {
                events.add("epoch " + epoch + " " + logs.keySet());
            }

            @Override public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
                events.add("batch " + batch);
            }
        };
        Path ckpt = dir.resolve("best.keras");
        History hs = new SparkTrainer(sc).fit(spark, Sample.parallelize(sc, d[0], d[1], 2),
                new SparkFit().epochs(3).batchSize(16).seed(21).verbose(0).validationData(Sample.parallelize(sc, v[0], v[1], 2))
                        .callbacks(recorder, new ModelCheckpoint(ckpt.toString())));
        assertEquals(List.of("batch 0", "batch 1", "batch 2", "epoch 0 [loss, accuracy, val_loss, val_accuracy]",
                "batch 0", "batch 1", "batch 2", "epoch 1 [loss, accuracy, val_loss, val_accuracy]",
                "batch 0", "batch 1", "batch 2", "epoch 2 [loss, accuracy, val_loss, val_accuracy]"), events);
        for (int e = 0; e < 3; e++) assertEquals(hl.get("val_loss").get(e), hs.get("val_loss").get(e), 1e-5, "val_loss " + e);
        assertTrue(Files.size(ckpt) > 0, "ModelCheckpoint wrote the model");
        // EarlyStopping with patience 0 on a loss that cannot improve by 10: stops after the second epoch
        Model m = SparkTestSupport.model(7, "sgd");
        History he = new SparkTrainer(sc).fit(m, Sample.parallelize(sc, d[0], d[1], 2),
                new SparkFit().epochs(10).batchSize(16).verbose(0).callbacks(new EarlyStopping().monitor("loss").minDelta(10).patience(0)));
        assertEquals(2, he.get("loss").size());
    }

    /** The throughput option moves the weights but, by design, not as one machine does. */
    @Test
    void localStepsAverageWeights() {
        INDArray[] d = SparkTestSupport.data(40, 14);
        Model exact = SparkTestSupport.model(8, "sgd");
        new SparkTrainer(sc).fit(exact, Sample.parallelize(sc, d[0], d[1], 2), new SparkFit().epochs(1).batchSize(10).seed(1).verbose(0));
        Model averaged = SparkTestSupport.model(8, "sgd");
        Model start = SparkTestSupport.model(8, "sgd");
        History h = new SparkTrainer(sc).fit(averaged, Sample.parallelize(sc, d[0], d[1], 2),
                new SparkFit().epochs(1).batchSize(10).seed(1).verbose(0).localStepsPerSync(2));
        assertEquals(1, h.get("loss").size());
        assertTrue(SparkTestSupport.maxWeightDiff(start, averaged) > 1e-4, "the weights moved");
        assertTrue(SparkTestSupport.maxWeightDiff(exact, averaged) > 1e-7, "and differ from the exact run's");
    }

    /** Bad input is refused with messages that name the problem. */
    @Test
    void refusesUncompiledModelsAndMismatchedSamples() {
        INDArray[] d = SparkTestSupport.data(10, 1);
        Model m = SparkTestSupport.model(1, "sgd");
        JavaRDD<Sample> wrong = sc.parallelize(List.of(new Sample(new float[][] {new float[4], new float[4]}, new float[][] {new float[3]})));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SparkTrainer(sc).fit(m, wrong, new SparkFit().verbose(0)));
        assertTrue(e.getMessage().contains("1 inputs") && e.getMessage().contains("2 input"), e.getMessage());
        assertFalse(e.getMessage().isEmpty());
        Model uncompiled = new org.cornu.core.Sequential(new org.cornu.layers.Dense(3).inputShape(4));
        IllegalStateException u = assertThrows(IllegalStateException.class,
                () -> new SparkTrainer(sc).fit(uncompiled, Sample.parallelize(sc, d[0], d[1], 1), new SparkFit()));
        assertTrue(u.getMessage().contains("compile()"), u.getMessage());
        org.cornu.core.Sequential unbuilt = new org.cornu.core.Sequential(new org.cornu.layers.Dense(3));
        unbuilt.compile("sgd", "mse");
        IllegalStateException b = assertThrows(IllegalStateException.class,
                () -> new SparkTrainer(sc).fit(unbuilt, Sample.parallelize(sc, d[0], d[1], 1), new SparkFit()));
        assertTrue(b.getMessage().contains("is not built"), b.getMessage());
    }
}
