package org.cornu.benchmarks;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cornu.core.Sequential;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
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
import org.openjdk.jmh.annotations.Warmup;

/** One training epoch of a workload, in Cornu or DL4J (seconds per epoch, lower is better). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
// both libraries run with JavaCPP's physical-memory check off, as Cornu sets it by default (see Cornu)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0"})
public class TrainBenchmark {
    /** The workload: one of {@link Workloads}' specs, {@code "convnet"}, {@code "transformer"}, or one of {@link RnnWorkloads}. */
    @Param({"mlp", "reuters", "imdb_dense", "boston_b1", "convnet", "lstm_ts", "imdb_lstm", "transformer"})
    public String workload;

    /** The library: {@code "cornu"} or {@code "dl4j"}. */
    @Param({"cornu", "dl4j"})
    public String lib;

    private Workloads.Spec spec;
    private INDArray[] data;
    private Sequential cornu;
    private MultiLayerNetwork dl4j;
    private List<DataSet> batches;
    private Runnable other;

    /** Builds the workload's model and data in the chosen library, with the same BLAS thread setting for both. */
    @Setup(Level.Trial)
    public void setUp() {
        // the same BLAS thread setting for both libraries (see Cornu.chooseThreads)
        org.cornu.core.Cornu.chooseThreads();
        if (workload.equals("convnet")) {
            // the book's MNIST convnet on the first 3200 real MNIST images (Bench scales to 60000)
            other = ConvnetEpochCompare.epoch(lib, ConvnetEpochCompare.BENCH_SAMPLES);
            return;
        }
        if (workload.equals("transformer")) {
            if (!lib.equals("cornu")) throw new IllegalArgumentException("transformer: Cornu only (DL4J has no such model here)");
            other = TransformerWorkload.epoch();
            return;
        }
        if (workload.equals("lstm_ts") || workload.equals("imdb_lstm")) {
            other = RnnWorkloads.epoch(workload, lib);
            return;
        }
        spec = Workloads.spec(workload);
        data = Workloads.data(spec);
        if (lib.equals("cornu")) {
            cornu = Workloads.cornu(spec);
        } else {
            dl4j = Workloads.dl4j(spec);
            batches = Workloads.dl4jBatches(data, spec);
        }
    }

    /** One training epoch of the workload. */
    @Benchmark
    public void epoch() {
        if (other != null) {
            other.run();
            return;
        }
        if (cornu != null) Workloads.cornuEpoch(cornu, data, spec);
        else Workloads.dl4jEpoch(dl4j, batches);
    }
}
