package org.cornu.core;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.cornu.core.kernels.ShapeInfoCache;

/**
 * Global settings, as Keras's {@code keras.config} and {@code keras.utils.set_random_seed}:
 * the float type of new weights and data ({@code floatx}), the random seed, and the
 * per-session counters behind automatic layer names ({@code dense}, {@code dense_1}, ...).
 */
public final class Cornu {
    private static volatile DataType floatx = DataType.FLOAT;
    private static final Map<String, Integer> UIDS = new HashMap<>();
    private static SplittableRandom random = new SplittableRandom();
    private static volatile boolean threadsChosen;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Cornu.class);

    static {
        // JavaCPP's physical-memory guard reads the process's resident size on every native
        // object that registers a deallocator (ND4J creates op contexts and shape buffers per op
        // call): about 30% of the time-series LSTM's training step here. Cornu turns it off
        // unless the property is given; JavaCPP's maxBytes guard on tracked native bytes stays.
        if (System.getProperty("org.bytedeco.javacpp.maxPhysicalBytes") == null
                && System.getProperty("org.bytedeco.javacpp.maxphysicalbytes") == null) {
            System.setProperty("org.bytedeco.javacpp.maxPhysicalBytes", "0");
        }
    }

    private Cornu() {}

    /**
     * Applies Cornu's process settings (see above) if ND4J has not started yet; layers, models,
     * tensors and dataset loaders call it when their classes load. Calling it first thing in
     * {@code main} makes sure.
     */
    public static void init() {
        // the static initializer does the work
    }

    /**
     * Makes a run repeatable: seeds weight initializers, shuffles, dropout and ND4J's generator.
     *
     * Keras's {@code keras.utils.set_random_seed}.
     *
     * @param seed the seed
     */
    public static synchronized void setSeed(long seed) {
        random = new SplittableRandom(seed);
        Nd4j.getRandom().setSeed(seed);
    }

    /**
     * A fresh seed drawn from the global generator (repeatable after {@link #setSeed}).
     *
     * @return the seed
     */
    public static synchronized long nextSeed() {
        return random.nextLong();
    }

    /**
     * The float type of weights and of data that Cornu creates: {@code "float32"} (default) or {@code "float64"}.
     *
     * Keras's {@code keras.config.floatx()}.
     *
     * @return the float type's name
     */
    public static String floatx() {
        return floatx == DataType.DOUBLE ? "float64" : floatx == DataType.HALF ? "float16" : "float32";
    }

    /**
     * The ND4J data type of {@link #floatx()}.
     *
     * @return the data type
     */
    public static DataType floatType() {
        return floatx;
    }

    /**
     * Sets the default float type: {@code "float32"}, {@code "float64"} or {@code "float16"}.
     *
     * Keras's {@code keras.config.set_floatx}.
     *
     * @param name the float type's name
     * @throws IllegalArgumentException for another name
     */
    public static void setFloatx(String name) {
        switch (name) {
            case "float32" -> floatx = DataType.FLOAT;
            case "float64" -> floatx = DataType.DOUBLE;
            case "float16" -> floatx = DataType.HALF;
            default -> throw new IllegalArgumentException(
                    "Unknown floatx: '" + name + "'. Expected one of: float16, float32, float64");
        }
    }

    /**
     * Sets the number of threads of ND4J's BLAS (the matrix products), of libnd4j's own ops and
     * of oneDNN (OpenMP, for every thread that trains or predicts). Overrides the default that
     * Cornu chooses before the first step (see {@link #chooseThreads()}).
     *
     * @param n the number of threads, at least 1
     * @throws IllegalArgumentException if {@code n} is less than 1
     */
    public static synchronized void setNumThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("setNumThreads: n must be >= 1, got " + n);
        threadsChosen = true;
        useThreads(n);
        limitOpenMpThreads();
    }

    /**
     * The thread count Cornu set for BLAS, libnd4j and oneDNN ({@link #setNumThreads}, the
     * {@code cornu.threads} property or the default on small machines), or 0 while ND4J's own
     * choice stands (all cores, or {@code OMP_NUM_THREADS}).
     *
     * @return the threads, or 0
     */
    public static int numThreads() {
        return ompThreads;
    }

    /** BLAS, libnd4j's op threads and OpenMP's (see {@link #limitOpenMpThreads}) all at {@code n}. */
    private static void useThreads(int n) {
        Nd4j.factory().blas().setMaxThreads(n);
        Nd4j.getEnvironment().setMaxMasterThreads(n);
        Nd4j.getEnvironment().setMaxThreads(n);
        ompThreads = n;
    }

    /**
     * Chooses threads once, before the first training or inference step (BLAS, libnd4j's ops
     * and oneDNN alike, see {@link #setNumThreads}): the system property {@code cornu.threads} if set; else ND4J's own choice if {@code OMP_NUM_THREADS}
     * is set; else one thread (BLAS and libnd4j ops) on machines with at most two cores, where
     * two measured slower (MNIST dense epoch 2.9 s with one, 4 to 8 s with two, on 2 vCPUs).
     * The first call also makes ND4J's CPU backend reuse shape buffers for new arrays, as it
     * already does for some (off with {@code -Dcornu.shapeInfoCache=false}): one native object
     * less per array for ND4J's deallocator and the garbage collector to track, and loads
     * oneDNN's libraries (JavaCPP loading them while another thread made a direct buffer crashed
     * the JVM; an application whose own threads read ND4J arrays through direct buffers should
     * call this at start-up).
     */
    public static void chooseThreads() {
        ShapeInfoCache.install();
        // load oneDNN's JavaCPP libraries now, before this fit starts threads of its own (the sparse
        // prefetch thread): JavaCPP loading a library while another thread made a direct buffer
        // (Pointer.asDirectBuffer, what ND4J's asNio calls) crashed the JVM, in 24 of 40 fresh JVMs
        // of a stress test and in 2 of 70 JVMs training the Reuters model, whose first product loaded
        // oneDNN while the prefetch thread scanned rows
        org.cornu.core.kernels.Dnnl.present();
        if (!threadsChosen) {
            synchronized (Cornu.class) {
                if (!threadsChosen) {
                    threadsChosen = true;
                    String prop = System.getProperty("cornu.threads");
                    if (prop != null) {
                        int n;
                        try {
                            n = Integer.parseInt(prop.trim());
                        } catch (NumberFormatException e) {
                            n = 0;
                        }
                        if (n < 1) throw new IllegalArgumentException("cornu.threads: expected a thread count >= 1, got '" + prop + "'");
                        useThreads(n);
                        LOG.info("BLAS, op and oneDNN threads: {} (cornu.threads)", n);
                    } else if (System.getenv("OMP_NUM_THREADS") == null && Runtime.getRuntime().availableProcessors() <= 2) {
                        // libnd4j's own op threads too: a 64x10 log_softmax took 3.6 ms with two threads on a busy
                        // 2-core machine, 80 us with one; a convnet step 141 ms -> 79 ms
                        useThreads(1);
                        LOG.info("BLAS and op threads: 1 on this {}-core machine (faster here; set OMP_NUM_THREADS or -Dcornu.threads to change)",
                                Runtime.getRuntime().availableProcessors());
                    }
                }
            }
        }
        limitOpenMpThreads();
    }

    /** OpenMP threads chosen for every calling thread, or 0 to leave OpenMP's own choice. */
    private static volatile int ompThreads;
    private static final ThreadLocal<Integer> OMP_LIMITED = new ThreadLocal<>();

    /**
     * oneDNN (inside the default CPU build) parallelizes with OpenMP, whose thread count is a
     * per-thread setting: {@code omp_set_num_threads} applies to the thread that calls it, and
     * every other thread starts from {@code OMP_NUM_THREADS} or the core count. So each thread
     * that trains or predicts sets it once. Measured on this 2-vCPU machine with other work
     * running: a 64x576x64 product through oneDNN took 11.7 ms with OpenMP's default of two
     * threads and 0.16 ms with one.
     */
    private static void limitOpenMpThreads() {
        int n = ompThreads;
        Integer done = OMP_LIMITED.get();
        if (n <= 0 || done != null && done == n) return;
        OMP_LIMITED.set(n);
        try {
            org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(n);
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("Cannot set OpenMP threads: {}", e.toString());
        }
    }

    /** Resets automatic names ({@code dense}, {@code dense_1}, ...) as {@code keras.backend.clear_session()}. */
    public static synchronized void clearSession() {
        UIDS.clear();
    }

    /**
     * A unique name from a prefix: {@code dense}, then {@code dense_1}, {@code dense_2}, ...
     *
     * @param prefix the name's stem
     * @return a name not handed out before
     */
    public static synchronized String uniqueName(String prefix) {
        int n = UIDS.merge(prefix, 1, Integer::sum);
        return n == 1 ? prefix : prefix + "_" + (n - 1);
    }

    /**
     * Keras's {@code to_snake_case}: {@code SimpleRNN -> simple_rnn}, {@code Conv2D -> conv2d}.
     *
     * @param name a class name
     * @return its snake-case form
     */
    public static String toSnakeCase(String name) {
        String s = name.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
        s = s.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase();
        return s.startsWith("_") ? "private" + s : s;
    }
}
