package org.cornu.benchmarks;

import java.util.concurrent.TimeUnit;
import org.cornu.core.Sequential;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code predict_latency}: one-sample prediction of the MNIST dense model (microseconds), on a
 * real MNIST test digit ({@code input=digit}: the first test image, scaled to [0, 1]; about 19%
 * of its pixels are nonzero) and on uniform noise in [0, 1) ({@code input=noise}: every pixel
 * nonzero). Without the MNIST file, {@code digit} is a centred 12x13 block of 0.5 (156 nonzero
 * pixels, a digit's count).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
// both libraries run with JavaCPP's physical-memory check off, as Cornu sets it by default (see Cornu)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0"})
public class PredictBenchmark {
    /** The library: {@code "cornu"} or {@code "dl4j"}. */
    @Param({"cornu", "dl4j"})
    public String lib;

    /** The input: {@code "digit"} (the first MNIST test image, or a drawn block without the file) or {@code "noise"}. */
    @Param({"digit", "noise"})
    public String input;

    private Sequential cornu;
    private MultiLayerNetwork dl4j;
    private INDArray x;

    /** Builds the MNIST network of {@link Workloads#MLP} in the chosen library and its one-sample input. */
    @Setup
    public void setUp() {
        // the same BLAS thread setting for both libraries (see Cornu.chooseThreads)
        org.cornu.core.Cornu.chooseThreads();
        x = input.equals("noise") ? Nd4j.rand(DataType.FLOAT, 1, 784) : digit();
        if (lib.equals("cornu")) cornu = Workloads.cornu(Workloads.MLP);
        else dl4j = Workloads.dl4j(Workloads.MLP);
    }

    static INDArray digit() {
        try {
            INDArray t = org.cornu.datasets.Mnist.loadData().xTest();
            return t.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0)).reshape(1, 784).castTo(DataType.FLOAT).divi(255);
        } catch (RuntimeException e) {
            float[] v = new float[784];
            for (int r = 8; r < 20; r++) for (int c = 9; c < 22; c++) v[r * 28 + c] = 0.5f;
            return Nd4j.create(v, new long[] {1, 784}, 'c');
        }
    }

    /**
     * One prediction of one sample.
     *
     * @return the prediction {@code (1, 10)}, so that JMH keeps it
     */
    @Benchmark
    public INDArray predict() {
        return cornu != null ? cornu.predict(x) : dl4j.output(x);
    }
}
