package org.cornu.core.kernels;

import org.cornu.core.FastPaths;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether ND4J's native convolution and pooling ops run on oneDNN here: the CPU build of
 * {@code nd4j-native} with classifier {@code linux-x86_64-onednn} (Cornu's default) has oneDNN
 * v2.3 inside {@code libnd4jcpu.so} and lists {@code HAVE_ONEDNN} in its build string. oneDNN
 * serves float32 only (ND4J runs float64 on its generic loops, much slower than Cornu's JVM
 * kernels), so only float32 dense C-order arrays qualify. oneDNN dispatches on the CPU at run
 * time (SSE4.1, AVX2, AVX-512), so the same build runs on CPUs without AVX-512.
 *
 * <p>Measured on this 2-vCPU machine, one thread, batch 64, the book's MNIST convnet shapes:
 * conv2d forward 3-4x faster than Cornu's im2col + gemm and forward plus backward about 2x for
 * the 13x13x32 and 5x5x64 layers; max-pool forward plus backward 3-4x. The first layer (one
 * input channel, input needing no gradient) is left to the JVM path's backward, which skips the
 * input gradient that ND4J's {@code conv2d_bp} always computes. Off with
 * {@code -Dcornu.onednn=false} (or {@link FastPaths#ONEDNN}). Since oneDNN is also called
 * directly ({@link Dnnl}, chosen first), these ND4J ops serve float32 only where that is off.
 */
public final class Onednn {
    private static final Logger LOG = LoggerFactory.getLogger(Onednn.class);
    private static final boolean PRESENT = detect();

    private Onednn() {}

    private static boolean detect() {
        if (!Nd4j.getBackend().getClass().getSimpleName().toLowerCase().contains("cpu")) return false;
        try {
            String info = NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo();
            boolean has = info != null && info.contains("HAVE_ONEDNN");
            LOG.debug("ND4J CPU build {} oneDNN", has ? "has" : "lacks");
            return has;
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("ND4J build information unavailable: {}", e.toString());
            return false;
        }
    }

    /**
     * Whether this ND4J build has oneDNN (regardless of the switch).
     *
     * @return true for the {@code -onednn} CPU builds
     */
    public static boolean present() {
        return PRESENT;
    }

    /**
     * Whether the oneDNN-backed native ops should take these arrays: the build has oneDNN, the
     * switch is on, and every array is float32, dense and C-ordered on the CPU.
     *
     * @param arrays the operands (nulls are ignored)
     * @return true to run the native op
     */
    public static boolean applies(INDArray... arrays) {
        if (!PRESENT || !FastPaths.ONEDNN.enabled()) return false;
        for (INDArray a : arrays) {
            if (a == null) continue;
            if (a.dataType() != DataType.FLOAT || !Elementwise.fusable(a)) return false;
        }
        return true;
    }
}
