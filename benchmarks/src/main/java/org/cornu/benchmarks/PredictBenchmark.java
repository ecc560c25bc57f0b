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

/** {@code predict_latency}: one-sample prediction of the MNIST dense model (microseconds). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class PredictBenchmark {
    @Param({"cornu", "dl4j"})
    public String lib;

    private Sequential cornu;
    private MultiLayerNetwork dl4j;
    private INDArray x;

    @Setup
    public void setUp() {
        // the same BLAS thread setting for both libraries (see Cornu.chooseThreads)
        org.cornu.core.Cornu.chooseThreads();
        x = Nd4j.rand(DataType.FLOAT, 1, 784);
        if (lib.equals("cornu")) cornu = Workloads.cornu(Workloads.MLP);
        else dl4j = Workloads.dl4j(Workloads.MLP);
    }

    @Benchmark
    public INDArray predict() {
        return cornu != null ? cornu.predict(x) : dl4j.output(x);
    }
}
