package org.cornu.core.training;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.List;
import org.cornu.core.FastPaths;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.cornu.core.kernels.ActivationKernels;
import org.cornu.core.kernels.Elementwise;
import org.cornu.core.Model;
import org.cornu.core.kernels.Workspaces;

/**
 * The JVM path of {@code predict} for a few samples through a chain of {@link FullyConnected}
 * layers (the MNIST dense model predicting one digit). A one-row prediction through ND4J is a
 * gemv per layer plus a dozen op calls and a workspace cycle (~270 µs here); this path reads,
 * for each nonzero input value, one row of the kernel straight from native memory and adds it
 * in, so zero inputs (most MNIST pixels, most multi-hot entries) cost nothing. Float models
 * accumulate in float as a float gemm does; activations run in double. Off with {@code -Dcornu.smallPath=false}, like {@link SmallPath}.
 */
final class SmallPredict {
    /** Largest multiply-adds per call (rows x per-sample multiply-adds) run here. */
    static final long MAX_MACS = 1_700_000;

    private SmallPredict() {}

    /**
     * The model's output for {@code x}, or null when this path does not apply (another layer,
     * too many rows, a shape the regular path should report, a non-CPU backend).
     */
    public static INDArray predict(Model model, INDArray x) {
        if (!FastPaths.SMALL_PREDICT.enabled() || x.rank() != 2) return null;
        List<FullyConnected> fcs = SmallPath.chain(model, false);
        if (fcs == null) return null;
        int[] dims = SmallPath.dims(fcs);
        int[] act = SmallPath.activations(fcs);
        long n = x.size(0);
        if (act == null || x.size(1) != dims[0] || n == 0 || n * SmallPath.macs(fcs) > MAX_MACS) return null;
        FastPaths.SMALL_PREDICT.countRun();
        DataType t = fcs.get(0).kernel().value().dataType();
        int rows = (int) n;
        int widest = 0;
        for (int d : dims) widest = Math.max(widest, d);
        Buffers b = buffers(rows * dims[0], widest, t == DataType.FLOAT);
        double[] in = Elementwise.toDoubles(x, b.in);
        double[] a = b.a;
        double[] z = b.z;
        double[] out = new double[rows * dims[dims.length - 1]];
        // rowF != null marks a float model below (a thread's buffers may hold both kinds)
        float[] rowF = t == DataType.FLOAT ? b.rowF : null;
        float[] accF = rowF != null ? b.accF : null;
        double[] rowD = rowF != null ? null : b.rowD;
        for (int r = 0; r < rows; r++) {
            System.arraycopy(in, r * dims[0], a, 0, dims[0]);
            for (int l = 0; l < fcs.size(); l++) {
                int inDim = dims[l], outDim = dims[l + 1];
                FullyConnected fc = fcs.get(l);
                if (fc.bias() != null) readInto(fc.bias().value(), 0, outDim, z, rowF, rowD);
                else java.util.Arrays.fill(z, 0, outDim, 0.0);
                INDArray k = fc.kernel().value();
                FloatBuffer kf = rowF != null ? Elementwise.floats(k) : null;
                DoubleBuffer kd = rowF != null ? null : Elementwise.doubles(k);
                if (kf != null) {
                    // float kernels accumulate in float, as a float gemm does (and vectorize)
                    for (int j = 0; j < outDim; j++) accF[j] = (float) z[j];
                    for (int i = 0; i < inDim; i++) {
                        float xi = (float) a[i];
                        if (xi == 0f) continue;
                        kf.get(i * outDim, rowF, 0, outDim);
                        for (int j = 0; j < outDim; j++) accF[j] += xi * rowF[j];
                    }
                    for (int j = 0; j < outDim; j++) z[j] = accF[j];
                }
                for (int i = 0; kf == null && i < inDim; i++) {
                    double xi = a[i];
                    if (xi == 0.0) continue;
                    {
                        kd.get(i * outDim, rowD, 0, outDim);
                        for (int j = 0; j < outDim; j++) z[j] += xi * rowD[j];
                    }
                }
                ActivationKernels.forward(act[l], ActivationKernels.Form.LIBRARY, z, 0, outDim);
                double[] swap = a;
                a = z;
                z = swap;
            }
            int outDim = dims[dims.length - 1];
            System.arraycopy(a, 0, out, r * outDim, outDim);
        }
        try (MemoryWorkspace ws = Workspaces.outside()) {
            return Elementwise.fromDoubles(out, new long[] {n, dims[dims.length - 1]}, t);
        }
    }

    /** Largest per-thread working arrays kept between calls (elements); larger calls allocate their own. */
    private static final int MAX_KEPT = 1 << 16;
    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    /**
     * Working arrays of one call, kept per thread between calls. A one-digit prediction allocated
     * 12 KB of arrays, and the young collections this brought at 40,000 calls a second (each also
     * retiring ND4J's references to the result arrays) made 1-second averages range 21-107 µs
     * (21-32 µs with the arrays kept; predict_latency's JMH average 40-51 -> 23-33 µs).
     */
    private static final class Buffers {
        double[] in = new double[0], a = new double[0], z = new double[0], rowD;
        float[] rowF, accF;
    }

    private static Buffers buffers(int inLen, int widest, boolean isFloat) {
        Buffers b = Math.max(inLen, widest) <= MAX_KEPT ? BUFFERS.get() : new Buffers();
        if (b.in.length < inLen) b.in = new double[inLen];
        if (b.a.length < widest) {
            b.a = new double[widest];
            b.z = new double[widest];
        }
        if (isFloat) {
            if (b.rowF == null || b.rowF.length < widest) {
                b.rowF = new float[widest];
                b.accF = new float[widest];
            }
        } else if (b.rowD == null || b.rowD.length < widest) {
            b.rowD = new double[widest];
        }
        return b;
    }

    private static void readInto(INDArray v, int from, int len, double[] dst, float[] rowF, double[] rowD) {
        if (rowF != null) {
            Elementwise.floats(v).get(from, rowF, 0, len);
            for (int j = 0; j < len; j++) dst[j] = rowF[j];
        } else {
            Elementwise.doubles(v).get(from, dst, 0, len);
        }
    }
}
