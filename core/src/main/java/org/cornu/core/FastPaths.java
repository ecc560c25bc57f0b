package org.cornu.core;

import java.util.concurrent.atomic.LongAdder;

/**
 * Every fast path in Cornu, each with its switch and a counter of how often it ran: the one
 * place to turn a path off (to compare it with the general path, or to work around a problem)
 * and to see which paths a program used. Each path is proven equal to the general path by
 * the test suite.
 *
 * <p>Each switch starts from its system property ({@code -Dcornu.smallPath=false} turns
 * {@link #SMALL_MODEL} off) and can be changed at run time with {@link #setEnabled}:
 * <pre>{@code
 * FastPaths.SMALL_MODEL.setEnabled(false);   // fit on the autodiff tape only
 * model.fit(x, y, Fit.epochs(1));
 * long steps = FastPaths.SMALL_MODEL.runs();  // 0
 * }</pre>
 *
 * <p>Whole-step paths ({@link #SMALL_MODEL}, {@link #SMALL_PREDICT}) are chosen by the training
 * loop's step compiler; op-level kernels ({@link #SPARSE_INPUT}, {@link #DIRECT_GEMM},
 * {@link #JVM_CONV}, {@link #FLOAT32_LSTM}, ...) by the op they serve.
 */
public enum FastPaths {
    /** fit/evaluate of small Dense chains (the Boston model at batch 1) as one JVM loop per step. */
    SMALL_MODEL("cornu.smallPath", true),
    /** predict of small Dense chains as JVM loops, without ND4J calls. */
    SMALL_PREDICT("cornu.smallPredict", true),
    /** Dense on multi-hot rows (mostly zeros): products over the nonzero columns only. */
    SPARSE_INPUT("cornu.sparseInput", true),
    /** Gathering multi-hot batches from a compressed copy of the rows instead of the dense array (needs {@link #SPARSE_INPUT} on too). */
    SPARSE_GATHER("cornu.sparseGather", true),
    /** Preparing the next multi-hot batches on a second core. */
    SPARSE_PREFETCH("cornu.sparsePrefetch", true),
    /** Dense on float32 model inputs whose batch leaves whole columns zero (MNIST's blank borders): products over the used columns only. */
    ZERO_COLUMNS("cornu.zeroColumns", true),
    /** Layer products straight to OpenBLAS's sgemm/dgemm, without ND4J's op context. */
    DIRECT_GEMM("cornu.directGemm", true),
    /** Convolution and pooling through Cornu's JVM kernels (im2col, gemm) instead of ND4J's native ops. */
    JVM_CONV("cornu.jvmConv", !Boolean.getBoolean("cornu.nativeConv")),
    /**
     * Float32 convolution and pooling through ND4J's native ops where the CPU build has oneDNN
     * (the default {@code linux-x86_64-onednn} build); chosen before {@link #JVM_CONV}.
     */
    ONEDNN("cornu.onednn", true),
    /**
     * Float32 convolution and pooling through oneDNN called directly (primitives cached per shape,
     * Winograd where it wins, no recomputed pooling forward); chosen before {@link #ONEDNN}.
     */
    DNNL("cornu.dnnl", true),
    /**
     * Float32 products of the layers ({@code Gemm}) through oneDNN's matmul called directly (its
     * brgemm kernels, one primitive per shape and thread), from 4,096 multiply-adds (16,384 with
     * several threads); chosen before OpenBLAS's {@code cblas_sgemm} ({@link #DIRECT_GEMM}, which
     * must be on: both read the operands in place).
     */
    DNNL_MATMUL("cornu.dnnl.matmul", true),
    /**
     * Float32 max pooling (on oneDNN) of a relu output, in a backward pass that reads only leaves' gradients
     * ({@code GradientTape.gradient(loss, weights)}, as fit does): its gradient masked by relu's derivative
     * at each window's maximum and sent straight to the relu's input, so relu's backward skips the full map.
     */
    RELU_POOL_FOLD("cornu.reluPoolFold", true),
    /** Training-mode batch normalization of float32 arrays as one fused JVM kernel forward and one backward. */
    FUSED_BATCH_NORM("cornu.fusedBatchNorm", true),
    /** Float32 scaled dot-product attention (scores, masked softmax, weighted values) as one JVM kernel forward and one backward. */
    FUSED_ATTENTION("cornu.fusedAttention", true),
    /** Float32 layer normalization over rows as one fused JVM kernel forward and one backward. */
    FUSED_LAYER_NORM("cornu.fusedLayerNorm", true),
    /** The LSTM recurrence in float32 end to end for float32 models. */
    FLOAT32_LSTM("cornu.rnn.float32", true),
    /** Small recurrent layers' step products as JVM loops. */
    RNN_JVM_PRODUCTS("cornu.rnn.jvmProducts", !"nd4j".equals(System.getProperty("cornu.rnn.stepGemm"))),
    /** Large recurrent layers' step products through one gemm per step into reused buffers. */
    RNN_STEP_GEMM("cornu.rnn.stepGemm", !"jvm".equals(System.getProperty("cornu.rnn.stepGemm"))),
    /** Reuse of the recurrence's large working arrays between calls. */
    RNN_BUFFER_POOL("cornu.rnn.pool", true),
    /** Elementwise chains (optimizer updates, activations) as one JVM pass over native memory. */
    FUSED_LOOPS("cornu.fusedLoops", true),
    /** ND4J workspaces for a step's temporaries. Read once, at start-up. */
    WORKSPACES("cornu.workspaces", true),
    /** Reusing ND4J's shape buffers for new arrays. Read once, when ND4J is first configured. */
    SHAPE_INFO_CACHE("cornu.shapeInfoCache", true);

    private final String property;
    private volatile boolean enabled;
    private final LongAdder runs = new LongAdder();

    FastPaths(String property, boolean fallback) {
        this.property = property;
        String v = System.getProperty(property);
        this.enabled = v == null || v.isEmpty() || v.equals("auto") ? fallback : !v.equals("false") && !v.equals("jvm");
    }

    /**
     * Whether the path may be taken.
     *
     * @return true when on
     */
    public boolean enabled() {
        return enabled;
    }

    /**
     * Turns the path on or off for the rest of the program (until changed again).
     *
     * @param on true to allow the path
     */
    public void setEnabled(boolean on) {
        enabled = on;
    }

    /**
     * The system property that sets the switch at start-up.
     *
     * @return the property's name
     */
    public String property() {
        return property;
    }

    /**
     * How many times the path ran (steps, calls or products, per path) since start or {@link #resetRuns}.
     *
     * @return the count
     */
    public long runs() {
        return runs.sum();
    }

    /** Sets the counter back to zero. */
    public void resetRuns() {
        runs.reset();
    }

    /** Counts one run; for the code that implements the path. */
    public void countRun() {
        runs.increment();
    }

    /**
     * Whether recurrent step products must go through ND4J even for small layers (the mode
     * {@code -Dcornu.rnn.stepGemm=nd4j}, for tests that compare against ND4J's gemm).
     *
     * @return true in that mode
     */
    public static boolean rnnProductsForcedToNd4j() {
        return !RNN_JVM_PRODUCTS.enabled() && RNN_STEP_GEMM.enabled();
    }
}
