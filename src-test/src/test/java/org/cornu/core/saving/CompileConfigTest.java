package org.cornu.core.saving;

import static org.cornu.core.saving.SavingTestSupport.assertSameWeights;
import static org.cornu.core.saving.SavingTestSupport.data;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Cornu;
import org.cornu.core.Fit;
import org.cornu.core.Input;
import org.cornu.core.KerasTensor;
import org.cornu.core.LearningRateSchedule;
import org.cornu.core.Loss;
import org.cornu.core.Metric;
import org.cornu.core.Model;
import org.cornu.core.Optimizer;
import org.cornu.core.Sequential;
import org.cornu.core.metrics.AUC;
import org.cornu.core.metrics.BinaryAccuracy;
import org.cornu.core.metrics.CategoricalAccuracy;
import org.cornu.core.metrics.MeanAbsoluteError;
import org.cornu.core.metrics.MeanAbsolutePercentageError;
import org.cornu.core.metrics.MeanSquaredError;
import org.cornu.core.metrics.Precision;
import org.cornu.core.metrics.Recall;
import org.cornu.core.metrics.RootMeanSquaredError;
import org.cornu.core.metrics.SparseCategoricalAccuracy;
import org.cornu.core.metrics.SparseTopKCategoricalAccuracy;
import org.cornu.core.metrics.TopKCategoricalAccuracy;
import org.cornu.layers.Dense;
import org.cornu.losses.BinaryCrossentropy;
import org.cornu.losses.CategoricalCrossentropy;
import org.cornu.losses.CosineSimilarity;
import org.cornu.losses.Hinge;
import org.cornu.losses.Huber;
import org.cornu.losses.KLDivergence;
import org.cornu.losses.MeanSquaredLogarithmicError;
import org.cornu.losses.Poisson;
import org.cornu.losses.SparseCategoricalCrossentropy;
import org.cornu.optimizers.Adam;
import org.cornu.optimizers.RMSprop;
import org.cornu.optimizers.SGD;
import org.cornu.optimizers.schedules.CosineDecay;
import org.cornu.optimizers.schedules.ExponentialDecay;
import org.cornu.optimizers.schedules.InverseTimeDecay;
import org.cornu.optimizers.schedules.PiecewiseConstantDecay;
import org.cornu.optimizers.schedules.PolynomialDecay;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The {@code compile_config} of a {@code .keras} file, written as Keras 3's
 * {@code Trainer.get_compile_config} writes it and read as {@code Trainer.compile_from_config}
 * reads it ({@code keras/src/trainers/trainer.py}, objects through
 * {@code keras/src/saving/serialization_lib.py}). The hand-written configs below follow the
 * forms those files (and the {@code get_config} of {@code keras/src/losses/losses.py},
 * {@code keras/src/metrics/*}, {@code keras/src/optimizers/schedules/learning_rate_schedule.py})
 * produce in Keras 3.0 to 3.13, and tf.keras 2's {@code {"class_name", "config"}} form.
 */
class CompileConfigTest {
    @TempDir
    Path dir;

    @BeforeEach
    void reset() {
        Cornu.clearSession();
        Cornu.setFloatx("float32");
        Cornu.setSeed(5);
    }

    private static Sequential small() {
        return new Sequential(new Dense(3, "softmax").inputShape(4));
    }

    private static Map<String, Object> json(String text) {
        return Models.parse(text.getBytes(StandardCharsets.UTF_8), "test config");
    }

    /** The model's compile config through JSON text and back into a fresh model of the same shape. */
    private static Model roundTrip(Model m) {
        Map<String, Object> cc = Models.parse(Models.json(ModelConfig.compileConfig(m)), "compile config");
        Model r = small();
        ModelConfig.compile(r, cc);
        return r;
    }

    private static Model compiledFrom(String compileConfig) {
        Model m = small();
        ModelConfig.compile(m, json(compileConfig));
        return m;
    }

    private static Map<?, ?> map(Object o) {
        return (Map<?, ?>) o;
    }

    // ------------------------------------------------------------------ writing

    @Test
    void lossObjectsAreWrittenWithTheirConfigAsKerasDoes() {
        Sequential m = small();
        m.compile(new Adam(0.002), new CategoricalCrossentropy().fromLogits(true).labelSmoothing(0.1), "accuracy");
        Map<String, Object> cc = ModelConfig.compileConfig(m);
        assertEquals(List.of("optimizer", "loss", "loss_weights", "metrics", "weighted_metrics", "run_eagerly",
                "steps_per_execution", "jit_compile"), new ArrayList<>(cc.keySet()));
        Map<String, Object> loss = new LinkedHashMap<>();
        loss.put("module", "keras.losses");
        loss.put("class_name", "CategoricalCrossentropy");
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", "categorical_crossentropy");
        config.put("reduction", "sum_over_batch_size");
        config.put("from_logits", true);
        config.put("label_smoothing", 0.1);
        config.put("axis", -1);
        loss.put("config", config);
        loss.put("registered_name", null);
        assertEquals(loss, cc.get("loss"));
        assertEquals(new ArrayList<>(loss.keySet()), new ArrayList<>(map(cc.get("loss")).keySet()));
        // a name the user gave stays a name
        assertEquals(List.of("accuracy"), cc.get("metrics"));
        // Huber is the one loss whose Keras instance name differs from its function name
        m.compile("adam", new Huber().delta(5.0));
        assertEquals(Map.of("name", "huber_loss", "reduction", "sum_over_batch_size", "delta", 5.0),
                map(ModelConfig.compileConfig(m).get("loss")).get("config"));
    }

    @Test
    void metricObjectsAreWrittenAsKerasClasses() {
        Sequential m = small();
        m.compile("sgd", "mse", "mae", ((BinaryAccuracy) new BinaryAccuracy().name("bin")).threshold(0.7), new TopKCategoricalAccuracy(2));
        List<?> metrics = (List<?>) ModelConfig.compileConfig(m).get("metrics");
        assertEquals("mae", metrics.get(0));
        assertEquals(Map.of("module", "keras.metrics", "class_name", "BinaryAccuracy",
                "config", Map.of("name", "bin", "dtype", "float32", "threshold", 0.7)), withoutNull(map(metrics.get(1))));
        assertEquals(Map.of("name", "top_k_categorical_accuracy", "dtype", "float32", "k", 2), map(metrics.get(2)).get("config"));
        // keras.metrics.BinaryCrossentropy takes no axis: Keras could not load it
        m.compile("sgd", "mse", new org.cornu.core.metrics.BinaryCrossentropy().fromLogits(true));
        Map<?, ?> bce = map(((List<?>) ModelConfig.compileConfig(m).get("metrics")).get(0));
        assertEquals(Map.of("name", "binary_crossentropy", "dtype", "float32", "from_logits", true, "label_smoothing", 0.0), bce.get("config"));
    }

    private static Map<Object, Object> withoutNull(Map<?, ?> m) {
        Map<Object, Object> r = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) if (e.getValue() != null) r.put(e.getKey(), e.getValue());
        return r;
    }

    @Test
    void theScheduleIsSerializedInsideTheOptimizer() {
        Sequential m = small();
        m.compile(new SGD(0.1).learningRate(new ExponentialDecay(0.1, 10, 0.5, true)), "mse");
        Map<?, ?> opt = map(ModelConfig.compileConfig(m).get("optimizer"));
        assertEquals("keras.optimizers", opt.get("module"));
        assertEquals("SGD", opt.get("class_name"));
        Map<String, Object> lr = new LinkedHashMap<>();
        lr.put("module", "keras.optimizers.schedules");
        lr.put("class_name", "ExponentialDecay");
        lr.put("config", Map.of("initial_learning_rate", 0.1, "decay_steps", 10L, "decay_rate", 0.5, "staircase", true,
                "name", "ExponentialDecay"));
        lr.put("registered_name", null);
        assertEquals(lr, map(opt.get("config")).get("learning_rate"));
    }

    @Test
    void multiOutputArgumentsKeepTheUsersStructure() {
        KerasTensor in = Input.of("in", 4);
        KerasTensor a = new Dense(2).name("a").apply(in);
        KerasTensor b = new Dense(3, "softmax").name("b").apply(in);
        Model m = new Model(List.of(in), List.of(a, b), "two");
        Map<String, Object> losses = new LinkedHashMap<>();
        losses.put("a", "mse");
        losses.put("b", new CategoricalCrossentropy().labelSmoothing(0.2));
        m.compile("adam", losses, new double[] {1.0, 0.5}, Map.of("b", List.of("accuracy")));
        Map<String, Object> cc = ModelConfig.compileConfig(m);
        Map<?, ?> loss = map(cc.get("loss"));
        assertEquals(List.of("a", "b"), new ArrayList<>(loss.keySet()));
        assertEquals("mse", loss.get("a"));
        assertEquals("CategoricalCrossentropy", map(loss.get("b")).get("class_name"));
        assertEquals(List.of(1.0, 0.5), cc.get("loss_weights"));
        assertEquals(Map.of("b", List.of("accuracy")), cc.get("metrics"));
        // per-output lists stay per output
        m.compile("adam", List.of("mse", "categorical_crossentropy"), List.of("mae"), List.of("accuracy", "mse"));
        assertEquals(List.of(List.of("mae"), List.of("accuracy", "mse")), ModelConfig.compileConfig(m).get("metrics"));
        // a flat list applies to every output in Cornu; Keras 3 reads a flat list as one entry per output
        m.compile("adam", "mse", "mae");
        assertEquals(List.of(List.of("mae"), List.of("mae")), ModelConfig.compileConfig(m).get("metrics"));
        Model r = new Model(List.of(in), List.of(a, b), "two");
        ModelConfig.compile(r, Models.parse(Models.json(ModelConfig.compileConfig(m)), "cc"));
        assertEquals(List.of(List.of("mae"), List.of("mae")), r.compiledMetricIds());
    }

    // --------------------------------------------------------------- round trips

    @Test
    void everyLossRoundTripsWithItsSettings() {
        List<Loss> losses = List.of(
                new BinaryCrossentropy().fromLogits(true).labelSmoothing(0.2).axis(0),
                new CategoricalCrossentropy().fromLogits(true).labelSmoothing(0.1).axis(0).reduction("sum"),
                new SparseCategoricalCrossentropy().fromLogits(true).reduction("none"),
                new Huber().delta(5.0).reduction("mean"),
                new CosineSimilarity().axis(0),
                new org.cornu.losses.MeanSquaredError().reduction("sum"),
                new org.cornu.losses.MeanAbsoluteError().reduction("sum"),
                new org.cornu.losses.MeanAbsolutePercentageError().reduction("none"),
                new MeanSquaredLogarithmicError().reduction("sum"),
                new Hinge().reduction("sum"),
                new KLDivergence().reduction("sum"),
                new Poisson().reduction("sum"));
        for (Loss l : losses) {
            Sequential m = small();
            m.compile("adam", l);
            Object back = roundTrip(m).compileArguments().loss();
            assertInstanceOf(l.getClass(), back, l.toString());
            assertEquals(l.getConfig(), ((Loss) back).getConfig(), l.getClass().getSimpleName());
            assertEquals(l.reduction(), ((Loss) back).reduction());
        }
    }

    @Test
    void restoredLossSettingsGiveTheSameLossValues() {
        Sequential m = small();
        m.compile("adam", new CategoricalCrossentropy().fromLogits(true));
        Loss cce = roundTrip(m).losses().get(0);
        // logits (0, ln 3): softmax (1/4, 3/4), so -log(3/4) for the second class
        INDArray logits = Nd4j.createFromArray(new double[][] {{0.0, Math.log(3.0)}});
        INDArray y = Nd4j.createFromArray(new double[][] {{0.0, 1.0}});
        assertEquals(-Math.log(0.75), cce.value(y, logits), 1e-12);
        m.compile("adam", new Huber().delta(5.0));
        Loss huber = roundTrip(m).losses().get(0);
        // error 3 <= delta 5: 0.5 * 3^2 = 4.5 (delta 1 would give 1 * 3 - 0.5 = 2.5)
        assertEquals(4.5, huber.value(Nd4j.createFromArray(new double[][] {{0.0}}), Nd4j.createFromArray(new double[][] {{3.0}})), 1e-12);
    }

    @Test
    void everyMetricRoundTripsWithItsSettings() {
        List<Metric> metrics = List.of(
                ((BinaryAccuracy) new BinaryAccuracy().name("bin_acc")).threshold(0.8),
                new CategoricalAccuracy(),
                new SparseCategoricalAccuracy("sacc"),
                new TopKCategoricalAccuracy(2),
                new SparseTopKCategoricalAccuracy(3),
                new Precision().thresholds(0.3).classId(1),
                new Recall().topK(2),
                new AUC().numThresholds(50).curve("PR").summationMethod("minoring").fromLogits(true),
                new org.cornu.core.metrics.BinaryCrossentropy().fromLogits(true).labelSmoothing(0.1),
                new org.cornu.core.metrics.CategoricalCrossentropy().labelSmoothing(0.2).axis(0),
                new org.cornu.core.metrics.SparseCategoricalCrossentropy().fromLogits(true),
                new MeanAbsoluteError("mae_named"),
                new MeanSquaredError(),
                new RootMeanSquaredError(),
                new MeanAbsolutePercentageError());
        Sequential m = small();
        m.compile("adam", "mse", metrics.toArray());
        List<Object> back = roundTrip(m).compileArguments().metrics();
        assertEquals(metrics.size(), back.size());
        for (int i = 0; i < metrics.size(); i++) {
            Metric want = metrics.get(i);
            assertInstanceOf(want.getClass(), back.get(i), want.name());
            assertEquals(want.name(), ((Metric) back.get(i)).name());
            assertEquals(want.getConfig(), ((Metric) back.get(i)).getConfig(), want.name());
        }
        // the threshold is used: 0.7 is below 0.8, so a prediction of 0.7 for target 1 is wrong
        Metric bin = (Metric) back.get(0);
        bin.updateState(Nd4j.createFromArray(new double[][] {{1.0}}), Nd4j.createFromArray(new double[][] {{0.7}}), null);
        assertEquals(0.0, bin.result(), 0.0);
    }

    @Test
    void everyScheduleRoundTripsInsideTheOptimizer() {
        List<LearningRateSchedule> schedules = List.of(
                new ExponentialDecay(0.1, 10, 0.5, true),
                new InverseTimeDecay(0.1, 2, 0.5, true),
                new PolynomialDecay(0.1, 10, 0.01, 2.0, true),
                new PiecewiseConstantDecay(new long[] {3, 7}, new double[] {0.1, 0.05, 0.01}),
                new CosineDecay(0.01, 20, 0.1, 0.1, 5));
        for (LearningRateSchedule s : schedules) {
            Sequential m = small();
            m.compile(new SGD(0.1).learningRate(s), "mse");
            Model r = roundTrip(m);
            LearningRateSchedule back = r.optimizer().schedule();
            assertInstanceOf(s.getClass(), back, s.name());
            assertEquals(s.getConfig(), back.getConfig());
            for (long step : new long[] {0, 1, 4, 9, 30}) {
                r.optimizer().iterations(step);
                assertEquals(s.apply(step), r.optimizer().learningRate(), 0.0, s.name() + " at step " + step);
            }
        }
    }

    @Test
    void aSavedModelResumesTrainingExactlyWithLossSettingsAndSchedule() {
        Sequential m = new Sequential(new Dense(6, "tanh").inputShape(4), new Dense(3));
        m.compile(new SGD(0.1).momentum(0.5).learningRate(new ExponentialDecay(0.1, 2, 0.5)),
                new CategoricalCrossentropy().fromLogits(true).labelSmoothing(0.1),
                ((BinaryAccuracy) new BinaryAccuracy().name("b")).threshold(0.3));
        INDArray x = data(1, 8, 4);
        INDArray y = Nd4j.eye(3).getRows(0, 1, 2, 0, 1, 2, 0, 1).castTo(DataType.FLOAT);
        for (int i = 0; i < 3; i++) m.trainOnBatch(x, y);
        Path p = dir.resolve("m.keras");
        m.save(p);
        Model r = Models.loadModel(p);
        for (int step = 0; step < 3; step++) {
            assertArrayEquals(m.trainOnBatch(x, y), r.trainOnBatch(x, y), 0.0, "step " + step);
        }
        assertEquals(List.of("loss", "b"), r.metricsNames());
        assertSameWeights(m, r);
        assertEquals(m.optimizer().learningRate(), r.optimizer().learningRate(), 0.0);
    }

    // ------------------------------------------------------ configs Keras writes

    /** The compile config of /work/shared/keras-models/k3_sannmyatmin_mnist.keras (Keras 3.11.3), verbatim: no optimizer key. */
    private static final String SANNMYATMIN = """
            {"loss": "CategoricalCrossentropy", "loss_weights": null, "metrics": ["CategoricalAccuracy"],
             "weighted_metrics": null, "run_eagerly": false, "steps_per_execution": 1, "jit_compile": false}""";

    @Test
    void kerasFileWithoutOptimizerCompilesWithKerasDefault() {
        Model m = compiledFrom(SANNMYATMIN);
        assertTrue(m.isCompiled());
        // compile_from_config calls compile(**config), whose optimizer defaults to "rmsprop"
        assertInstanceOf(RMSprop.class, m.optimizer());
        assertEquals(0.001, m.optimizer().learningRate(), 0.0);
        assertInstanceOf(CategoricalCrossentropy.class, m.losses().get(0));
        INDArray x = data(2, 4, 4);
        INDArray y = Nd4j.eye(3).getRows(0, 1, 2, 0).castTo(DataType.FLOAT);
        INDArray p = m.predict(x);
        double correct = 0;
        for (int i = 0; i < 4; i++) correct += p.getRow(i).argMax().getInt(0) == y.getRow(i).argMax().getInt(0) ? 1 : 0;
        assertEquals(correct / 4, m.evaluate(x, y, org.cornu.core.Evaluate.verbose(0))[1], 1e-7);
        // keras/src/trainers/compile_utils.py get_metric: a metric given as a string is named by that string
        assertEquals(List.of("loss", "CategoricalAccuracy"), m.metricsNames());
    }

    /** The compile configs Keras 3.15.1 wrote for the calls in saving/make_keras_compile_configs.py. */
    private static Map<String, Object> realKeras() throws Exception {
        try (java.io.InputStream in = CompileConfigTest.class.getResourceAsStream("/saving/keras_compile_configs.json")) {
            Map<String, Object> all = Models.parse(in.readAllBytes(), "keras_compile_configs.json");
            assertEquals("3.15.1", all.get("keras_version"));
            return all;
        }
    }

    private static Model twoOutputs() {
        KerasTensor in = Input.of("in", 4);
        return new Model(List.of(in), List.of(new Dense(2).name("reg").apply(in), new Dense(3, "softmax").name("cls").apply(in)), "two");
    }

    @Test
    void compileConfigsWrittenByKeras() throws Exception {
        Map<String, Object> keras = realKeras();
        // Adam(ExponentialDecay(0.01, 10, 0.5, staircase=True)), CategoricalCrossentropy(from_logits=True,
        // label_smoothing=0.1), metrics of every form
        Model m = small();
        ModelConfig.compile(m, Configs.map(keras.get("objects")));
        assertInstanceOf(Adam.class, m.optimizer());
        assertEquals(Map.of("initial_learning_rate", 0.01, "decay_steps", 10L, "decay_rate", 0.5, "staircase", true,
                "name", "ExponentialDecay"), m.optimizer().schedule().getConfig());
        CategoricalCrossentropy cce = (CategoricalCrossentropy) m.losses().get(0);
        assertTrue(cce.fromLogits());
        assertEquals(0.1, cce.labelSmoothing(), 0.0);
        INDArray x = data(2, 6, 4);
        INDArray y = Nd4j.eye(3).getRows(0, 1, 2, 0, 1, 2).castTo(DataType.FLOAT);
        m.evaluate(x, y, org.cornu.core.Evaluate.verbose(0));
        assertEquals(List.of("loss", "accuracy", "acc", "bin", "top_k_categorical_accuracy", "precision", "auc", "mae",
                "categorical_crossentropy", "categorical_accuracy"), m.metricsNames());
        List<Object> ms = m.compileArguments().metrics();
        assertEquals(0.7, ((BinaryAccuracy) ms.get(2)).threshold(), 0.0);
        assertEquals(2, ((TopKCategoricalAccuracy) ms.get(3)).k());
        assertEquals(0.4, ((Precision) ms.get(4)).threshold(), 0.0);
        assertEquals("PR", ((AUC) ms.get(5)).getConfig().get("curve"));
        assertEquals(0.2, ((org.cornu.core.metrics.CategoricalCrossentropy) ms.get(7)).getConfig().get("label_smoothing"));

        // Keras 3's Huber.get_config keeps only name and reduction, so Keras reloads delta=1.0 too
        m = small();
        ModelConfig.compile(m, Configs.map(keras.get("huber")));
        assertEquals(0.009999999776482582, m.optimizer().learningRate(), 0.0);
        Huber huber = (Huber) m.losses().get(0);
        assertEquals(1.0, huber.delta(), 0.0);
        assertEquals("sum", huber.reduction());
        assertEquals(3, ((SparseTopKCategoricalAccuracy) m.compileArguments().metrics().get(0)).k());
        assertInstanceOf(RootMeanSquaredError.class, m.compileArguments().metrics().get(1));

        // functions: {"module": "builtins", "class_name": "function", "config": name, "registered_name": "function"}
        m = small();
        ModelConfig.compile(m, Configs.map(keras.get("functions")));
        assertEquals("categorical_crossentropy", m.compileArguments().loss());
        assertEquals(List.of("binary_accuracy"), m.compileArguments().metrics());
        assertEquals(Map.of("initial_learning_rate", 0.1, "decay_steps", 100L, "end_learning_rate", 0.001, "power", 2.0,
                "cycle", false, "name", "PolynomialDecay"), m.optimizer().schedule().getConfig());
        assertEquals(Boolean.TRUE, m.optimizer().getConfig().get("nesterov"));

        // CosineDecay with warmup; weighted_metrics are not restored (a warning)
        m = small();
        ModelConfig.compile(m, Configs.map(keras.get("cosine_weighted")));
        assertInstanceOf(RMSprop.class, m.optimizer());
        m.optimizer().iterations(5);
        assertEquals(0.1, m.optimizer().learningRate(), 1e-15);
        assertTrue(((SparseCategoricalCrossentropy) m.losses().get(0)).fromLogits());
        assertTrue(m.compileArguments().metrics().isEmpty());

        // dicts by output name: loss, loss_weights, metrics
        Model two = twoOutputs();
        ModelConfig.compile(two, Configs.map(keras.get("multi_dict")));
        assertInstanceOf(Huber.class, two.losses().get(0));
        assertInstanceOf(CategoricalCrossentropy.class, two.losses().get(1));
        assertArrayEquals(new double[] {2.0, 0.25}, two.lossWeights(), 0.0);
        assertEquals(List.of(List.of("mae"), List.of("accuracy")), two.compiledMetricIds());
        two.optimizer().iterations(15);
        assertEquals(0.01, two.optimizer().learningRate(), 0.0);

        // lists with one entry per output
        two = twoOutputs();
        ModelConfig.compile(two, Configs.map(keras.get("multi_list")));
        assertEquals("mean_squared_error", two.losses().get(0).name());
        assertEquals(List.of("mse", "CategoricalCrossentropy"), ((List<?>) two.compileArguments().loss()).stream()
                .map(l -> l instanceof Loss ll ? ll.getClass().getSimpleName() : l).toList());
        assertInstanceOf(CategoricalCrossentropy.class, two.losses().get(1));
        assertArrayEquals(new double[] {1.0, 0.5}, two.lossWeights(), 0.0);
        assertEquals(List.of(List.of("mae"), List.of("accuracy", "mse")), two.compiledMetricIds());
        two.optimizer().iterations(2);
        assertEquals(0.1 / 2, two.optimizer().learningRate(), 1e-15);

        // compile(optimizer=None, loss=None), and a model never compiled ({})
        m = small();
        ModelConfig.compile(m, Configs.map(keras.get("none")));
        assertTrue(m.isCompiled());
        assertNull(m.optimizer());
        assertNull(m.losses());
        m = small();
        ModelConfig.compile(m, Configs.map(keras.get("uncompiled")));
        assertFalse(m.isCompiled());
    }

    @Test
    void lossObjectsInEveryKerasForm() {
        // Keras 3 serialize_with_public_class: the public module, registered_name null
        Model a = compiledFrom("""
                {"optimizer": {"module": "keras.optimizers", "class_name": "Adam", "config": {"name": "adam",
                  "learning_rate": 0.0005000000237487257, "weight_decay": null, "clipnorm": null, "global_clipnorm": null,
                  "clipvalue": null, "use_ema": false, "ema_momentum": 0.99, "ema_overwrite_frequency": null,
                  "loss_scale_factor": null, "gradient_accumulation_steps": null, "beta_1": 0.9, "beta_2": 0.999,
                  "epsilon": 1e-07, "amsgrad": false}, "registered_name": null},
                 "loss": {"module": "keras.losses", "class_name": "CategoricalCrossentropy", "config": {"name": "categorical_crossentropy",
                  "reduction": "sum_over_batch_size", "from_logits": true, "label_smoothing": 0.1, "axis": -1}, "registered_name": null},
                 "loss_weights": null, "metrics": ["accuracy"], "weighted_metrics": null, "run_eagerly": false,
                 "steps_per_execution": 1, "jit_compile": false}""");
        assertInstanceOf(Adam.class, a.optimizer());
        assertEquals(0.0005000000237487257, a.optimizer().learningRate(), 0.0);
        CategoricalCrossentropy cce = (CategoricalCrossentropy) a.losses().get(0);
        assertTrue(cce.fromLogits());
        assertEquals(0.1, cce.labelSmoothing(), 0.0);
        // the source module, no registered_name, a dtype key
        Model b = compiledFrom("""
                {"optimizer": "adam", "loss": {"module": "keras.src.losses.losses", "class_name": "Huber",
                  "config": {"name": "huber_loss", "reduction": "sum", "delta": 2.5, "dtype": null}}}""");
        Huber h = (Huber) b.losses().get(0);
        assertEquals(2.5, h.delta(), 0.0);
        assertEquals("sum", h.reduction());
        // tf.keras 2: no module, reduction "auto", an integer label_smoothing; reduction null is "none"
        Model c = compiledFrom("""
                {"optimizer": "sgd", "loss": {"class_name": "BinaryCrossentropy", "config": {"reduction": "auto",
                  "name": "binary_crossentropy", "from_logits": true, "label_smoothing": 0, "axis": -1}}}""");
        assertEquals("sum_over_batch_size", c.losses().get(0).reduction());
        assertTrue(((BinaryCrossentropy) c.losses().get(0)).fromLogits());
        Model d = compiledFrom("""
                {"loss": {"module": "keras.losses", "class_name": "MeanSquaredError", "config": {"name": "mean_squared_error",
                  "reduction": null}, "registered_name": null}}""");
        assertEquals("none", d.losses().get(0).reduction());
        // Keras 3.0's LossFunctionWrapper form: the function and its arguments
        Model e = compiledFrom("""
                {"loss": {"module": "keras.losses", "class_name": "LossFunctionWrapper", "config": {"name": "cce",
                  "reduction": "sum_over_batch_size", "fn": {"module": "keras.losses", "class_name": "function",
                  "config": "categorical_crossentropy", "registered_name": "function"}, "from_logits": true}, "registered_name": null}}""");
        assertTrue(((CategoricalCrossentropy) e.losses().get(0)).fromLogits());
    }

    @Test
    void functionLossesInEveryKerasForm() {
        String[] forms = {
            // serialize_with_public_fn
            "{\"module\": \"keras.losses\", \"class_name\": \"function\", \"config\": \"categorical_crossentropy\", \"registered_name\": \"categorical_crossentropy\"}",
            // releases that wrote registered_name "function"
            "{\"module\": \"keras.losses\", \"class_name\": \"function\", \"config\": \"categorical_crossentropy\", \"registered_name\": \"function\"}",
            // a non-exported function: its source module
            "{\"module\": \"keras.src.losses.losses\", \"class_name\": \"function\", \"config\": \"categorical_crossentropy\", \"registered_name\": \"categorical_crossentropy\"}",
            "{\"module\": \"builtins\", \"class_name\": \"function\", \"config\": \"categorical_crossentropy\", \"registered_name\": null}",
        };
        for (String f : forms) {
            Model m = compiledFrom("{\"optimizer\": \"adam\", \"loss\": " + f + "}");
            assertEquals("categorical_crossentropy", m.compileArguments().loss(), f);
            assertInstanceOf(CategoricalCrossentropy.class, m.losses().get(0));
        }
    }

    @Test
    void metricsInEveryKerasForm() {
        Model m = compiledFrom("""
                {"optimizer": "adam", "loss": "categorical_crossentropy", "metrics": ["acc", "accuracy", "mae",
                  {"module": "keras.metrics", "class_name": "BinaryAccuracy", "config": {"name": "bin", "dtype": "float32",
                   "threshold": 0.7}, "registered_name": null},
                  {"module": "keras.src.metrics.accuracy_metrics", "class_name": "function", "config": "categorical_accuracy",
                   "registered_name": "categorical_accuracy"},
                  {"class_name": "MeanMetricWrapper", "config": {"name": "wrapped", "dtype": "float32", "fn": "categorical_accuracy"}},
                  {"module": "keras.metrics", "class_name": "Precision", "config": {"name": "precision", "dtype": "float32",
                   "thresholds": [0.4], "top_k": null, "class_id": null}, "registered_name": null},
                  "compile_metrics",
                  {"module": "keras.metrics", "class_name": "F1Score", "config": {"name": "f1"}, "registered_name": null},
                  {"module": "keras.metrics", "class_name": "AUC", "config": {"name": "auc", "dtype": "float32", "num_thresholds": 200,
                   "curve": "ROC", "summation_method": "interpolation", "multi_label": true, "num_labels": null,
                   "label_weights": null, "from_logits": false}, "registered_name": null}]}""");
        // "compile_metrics" and F1Score are unknown, and multi_label AUC is one Cornu cannot compute: dropped, with warnings
        INDArray x = data(2, 4, 4);
        INDArray y = Nd4j.eye(3).getRows(0, 1, 2, 0).castTo(DataType.FLOAT);
        assertEquals(8, m.evaluate(x, y, org.cornu.core.Evaluate.verbose(0)).length);
        assertEquals(List.of("loss", "acc", "accuracy", "mae", "bin", "categorical_accuracy", "wrapped", "precision"), m.metricsNames());
        List<Object> ms = m.compileArguments().metrics();
        assertEquals(0.7, ((BinaryAccuracy) ms.get(3)).threshold(), 0.0);
        assertInstanceOf(CategoricalAccuracy.class, ms.get(5));
        assertEquals(0.4, ((Precision) ms.get(6)).threshold(), 0.0);
        // tf.keras 2 nested the metrics of a single output: [[...]]
        Model n = compiledFrom("{\"loss\": \"mse\", \"metrics\": [[\"mae\", \"mse\"]]}");
        assertEquals(List.of(List.of("mae", "mse")), n.compiledMetricIds());
    }

    @Test
    void nullOptimizerCompilesAModelThatEvaluatesButCannotTrain() {
        // compile(optimizer=None): optimizers.get(None) is None (keras/src/optimizers/__init__.py)
        Model m = compiledFrom("{\"optimizer\": null, \"loss\": \"mse\", \"metrics\": [\"mae\"]}");
        assertTrue(m.isCompiled());
        assertNull(m.optimizer());
        INDArray x = data(3, 5, 4);
        INDArray y = data(4, 5, 3);
        INDArray p = m.predict(x);
        double mae = p.sub(y).norm1Number().doubleValue() / 15;
        assertEquals(mae, m.evaluate(x, y, org.cornu.core.Evaluate.verbose(0))[1], 1e-6);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.fit(x, y, Fit.epochs(1).verbose(0)));
        assertTrue(e.getMessage().contains("without an optimizer"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> m.trainOnBatch(x, y));
        // and it saves as it was read
        assertNull(ModelConfig.compileConfig(m).get("optimizer"));
    }

    @Test
    void nullLossCompilesWithoutALoss() {
        // compile(loss=None) is allowed; compute_loss then raises "No loss to compute" (keras/src/trainers/trainer.py)
        Model m = compiledFrom("{\"optimizer\": \"adam\", \"loss\": null, \"metrics\": null}");
        assertTrue(m.isCompiled());
        assertNull(m.losses());
        assertInstanceOf(Adam.class, m.optimizer());
        INDArray x = data(3, 5, 4);
        assertEquals(5, m.predict(x).rows());
        assertThrows(IllegalStateException.class, () -> m.evaluate(x, data(4, 5, 3), org.cornu.core.Evaluate.verbose(0)));
        assertNull(ModelConfig.compileConfig(m).get("loss"));
    }

    @Test
    void emptyOrNullCompileConfigLeavesTheModelUncompiled() {
        // serialization_lib: `if compile_config: instance.compile_from_config(compile_config)`
        Model m = compiledFrom("{}");
        assertFalse(m.isCompiled());
        Map<String, Object> top = ModelConfig.serialize(small());
        top.put("compile_config", Map.of());
        assertFalse(ModelConfig.deserialize(top, true).isCompiled());
        top.put("compile_config", null);
        assertFalse(ModelConfig.deserialize(top, true).isCompiled());
    }

    @Test
    void unknownKeysAreIgnored() {
        Model m = compiledFrom("{\"optimizer\": \"adam\", \"loss\": \"mse\", \"auto_scale_loss\": true, \"some_future_key\": 3,"
                + " \"steps_per_execution\": 4, \"weighted_metrics\": [\"mae\"]}");
        assertTrue(m.isCompiled());
        assertEquals(List.of("loss"), m.metricsNames());
    }

    @Test
    void kerasOptionsThatWouldChangeTrainingAreClearErrors() {
        String[][] cases = {
            {"{\"loss\": {\"class_name\": \"SparseCategoricalCrossentropy\", \"config\": {\"from_logits\": false, \"ignore_class\": 0}}}",
                "ignore_class"},
            {"{\"loss\": {\"class_name\": \"MeanSquaredError\", \"config\": {\"reduction\": \"mean_with_sample_weight\"}}}",
                "mean_with_sample_weight"},
            {"{\"loss\": {\"module\": \"keras.losses\", \"class_name\": \"LogCosh\", \"config\": {}, \"registered_name\": null}}", "LogCosh"},
            {"{\"loss\": \"crossentropy_of_my_own\"}", "crossentropy_of_my_own"},
            {"{\"loss\": \"mse\", \"optimizer\": {\"class_name\": \"Adam\", \"config\": {\"use_ema\": true}}}", "use_ema"},
            {"{\"loss\": \"mse\", \"optimizer\": {\"class_name\": \"Adam\", \"config\": {\"gradient_accumulation_steps\": 4}}}",
                "gradient_accumulation_steps"},
            {"{\"loss\": \"mse\", \"optimizer\": {\"class_name\": \"SGD\", \"config\": {\"some_option\": 0.3}}}", "some_option"},
            {"{\"loss\": \"mse\", \"optimizer\": {\"class_name\": \"Lion\", \"config\": {}}}", "Lion"},
            {"{\"loss\": \"mse\", \"optimizer\": {\"class_name\": \"SGD\", \"config\": {\"learning_rate\": {\"module\":"
                + " \"keras.optimizers.schedules\", \"class_name\": \"CosineDecayRestarts\", \"config\": {\"initial_learning_rate\": 0.1,"
                + " \"first_decay_steps\": 10}, \"registered_name\": null}}}}", "CosineDecayRestarts"},
        };
        for (String[] c : cases) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> compiledFrom(c[0]), c[0]);
            assertTrue(e.getMessage().contains(c[1]), e.getMessage());
            assertTrue(e.getMessage().contains("compile=false"), e.getMessage());
        }
    }

    @Test
    void schedulesInKerasForms() {
        // Keras 3: learning_rate_schedule.serialize -> serialize_keras_object
        Model m = compiledFrom("""
                {"loss": "mse", "optimizer": {"module": "keras.optimizers", "class_name": "SGD", "config": {"name": "SGD",
                  "learning_rate": {"module": "keras.optimizers.schedules", "class_name": "PiecewiseConstantDecay",
                   "config": {"boundaries": [100, 200], "values": [0.1, 0.01, 0.001], "name": "PiecewiseConstant"},
                   "registered_name": null}, "momentum": 0.9, "nesterov": true}, "registered_name": null}}""");
        SGD sgd = (SGD) m.optimizer();
        assertEquals(0.9, (double) sgd.getConfig().get("momentum"), 0.0);
        assertEquals(Boolean.TRUE, sgd.getConfig().get("nesterov"));
        for (long[] s : new long[][] {{100, 10}, {101, 100}, {201, 1000}}) {
            sgd.iterations(s[0]);
            assertEquals(1.0 / s[1], sgd.learningRate(), 1e-15);
        }
        // without module and registered_name, decay_steps written as a float
        Model n = compiledFrom("""
                {"loss": "mse", "optimizer": {"class_name": "Adam", "config": {"learning_rate": {"class_name": "InverseTimeDecay",
                  "config": {"initial_learning_rate": 0.1, "decay_steps": 1.0, "decay_rate": 0.5, "staircase": false,
                  "name": "InverseTimeDecay"}}}}}""");
        n.optimizer().iterations(2);
        assertEquals(0.1 / (1 + 0.5 * 2), n.optimizer().learningRate(), 1e-15);
    }

    @Test
    void keras2OptimizerConfigsWithLrAndDecay() {
        // k2_ikukang_mnist_cnn.h5 (Keras 2.3.1): decay 0.0 changes nothing
        Optimizer o = ModelConfig.deserializeOptimizer(json("""
                {"class_name": "RMSprop", "config": {"learning_rate": 0.0010000000474974513, "rho": 0.8999999761581421,
                 "decay": 0.0, "epsilon": 1e-07}}"""));
        assertInstanceOf(RMSprop.class, o);
        assertNull(o.schedule());
        assertEquals(0.8999999761581421, (double) o.getConfig().get("rho"), 0.0);
        // Keras 2's lr and a nonzero decay: lr / (1 + decay * iterations)
        Optimizer a = ModelConfig.deserializeOptimizer(json("""
                {"class_name": "Adam", "config": {"lr": 0.002, "beta_1": 0.8, "beta_2": 0.999, "decay": 0.01,
                 "epsilon": 1e-07, "amsgrad": false}}"""));
        assertEquals(0.002, a.learningRate(), 0.0);
        a.iterations(10);
        assertEquals(0.002 / 1.1, a.learningRate(), 1e-15);
        assertEquals(0.8, (double) a.getConfig().get("beta_1"), 0.0);
    }

    @Test
    void multiOutputConfigsByOutputName() {
        KerasTensor in = Input.of("in", 4);
        KerasTensor a = new Dense(2).name("reg").apply(in);
        KerasTensor b = new Dense(3, "softmax").name("cls").apply(in);
        Model m = new Model(List.of(in), List.of(a, b), "two");
        // Keras 3 takes dicts keyed by output name for loss, loss_weights and metrics
        ModelConfig.compile(m, json("""
                {"optimizer": "adam", "loss": {"cls": "categorical_crossentropy", "reg": {"module": "keras.losses",
                  "class_name": "Huber", "config": {"name": "huber_loss", "reduction": "sum_over_batch_size", "delta": 2.0},
                  "registered_name": null}},
                 "loss_weights": {"cls": 0.25, "reg": 2.0}, "metrics": {"cls": "accuracy", "reg": ["mae"]}}"""));
        assertInstanceOf(Huber.class, m.losses().get(0));
        assertInstanceOf(CategoricalCrossentropy.class, m.losses().get(1));
        assertArrayEquals(new double[] {2.0, 0.25}, m.lossWeights(), 0.0);
        assertEquals(List.of(List.of("mae"), List.of("accuracy")), m.compiledMetricIds());
        // a Keras 3 list: one entry per output, a single metric or a list
        ModelConfig.compile(m, json("{\"loss\": [\"mse\", \"categorical_crossentropy\"], \"loss_weights\": [1, 0.5],"
                + " \"metrics\": [\"mae\", [\"accuracy\", \"mse\"]]}"));
        assertEquals(List.of(List.of("mae"), List.of("accuracy", "mse")), m.compiledMetricIds());
        assertArrayEquals(new double[] {1.0, 0.5}, m.lossWeights(), 0.0);
        INDArray x = data(6, 4, 4);
        INDArray[] ys = {data(7, 4, 2), Nd4j.eye(3).getRows(0, 1, 2, 0).castTo(DataType.FLOAT)};
        assertEquals(6, m.evaluate(new INDArray[] {x}, ys, org.cornu.core.Evaluate.verbose(0)).length);
        assertEquals(List.of("loss", "reg_loss", "cls_loss", "reg_mae", "cls_accuracy", "cls_mse"), m.metricsNames());
    }

    @Test
    void aSingleLossWeightIsANumber() {
        // CompileLoss accepts a float for a single output
        Model m = compiledFrom("{\"loss\": \"mse\", \"loss_weights\": 0.5}");
        assertArrayEquals(new double[] {0.5}, m.lossWeights(), 0.0);
        assertTrue(m.compileArguments().metrics().isEmpty());
    }
}
