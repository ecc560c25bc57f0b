package org.cornu.testing.opmatrix;

import java.util.List;
import org.cornu.core.FastPaths;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The kernel paths of Cornu's ops, declared once. A kernel that an op can take joins the
 * matrix by a constant here, listed in {@link #ALL}, and on the ops it serves; the
 * {@code FastPathsCoverageTest} fails while any {@link FastPaths} switch is neither forced by a
 * path here nor named as covered by a whole-step test.
 */
public final class KernelPaths {
    private KernelPaths() {}

    /** Whatever the op picks with every switch at its start-up value. */
    public static final KernelPath DEFAULT = KernelPath.named("default");

    /** Products straight to OpenBLAS ({@code cblas_sgemm}/{@code cblas_dgemm}). */
    public static final KernelPath DIRECT_BLAS = KernelPath.named("direct-blas").with(FastPaths.DIRECT_GEMM, true)
            .with(FastPaths.DNNL_MATMUL, false).counts(FastPaths.DIRECT_GEMM);
    /** Float32 products of 4,096 multiply-adds or more through oneDNN's matmul called directly. */
    public static final KernelPath DNNL_MATMUL = KernelPath.named("dnnl-matmul").with(FastPaths.DIRECT_GEMM, true)
            .with(FastPaths.DNNL_MATMUL, true).only(DataType.FLOAT).counts(FastPaths.DNNL_MATMUL);
    /** Products through ND4J's gemm. */
    public static final KernelPath ND4J_GEMM = KernelPath.named("nd4j-gemm").with(FastPaths.DIRECT_GEMM, false);

    /** Multi-hot rows through the sparse product (x takes no gradient). */
    public static final KernelPath SPARSE_INPUT = KernelPath.named("sparse-input").with(FastPaths.SPARSE_INPUT, true)
            .counts(FastPaths.SPARSE_INPUT);
    /** The same rows through the dense product. */
    public static final KernelPath DENSE_INPUT = KernelPath.named("dense-input").with(FastPaths.SPARSE_INPUT, false);

    /** Float32 rows whose batch leaves whole columns zero through the products over the used columns (x takes no gradient). */
    public static final KernelPath ZERO_COLUMNS = KernelPath.named("zero-columns").with(FastPaths.ZERO_COLUMNS, true)
            .only(DataType.FLOAT).counts(FastPaths.ZERO_COLUMNS);
    /** The same rows through the full product. */
    public static final KernelPath ALL_COLUMNS = KernelPath.named("all-columns").with(FastPaths.ZERO_COLUMNS, false);

    /** Elementwise ops, softmax and the fused losses as JVM loops (dense C-order inputs). */
    public static final KernelPath JVM_ELEMENTWISE = KernelPath.named("jvm-loops").with(FastPaths.DNNL, false);
    /** The same ops through ND4J's native transforms (Fortran-order inputs). */
    public static final KernelPath ND4J_ELEMENTWISE = KernelPath.named("nd4j-native").fortranOrder();

    /** Convolution and pooling as JVM im2col + gemm and JVM pooling loops. */
    public static final KernelPath JVM_CONV = KernelPath.named("jvm-conv").with(FastPaths.DNNL, false)
            .with(FastPaths.ONEDNN, false).with(FastPaths.JVM_CONV, true);
    /**
     * Convolution and pooling as ND4J's native {@code conv2d}, {@code maxpool2d}, ... and their {@code _bp}
     * (in the default -onednn build, float32 reaches oneDNN inside them; float64 ND4J's generic loops).
     */
    public static final KernelPath NATIVE_CONV = KernelPath.named("nd4j-native-conv").with(FastPaths.DNNL, false)
            .with(FastPaths.ONEDNN, false).with(FastPaths.JVM_CONV, false);
    /**
     * Float32 convolution and pooling as Cornu picks them in the default -onednn build: oneDNN through ND4J's
     * native ops, the first layer's kernel gradient from im2col + gemm, dilated kernels on the JVM path
     * (ConvOpsOnednnTest checks the oneDNN counter on each).
     */
    public static final KernelPath ONEDNN = KernelPath.named("onednn").with(FastPaths.DNNL, false).with(FastPaths.ONEDNN, true)
            .only(DataType.FLOAT);
    /**
     * Float32 convolution and pooling through oneDNN called directly (cached primitives, Winograd where
     * it wins, max pooling's argmax kept; ConvOpsDnnlTest checks the counter and the Winograd cases),
     * relus of 262,144 elements or more as oneDNN's eltwise kernels, and batch and layer normalization as oneDNN's.
     */
    public static final KernelPath DNNL = KernelPath.named("dnnl").with(FastPaths.DNNL, true).only(DataType.FLOAT)
            .counts(FastPaths.DNNL);

    /** Training- and inference-mode batch normalization as the fused float32 kernel. */
    public static final KernelPath FUSED_BATCH_NORM = KernelPath.named("fused-batch-norm").with(FastPaths.DNNL, false)
            .with(FastPaths.FUSED_BATCH_NORM, true).only(DataType.FLOAT).counts(FastPaths.FUSED_BATCH_NORM);
    /** Batch normalization composed from differentiable ops (float64, or with the fused kernel off). */
    public static final KernelPath COMPOSED_BATCH_NORM = KernelPath.named("composed-batch-norm")
            .with(FastPaths.FUSED_BATCH_NORM, false);

    /** Scaled dot-product attention as the fused float32 kernel. */
    public static final KernelPath FUSED_ATTENTION = KernelPath.named("fused-attention").with(FastPaths.FUSED_ATTENTION, true)
            .only(DataType.FLOAT).counts(FastPaths.FUSED_ATTENTION);
    /** Attention composed from differentiable ops (float64, or with the fused kernel off). */
    public static final KernelPath COMPOSED_ATTENTION = KernelPath.named("composed-attention")
            .with(FastPaths.FUSED_ATTENTION, false);

    /** Layer normalization as the fused float32 kernel. */
    public static final KernelPath FUSED_LAYER_NORM = KernelPath.named("fused-layer-norm").with(FastPaths.DNNL, false)
            .with(FastPaths.FUSED_LAYER_NORM, true).only(DataType.FLOAT).counts(FastPaths.FUSED_LAYER_NORM);
    /** Layer normalization composed from differentiable ops (float64, or with the fused kernel off). */
    public static final KernelPath COMPOSED_LAYER_NORM = KernelPath.named("composed-layer-norm")
            .with(FastPaths.FUSED_LAYER_NORM, false);

    /** The recurrence with its step products as JVM loops (the float32 LSTM kernel off). */
    public static final KernelPath RNN_JVM = KernelPath.named("rnn-jvm-products").with(FastPaths.RNN_JVM_PRODUCTS, true)
            .with(FastPaths.RNN_STEP_GEMM, true).with(FastPaths.FLOAT32_LSTM, false);
    /** The recurrence with every step product through ND4J's gemm. */
    public static final KernelPath RNN_ND4J = KernelPath.named("rnn-nd4j-gemm").with(FastPaths.RNN_JVM_PRODUCTS, false)
            .with(FastPaths.RNN_STEP_GEMM, true).with(FastPaths.FLOAT32_LSTM, false);
    /** The recurrence with reused buffers off. */
    public static final KernelPath RNN_NO_POOL = KernelPath.named("rnn-jvm-no-buffer-pool").with(FastPaths.RNN_JVM_PRODUCTS, true)
            .with(FastPaths.RNN_STEP_GEMM, true).with(FastPaths.FLOAT32_LSTM, false).with(FastPaths.RNN_BUFFER_POOL, false);
    /** The float32 LSTM kernel (float32, no mask, forwards, layers with batch * 4 * units^2 >= 65536). */
    public static final KernelPath FLOAT32_LSTM = KernelPath.named("float32-lstm").with(FastPaths.FLOAT32_LSTM, true)
            .with(FastPaths.RNN_JVM_PRODUCTS, true).with(FastPaths.RNN_STEP_GEMM, true).only(DataType.FLOAT)
            .counts(FastPaths.FLOAT32_LSTM);

    /** Every path above. */
    public static final List<KernelPath> ALL = List.of(DEFAULT, DIRECT_BLAS, DNNL_MATMUL, ND4J_GEMM, SPARSE_INPUT, DENSE_INPUT, ZERO_COLUMNS, ALL_COLUMNS,
            JVM_ELEMENTWISE, ND4J_ELEMENTWISE, JVM_CONV, NATIVE_CONV, ONEDNN, DNNL, FUSED_BATCH_NORM, COMPOSED_BATCH_NORM,
            FUSED_ATTENTION, COMPOSED_ATTENTION, FUSED_LAYER_NORM, COMPOSED_LAYER_NORM, RNN_JVM, RNN_ND4J, RNN_NO_POOL, FLOAT32_LSTM);
}
