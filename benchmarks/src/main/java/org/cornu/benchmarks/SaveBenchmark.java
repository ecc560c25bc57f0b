package org.cornu.benchmarks;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.cornu.core.Sequential;
import org.cornu.core.saving.Models;
import org.cornu.layers.Dense;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * {@code save}: saving and loading a 5 MB model, 784 → Dense 1568 relu → Dense 10 softmax
 * (1.25 M float32 weights, 4.99 MB), in milliseconds per save or load. {@code model=plain}: the
 * weights only (never compiled); {@code model=compiled}: compiled with Adam and trained one step,
 * so the file also holds Adam's two slots per weight (14.96 MB in all). {@code format=keras} is
 * {@code model.save(...)} and {@code Models.loadModel}; {@code format=weights_h5} is
 * {@code model.saveWeights(...)} and {@code model.loadWeights} into the same model. DL4J
 * ({@code lib=dl4j}, format ignored) saves and restores the same network with
 * {@code ModelSerializer} (its updater state for {@code compiled}). Files go to a fresh folder
 * under {@code java.io.tmpdir}; every save replaces the previous file.
 *
 * <p>{@code save} and {@code load} are steady-state averages; {@code firstSave} is the first save
 * in a fresh JVM (one shot per fork, after building and training the model, with class loading,
 * JSON and JIT warm-up included), what a script that trains once and saves once sees.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0"})
public class SaveBenchmark {
    /** The library: {@code "cornu"} or {@code "dl4j"}. */
    @Param({"cornu", "dl4j"})
    public String lib;

    /** {@code "plain"} (weights only) or {@code "compiled"} (with the optimizer's state after one step). */
    @Param({"plain", "compiled"})
    public String model;

    /** Cornu's file: {@code "keras"} ({@code model.keras}) or {@code "weights_h5"} ({@code model.weights.h5}); DL4J writes its zip. */
    @Param({"keras", "weights_h5"})
    public String format;

    private Path dir;
    private Path file;
    private Sequential cornu;
    private MultiLayerNetwork dl4j;

    /**
     * Builds the model (Dense 1568 relu over 784 inputs, Dense 10 softmax; Adam when compiled) in a temporary
     * folder, and saves it once unless the benchmark is {@code firstSave}.
     *
     * @param params JMH's parameters, to tell the benchmark method
     * @throws IOException if the temporary folder cannot be made
     */
    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) throws IOException {
        org.cornu.core.Cornu.chooseThreads();
        dir = Files.createTempDirectory("cornu-save-bench");
        boolean compiled = model.equals("compiled");
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.FLOAT, 32, 784);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 32, 10);
        for (int i = 0; i < 32; i++) y.putScalar(i, i % 10, 1f);
        if (lib.equals("cornu")) {
            org.cornu.core.Cornu.setSeed(1);
            cornu = new Sequential(new Dense(1568, "relu").inputShape(784), new Dense(10, "softmax"));
            if (compiled) {
                cornu.compile("adam", "categorical_crossentropy");
                cornu.trainOnBatch(x, y);
            }
            file = dir.resolve(format.equals("keras") ? "model.keras" : "model.weights.h5");
        } else {
            dl4j = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                    .seed(1)
                    .dataType(DataType.FLOAT)
                    .updater(new Adam(0.001, 0.9, 0.999, 1e-7))
                    .weightInit(WeightInit.XAVIER_UNIFORM)
                    .list()
                    .layer(new DenseLayer.Builder().nIn(784).nOut(1568).activation(Activation.RELU).build())
                    .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(1568).nOut(10)
                            .activation(Activation.SOFTMAX).build())
                    .build());
            dl4j.init();
            if (compiled) dl4j.fit(x, y);
            file = dir.resolve("model.zip");
        }
        if (!params.getBenchmark().endsWith(".firstSave")) save(); // the file load() reads
    }

    /**
     * Deletes the temporary folder.
     *
     * @throws IOException if a file cannot be deleted
     */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** Saves the model: Cornu's {@code save} or {@code saveWeights}, DL4J's {@code ModelSerializer.writeModel}. */
    @Benchmark
    public void save() {
        if (cornu != null) {
            if (format.equals("keras")) cornu.save(file);
            else cornu.saveWeights(file);
            return;
        }
        try {
            ModelSerializer.writeModel(dl4j, file.toFile(), model.equals("compiled"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first save of the JVM. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 0)
    @Measurement(iterations = 1)
    @Fork(value = 5, jvmArgsAppend = {"-Xmx4g", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0"})
    public void firstSave() {
        save();
    }

    /**
     * Loads the saved file: Cornu's {@code Models.loadModel} or {@code loadWeights}, DL4J's
     * {@code ModelSerializer.restoreMultiLayerNetwork}.
     *
     * @return the loaded model, so that JMH keeps it
     */
    @Benchmark
    public Object load() {
        if (cornu != null) {
            if (format.equals("keras")) return Models.loadModel(file);
            cornu.loadWeights(file);
            return cornu;
        }
        try {
            File f = file.toFile();
            return ModelSerializer.restoreMultiLayerNetwork(f, model.equals("compiled"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
