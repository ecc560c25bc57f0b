package org.cornu.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cornu.core.Cornu;
import org.cornu.datasets.DatasetFiles;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs the JMH suite (Cornu and DL4J on each workload, one run), then PyTorch on the same
 * workloads ({@link TorchPeer}, when a python with torch is found; {@code --no-torch} skips it),
 * and prints the summary table: workload, Cornu, DL4J, PyTorch, Cornu's time over each, the
 * limit the row is bound by with Cornu's share of it (this machine's sgemm peak, measured in the
 * same run, for the rows whose FLOPs are counted), and the targets of the performance issue
 * (an absolute number and at most 0.7 of PyTorch's time). {@code --threads 1,2} runs the whole
 * suite once per thread count, every library with that many threads, and prints one table each.
 * Usage: {@code java -jar benchmarks/target/cornu-benchmarks.jar [--quick] [--only mlp,boston_b1,...]
 * [--threads N[,M...]] [--no-torch] [--torch-threads N] [--python PATH]}.
 */
public final class Bench {
    private Bench() {}

    /** Cornu's time over PyTorch's that every workload must stay within (the performance issue). */
    static final double PEER_RATIO_TARGET = 0.7;

    /**
     * FLOPs of one training sample of the book's convnet: each convolution's forward product, its
     * kernel gradient and (but for the first) its input gradient, and the two dense layers'.
     */
    static final double CONVNET_FLOPS_PER_SAMPLE =
            2.0 * (26 * 26 * 32 * 9) * 2 // conv1: forward and kernel gradient (the input needs none)
            + 3 * 2.0 * (11 * 11 * 64 * 288) // conv2
            + 3 * 2.0 * (3 * 3 * 64 * 576) // conv3
            + 3 * 2.0 * (576 * 64 + 64 * 10); // dense layers

    /**
     * Runs the suite and prints the summary table.
     *
     * @param args {@code --quick} for short runs, {@code --only a,b,...} to pick workloads,
     *     {@code --threads 1,2} for one run and table per thread count
     * @throws RunnerException if JMH fails
     */
    public static void main(String[] args) throws RunnerException {
        boolean quick = Arrays.asList(args).contains("--quick");
        boolean torch = !Arrays.asList(args).contains("--no-torch");
        Integer torchThreads = null;
        String python = null;
        List<Integer> threadCounts = new ArrayList<>();
        List<String> only = new ArrayList<>(List.of("mlp", "reuters", "imdb_dense", "boston_b1", "convnet", "lstm_ts", "imdb_lstm",
                "transformer", "predict_latency", "save"));
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--only") && i + 1 < args.length) only = List.of(args[++i].split(","));
            else if (args[i].equals("--torch-threads") && i + 1 < args.length) torchThreads = Integer.parseInt(args[++i]);
            else if (args[i].equals("--threads") && i + 1 < args.length) {
                for (String t : args[++i].split(",")) {
                    int n = Integer.parseInt(t.trim());
                    if (n < 1) throw new IllegalArgumentException("--threads: thread counts must be >= 1, got " + n);
                    threadCounts.add(n);
                }
            } else if (args[i].equals("--python") && i + 1 < args.length) python = args[++i];
            else if (args[i].equals("--help")) {
                System.out.println("Usage: java -jar cornu-benchmarks.jar [--quick] [--only mlp,reuters,imdb_dense,boston_b1,convnet,lstm_ts,"
                        + "imdb_lstm,transformer,predict_latency,save] [--threads N[,M...]] [--no-torch] [--torch-threads N] [--python PATH]");
                System.out.println("  --threads N,M      one whole run per thread count (Cornu, DL4J and PyTorch alike); default: Cornu's choice");
                System.out.println("  --no-torch         skip the PyTorch peer (benchmarks/peers/torch_book.py)");
                System.out.println("  --torch-threads N  torch.set_num_threads for the peer (default: the run's thread count)");
                System.out.println("  --python PATH      the python with torch (default: $CORNU_PYTHON, else python3 or /usr/bin/python3)");
                return;
            }
        }
        Cornu.chooseThreads();
        boolean mnist = mnistFound();
        if (!mnist && (only.contains("mlp") || only.contains("convnet") || only.contains("predict_latency"))) {
            System.out.println("MNIST not found (set CORNU_DATASETS to the folder holding mnist.npz): mlp trains on"
                    + " random pixels of MNIST's shape, predict_latency predicts a synthetic digit, and convnet, which needs real digits, is not run");
            only = new ArrayList<>(only);
            only.remove("convnet");
        }
        if (threadCounts.isEmpty()) threadCounts.add(null);
        for (Integer threads : threadCounts) run(only, quick, torch, threads, torchThreads, python);
    }

    /** One whole run of the suite with {@code threads} threads for every library (Cornu's choice when null), and its table. */
    private static void run(List<String> only, boolean quick, boolean torch, Integer threads, Integer torchThreads, String python)
            throws RunnerException {
        if (threads != null) {
            Cornu.setNumThreads(threads);
            System.out.println();
            System.out.println("=== " + threads + " thread(s) ===");
        }
        // each JMH fork gets the same setting (TrainBenchmark passes it to DL4J's ND4J too)
        String[] forkArgs = threads == null ? new String[0] : new String[] {"-Dcornu.threads=" + threads};
        int blasThreads = Nd4j.factory().blas().getMaxThreads();
        double nd4jPeak = sgemmPeak(Route.ND4J), dnnlPeak = sgemmPeak(Route.ONEDNN), blasPeak = sgemmPeak(Route.OPENBLAS);
        // the rows' shares are of the fastest route's
        double peak = Math.max(nd4jPeak, Math.max(dnnlPeak, blasPeak));
        System.out.printf(Locale.ROOT, "sgemm peak on this machine (1024^3, %d BLAS thread(s)): Nd4j.gemm %.1f GFLOP/s,"
                + " oneDNN's matmul (Cornu's Gemm) %.1f GFLOP/s, OpenBLAS's cblas_sgemm (Cornu's Gemm, cornu.dnnl.matmul off)"
                + " %.1f GFLOP/s%n", blasThreads, nd4jPeak / 1e9, dnnlPeak / 1e9, blasPeak / 1e9);

        Map<String, double[]> results = new LinkedHashMap<>();
        List<String> train = new ArrayList<>(only);
        train.remove("predict_latency");
        train.remove("save");
        for (String w : train) {
            System.out.println("running " + w + " ...");
            ChainedOptionsBuilder o = new OptionsBuilder()
                    .include(TrainBenchmark.class.getName())
                    .param("workload", w)
                    .jvmArgsPrepend(forkArgs)
                    .verbosity(VerboseMode.SILENT);
            if (quick) o.warmupIterations(1).measurementIterations(2);
            if (w.equals("transformer")) o.param("lib", "cornu"); // no DL4J model
            // epochs of a few milliseconds (303 steps at batch 1) or a tenth of a second: one warm-up
            // epoch leaves the JIT cold for both libraries, so these get more (still seconds in all);
            // Cornu's batch-1 step reaches its steady state after some 50 epochs (15,000 steps): epochs
            // 21-40 averaged 8.4 ms, 41-160 5.1-5.9 ms in a plain loop, so boston_b1 warms up for 60
            if (w.equals("boston_b1")) o.warmupIterations(60).measurementIterations(20);
            if (w.equals("lstm_ts")) o.warmupIterations(5).measurementIterations(quick ? 3 : 5);
            // sub-second epochs of 16 to 30 steps: per-step code reaches C2 only after many epochs (JIT
            // threads still take 100-300 ms of an epoch's CPU before; the IMDB model's epochs fell from
            // 0.17 to 0.10 s between epochs 10 and 17 in a plain loop), so both libraries get twenty
            // warm-up epochs, then five measured; seconds in all
            if (w.equals("reuters") || w.equals("imdb_dense")) o.warmupIterations(20).measurementIterations(5);
            results.put(w, scores(new Runner(o.build()).run()));
        }
        if (only.contains("predict_latency")) {
            System.out.println("running predict_latency ...");
            ChainedOptionsBuilder o = new OptionsBuilder().include(PredictBenchmark.class.getName()).jvmArgsPrepend(forkArgs)
                    .verbosity(VerboseMode.SILENT);
            if (quick) o.warmupIterations(2).measurementIterations(3).warmupTime(TimeValue.seconds(1)).measurementTime(TimeValue.seconds(1));
            Collection<RunResult> rr = new Runner(o.build()).run();
            results.put("predict_latency", scores(rr, "digit"));
            results.put("predict_latency_noise", scores(rr, "noise"));
        }
        Collection<RunResult> saves = List.of();
        if (only.contains("save")) {
            System.out.println("running save ...");
            saves = new ArrayList<>();
            // Cornu: both formats; DL4J: its one zip format, with or without the updater
            for (String lib : List.of("cornu", "dl4j")) {
                ChainedOptionsBuilder o = new OptionsBuilder().include(SaveBenchmark.class.getName()).param("lib", lib)
                        .jvmArgsPrepend(forkArgs).verbosity(VerboseMode.SILENT);
                if (lib.equals("dl4j")) o.param("format", "keras");
                if (quick) o.warmupIterations(2).measurementIterations(3);
                saves.addAll(new Runner(o.exclude("firstSave").build()).run());
                // the first save in a fresh JVM: one shot in each of several forks, .keras only
                ChainedOptionsBuilder first = new OptionsBuilder().include(SaveBenchmark.class.getName() + ".firstSave")
                        .param("lib", lib).param("format", "keras").jvmArgsPrepend(forkArgs).verbosity(VerboseMode.SILENT);
                if (quick) first.forks(3);
                saves.addAll(new Runner(first.build()).run());
            }
        }

        TorchPeer.Results pt = torch ? TorchPeer.run(only, quick, torchThreads != null ? torchThreads : blasThreads, python) : null;
        if (!torch) System.out.println("PyTorch peer skipped (--no-torch)");

        System.out.println();
        if (pt != null) {
            System.out.printf(Locale.ROOT, "PyTorch: %s; sgemm 1024^3 through torch.mm: %.1f GFLOP/s%n", pt.info(), pt.sgemmGflops());
        }
        System.out.println("| workload | Cornu | DL4J | PyTorch | Cornu/DL4J | Cornu/PyTorch | limit: Cornu's share | target | met |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        String sgemm = "sgemm peak: ";
        for (Map.Entry<String, double[]> e : results.entrySet()) {
            String w = e.getKey();
            double c = e.getValue()[0], d = e.getValue()[1];
            // PyTorch's time in the same unit as Cornu's (s/epoch or us), and Cornu's time over it
            double t = pt == null ? Double.NaN : pt.get(switch (w) {
                case "predict_latency" -> "predict_latency:digit";
                case "predict_latency_noise" -> "predict_latency:noise";
                default -> w;
            });
            String ct = ratio(c, t);
            // met: the absolute target, and at most PEER_RATIO_TARGET of PyTorch's time when PyTorch ran
            boolean peerOk = Double.isNaN(t) || c / t <= PEER_RATIO_TARGET;
            String peerTarget = String.format(Locale.ROOT, " and <= %.1fx PyTorch", PEER_RATIO_TARGET);
            if (w.equals("predict_latency")) {
                System.out.printf(Locale.ROOT, "| predict_latency (MNIST digit) | %.1f us | %.1f us | %s | %.2f | %s | per-call overhead | <= 15 us%s | %s |%n",
                        c, d, peer(t, "%.1f us", 1), c / d, ct, peerTarget, yes(c <= 15 && peerOk));
                continue;
            }
            if (w.equals("predict_latency_noise")) {
                System.out.printf(Locale.ROOT, "| predict_latency (noise input) | %.1f us | %.1f us | %s | %.2f | %s | per-call overhead | - | - |%n",
                        c, d, peer(t, "%.1f us", 1), c / d, ct);
                continue;
            }
            if (w.equals("convnet")) {
                double scale = 60000.0 / ConvnetEpochCompare.BENCH_SAMPLES;
                double share = CONVNET_FLOPS_PER_SAMPLE * ConvnetEpochCompare.BENCH_SAMPLES / c / peak * 100;
                System.out.printf(Locale.ROOT, "| convnet | %.1f s/epoch | %.1f s/epoch | %s | %.2f | %s | %s%.1f%% | <= 10 s/epoch%s | %s |%n",
                        c * scale, d * scale, peer(t, "%.1f s/epoch", scale), c / d, ct, sgemm, share, peerTarget,
                        yes(c * scale <= 10 && peerOk));
                continue;
            }
            if (w.equals("lstm_ts")) {
                System.out.printf(Locale.ROOT, "| lstm_ts | %.3f s/epoch | %.3f s/epoch | %s | %.2f | %s | per-step overhead | <= 0.05 s/epoch%s | %s |%n",
                        c, d, peer(t, "%.3f s/epoch", 1), c / d, ct, peerTarget, yes(c <= 0.05 && peerOk));
                continue;
            }
            if (w.equals("imdb_lstm")) {
                int n = RnnWorkloads.samples(w);
                System.out.printf(Locale.ROOT, "| imdb_lstm | %.0f samples/s | %.0f samples/s | %s | %.2f | %s | small products per time step | >= 1500 samples/s%s | %s |%n",
                        n / c, n / d, peerRate(t, n, "samples/s"), c / d, ct, peerTarget, yes(n / c >= 1500 && peerOk));
                continue;
            }
            if (w.equals("transformer")) {
                int n = TransformerWorkload.SAMPLES;
                System.out.printf(Locale.ROOT, "| transformer (length %d) | %.1f samples/s | - | %s | - | %s | - | <= %.1fx PyTorch | %s |%n",
                        TransformerWorkload.LENGTH, n / c, peerRate(t, n, "samples/s"), ct, PEER_RATIO_TARGET,
                        Double.isNaN(t) ? "-" : yes(peerOk));
                continue;
            }
            Workloads.Spec s = Workloads.spec(w);
            double peakShare = s.flopsPerEpoch() / c / peak * 100;
            if (w.equals("boston_b1")) {
                System.out.printf(Locale.ROOT, "| boston_b1 | %.0f steps/s | %.0f steps/s | %s | %.1fx the steps/s | %s | per-step overhead | >= 50000 steps/s%s | %s |%n",
                        s.samples() / c, s.samples() / d, peerRate(t, s.samples(), "steps/s"), d / c, ct, peerTarget,
                        yes(s.samples() / c >= 50000 && peerOk));
            } else {
                double target = ABSOLUTE_TARGETS.getOrDefault(w, Double.NaN);
                System.out.printf(Locale.ROOT, "| %s | %.2f s/epoch | %.2f s/epoch | %s | %.2f | %s | %s%.1f%% | <= %.2f s/epoch%s | %s |%n",
                        w, c, d, peer(t, "%.2f s/epoch", 1), c / d, ct, sgemm, peakShare, target, peerTarget,
                        yes(!(c > target) && peerOk));
            }
        }
        for (String op : List.of("firstSave", "save", "load")) {
            for (String format : List.of("keras", "weights_h5")) {
                for (String model : List.of("plain", "compiled")) {
                    double c = saveScore(saves, op, "cornu", model, format);
                    double d = saveScore(saves, op, "dl4j", model, "keras");
                    if (Double.isNaN(c)) continue;
                    String what = String.format(Locale.ROOT, "%s %s, %s", op.equals("firstSave") ? "first save of a JVM" : op,
                            format.equals("keras") ? ".keras" : ".weights.h5",
                            model.equals("plain") ? "5 MB of weights" : "15 MB (weights and Adam slots)");
                    String target = op.equals("save") && format.equals("keras") ? "< 200 ms" : "-";
                    String met = target.equals("-") ? "-" : c < 200 ? "yes" : "no";
                    System.out.printf(Locale.ROOT, "| %s | %.1f ms | %.1f ms (ModelSerializer) | - | %.2f | - | disk and zip | %s | %s |%n", what, c, d, c / d, target, met);
                }
            }
        }
    }

    /** The performance issue's absolute targets for the dense workloads, in seconds per epoch. */
    private static final Map<String, Double> ABSOLUTE_TARGETS = Map.of("mlp", 0.9, "reuters", 0.12, "imdb_dense", 0.13);

    private static String yes(boolean met) {
        return met ? "yes" : "no";
    }

    /** The score of one {@link SaveBenchmark} run (NaN if missing). */
    private static double saveScore(Collection<RunResult> rr, String op, String lib, String model, String format) {
        for (RunResult x : rr) {
            var p = x.getParams();
            if (p.getBenchmark().endsWith("." + op) && lib.equals(p.getParam("lib")) && model.equals(p.getParam("model"))
                    && format.equals(p.getParam("format"))) {
                return x.getPrimaryResult().getScore();
            }
        }
        return Double.NaN;
    }

    /** Whether MNIST loads from the local folders ({@link DatasetFiles#datasetsDir}, {@link DatasetFiles#cacheDir}) without a download. */
    private static boolean mnistFound() {
        for (java.nio.file.Path d : new java.nio.file.Path[] {DatasetFiles.datasetsDir(), DatasetFiles.cacheDir()}) {
            if (d != null && java.nio.file.Files.isRegularFile(d.resolve("mnist.npz"))) return true;
        }
        return false;
    }

    /** Cornu's and DL4J's primary scores from one JMH run (NaN if missing). */
    private static double[] scores(Collection<RunResult> rr) {
        return scores(rr, null);
    }

    /** As {@link #scores(Collection)}, for the runs whose {@code input} parameter is {@code input} (any when null). */
    private static double[] scores(Collection<RunResult> rr, String input) {
        double[] r = {Double.NaN, Double.NaN};
        for (RunResult x : rr) {
            if (input != null && !input.equals(x.getParams().getParam("input"))) continue;
            double v = x.getPrimaryResult().getScore();
            if ("cornu".equals(x.getParams().getParam("lib"))) r[0] = v;
            else r[1] = v;
        }
        return r;
    }

    /** PyTorch's value in {@code format} (times {@code scale}), or "-" when there is none. */
    private static String peer(double t, String format, double scale) {
        return Double.isNaN(t) ? "-" : String.format(Locale.ROOT, format, t * scale);
    }

    /** {@code n / t} in {@code unit}, or "-". */
    private static String peerRate(double t, int n, String unit) {
        return Double.isNaN(t) ? "-" : String.format(Locale.ROOT, "%.0f %s", n / t, unit);
    }

    /** Cornu's time over the peer's, or "-". */
    private static String ratio(double c, double t) {
        return Double.isNaN(t) || Double.isNaN(c) ? "-" : String.format(Locale.ROOT, "%.2f", c / t);
    }

    /** The routes a float32 product can take: ND4J's mmul op, or Cornu's {@code Gemm} on oneDNN's matmul or OpenBLAS. */
    enum Route { ND4J, ONEDNN, OPENBLAS }

    /**
     * Single-precision gemm throughput (FLOP/s) on 1024x1024 matrices through {@code route}, best of several runs.
     *
     * @param route the route
     * @return the best FLOP/s
     */
    static double sgemmPeak(Route route) {
        boolean dnnl = org.cornu.core.FastPaths.DNNL_MATMUL.enabled();
        org.cornu.core.FastPaths.DNNL_MATMUL.setEnabled(route == Route.ONEDNN);
        try {
            return sgemmPeak(route != Route.ND4J);
        } finally {
            org.cornu.core.FastPaths.DNNL_MATMUL.setEnabled(dnnl);
        }
    }

    private static double sgemmPeak(boolean direct) {
        INDArray a = Nd4j.rand(DataType.FLOAT, 1024, 1024), b = Nd4j.rand(DataType.FLOAT, 1024, 1024);
        INDArray c = Nd4j.create(DataType.FLOAT, 1024, 1024);
        java.lang.Runnable mm = direct ? () -> org.cornu.core.kernels.Gemm.gemm(a, b, c, false, false, 1.0, 0.0)
                : () -> Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
        for (int i = 0; i < 3; i++) mm.run();
        double best = 0;
        for (int r = 0; r < 5; r++) {
            long t = System.nanoTime();
            for (int i = 0; i < 5; i++) mm.run();
            double s = (System.nanoTime() - t) / 1e9;
            best = Math.max(best, 5 * 2.0 * 1024 * 1024 * 1024 / s);
        }
        return best;
    }
}
