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
import org.cornu.core.kernels.Gemm;
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
                FloatBuffer kf = rowF != null ? Elementwise.floatsCached(k) : null;
                DoubleBuffer kd = rowF != null ? null : Elementwise.doublesCached(k);
                if (kf != null) {
                    // float kernels accumulate in float, as a float gemm does (and vectorize)
                    for (int j = 0; j < outDim; j++) accF[j] = (float) z[j];
                    if (dense(a, inDim, outDim)) denseRow(kf, a, inDim, outDim, accF, b);
                    else if (outDim < NARROW && (long) inDim * outDim <= WHOLE_KERNEL) wholeKernel(kf, a, inDim, outDim, accF, b);
                    else kernelRows(kf, a, inDim, outDim, accF, b);
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

    /** Kernels of at least this many elements, with at least {@link #DENSE_SHARE} of the inputs nonzero, go to sgemv. */
    static final int DENSE_KERNEL = 1 << 14;
    /**
     * The share of nonzero inputs from which one {@code sgemv} over the whole kernel beats reading
     * the nonzero inputs' rows: for the MNIST layer (784 x 512), a digit's 15% of nonzero pixels
     * took 12-14 µs through the rows, uniform noise (all nonzero) about 50 µs through the rows and
     * 20 µs through sgemv, which streams the 1.6 MB kernel at memory speed.
     */
    static final double DENSE_SHARE = 0.4;

    /** Whether the input row {@code x} is dense enough, and the layer large enough, for {@link #denseRow}. */
    static boolean dense(double[] x, int inDim, int outDim) {
        if ((long) inDim * outDim < DENSE_KERNEL || !Gemm.directAvailable()) return false;
        // stops at the first zero too many (a digit's blank top rows end it early)
        int zerosAllowed = inDim - (int) Math.ceil(DENSE_SHARE * inDim);
        for (int i = 0; i < inDim; i++) if (x[i] == 0 && --zerosAllowed < 0) return false;
        return true;
    }

    /** {@code acc += x @ kernel} for a dense input row: one {@code cblas_sgemv} over the native kernel. */
    static void denseRow(FloatBuffer kf, double[] x, int inDim, int outDim, float[] acc, Buffers b) {
        FloatBuffer xb = b.direct(0, inDim), yb = b.direct(1, outDim);
        for (int i = 0; i < inDim; i++) xb.put(i, (float) x[i]);
        yb.put(0, acc, 0, outDim);
        Gemm.sgemvRaw(true, inDim, outDim, kf, outDim, xb, 1f, yb);
        yb.get(0, acc, 0, outDim);
    }

    /** Layers narrower than this read a small kernel in one copy: per-row copies of a few values cost more than their products. */
    static final int NARROW = 64;
    /** Largest kernel (elements) read in one copy. */
    static final int WHOLE_KERNEL = 1 << 16;

    /**
     * {@code acc += x @ kernel} over the nonzero inputs, reading the kernel's rows four at a time
     * into row buffers (a loop over Java arrays indexed alike vectorizes; over the native buffer it
     * does not). Each sum still adds the rows in input order, as one row at a time would.
     */
    static void kernelRows(FloatBuffer kf, double[] x, int inDim, int outDim, float[] acc, Buffers b) {
        float[] r0 = b.rows[0], r1 = b.rows[1], r2 = b.rows[2], r3 = b.rows[3];
        int i = 0;
        while (true) {
            int i0 = -1, i1 = -1, i2 = -1, i3 = -1;
            for (; i < inDim; i++) if (x[i] != 0) { i0 = i++; break; }
            for (; i0 >= 0 && i < inDim; i++) if (x[i] != 0) { i1 = i++; break; }
            for (; i1 >= 0 && i < inDim; i++) if (x[i] != 0) { i2 = i++; break; }
            for (; i2 >= 0 && i < inDim; i++) if (x[i] != 0) { i3 = i++; break; }
            if (i3 < 0) {
                // fewer than four left
                if (i0 >= 0) addRow(kf, i0, (float) x[i0], outDim, acc, r0);
                if (i1 >= 0) addRow(kf, i1, (float) x[i1], outDim, acc, r0);
                if (i2 >= 0) addRow(kf, i2, (float) x[i2], outDim, acc, r0);
                return;
            }
            float x0 = (float) x[i0], x1 = (float) x[i1], x2 = (float) x[i2], x3 = (float) x[i3];
            kf.get(i0 * outDim, r0, 0, outDim);
            kf.get(i1 * outDim, r1, 0, outDim);
            kf.get(i2 * outDim, r2, 0, outDim);
            kf.get(i3 * outDim, r3, 0, outDim);
            for (int j = 0; j < outDim; j++) {
                float t = acc[j] + x0 * r0[j];
                t = t + x1 * r1[j];
                t = t + x2 * r2[j];
                acc[j] = t + x3 * r3[j];
            }
        }
    }

    private static void addRow(FloatBuffer kf, int i, float xi, int outDim, float[] acc, float[] row) {
        kf.get(i * outDim, row, 0, outDim);
        for (int j = 0; j < outDim; j++) acc[j] += xi * row[j];
    }

    /** As {@link #kernelRows}, for a narrow layer: the whole kernel in one copy, then its rows for the nonzero inputs. */
    static void wholeKernel(FloatBuffer kf, double[] x, int inDim, int outDim, float[] acc, Buffers b) {
        int n = inDim * outDim;
        if (b.kernel.length < n) b.kernel = new float[n];
        float[] k = b.kernel;
        kf.get(0, k, 0, n);
        // four nonzero rows per pass over the (short) output loop, each sum still in input order
        int[] nz = b.nonzero(inDim);
        int m = 0;
        for (int i = 0; i < inDim; i++) if (x[i] != 0) nz[m++] = i;
        int q = 0;
        for (; q + 3 < m; q += 4) {
            int o0 = nz[q] * outDim, o1 = nz[q + 1] * outDim, o2 = nz[q + 2] * outDim, o3 = nz[q + 3] * outDim;
            float x0 = (float) x[nz[q]], x1 = (float) x[nz[q + 1]], x2 = (float) x[nz[q + 2]], x3 = (float) x[nz[q + 3]];
            for (int j = 0; j < outDim; j++) {
                float t = acc[j] + x0 * k[o0 + j];
                t = t + x1 * k[o1 + j];
                t = t + x2 * k[o2 + j];
                acc[j] = t + x3 * k[o3 + j];
            }
        }
        for (; q < m; q++) {
            int o = nz[q] * outDim;
            float xi = (float) x[nz[q]];
            for (int j = 0; j < outDim; j++) acc[j] += xi * k[o + j];
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
    static final class Buffers {
        double[] in = new double[0], a = new double[0], z = new double[0], rowD;
        float[] rowF, accF, kernel = new float[0];
        float[][] rows = new float[4][0];
        int[] nonzero = new int[0];

        int[] nonzero(int n) {
            if (nonzero.length < n) nonzero = new int[n];
            return nonzero;
        }

        /** Native (direct) float buffers for sgemv's vectors, grown as needed. */
        private final FloatBuffer[] direct = new FloatBuffer[2];

        FloatBuffer direct(int slot, int n) {
            if (direct[slot] == null || direct[slot].capacity() < n) {
                direct[slot] = java.nio.ByteBuffer.allocateDirect(4 * Math.max(n, 1024)).order(java.nio.ByteOrder.nativeOrder())
                        .asFloatBuffer();
            }
            return direct[slot];
        }
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
                for (int i = 0; i < b.rows.length; i++) b.rows[i] = new float[widest];
            }
        } else if (b.rowD == null || b.rowD.length < widest) {
            b.rowD = new double[widest];
        }
        return b;
    }

    private static void readInto(INDArray v, int from, int len, double[] dst, float[] rowF, double[] rowD) {
        if (rowF != null) {
            Elementwise.floatsCached(v).get(from, rowF, 0, len);
            for (int j = 0; j < len; j++) dst[j] = rowF[j];
        } else {
            Elementwise.doublesCached(v).get(from, dst, 0, len);
        }
    }
}
