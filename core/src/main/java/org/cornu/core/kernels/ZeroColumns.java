package org.cornu.core.kernels;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.Arrays;
import org.cornu.core.FastPaths;
import org.cornu.core.autodiff.Tape;
import org.cornu.core.autodiff.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code x @ kernel + bias} for a float32 input that needs no gradient (a model input) whose batch
 * leaves whole columns zero: the products run over the columns some row of the batch uses, with
 * the unused ones left out of both the forward and the kernel gradient, whose rows for them are
 * zero. MNIST's pixels are the case in point: a batch of 128 digits uses about 527 of the 784
 * columns (the borders of the 28 x 28 images are blank), so both products of the first Dense
 * layer shrink by a third.
 *
 * <p>How: one pass over the batch finds the used columns (a value whose bits other than the sign
 * are not all zero: so {@code -0.0} is unused and NaN used) and, column runs at a time, copies them
 * into a compact {@code rows x k} input, {@code k} rounded up to a multiple of {@value #PAD} with
 * zero columns (so that oneDNN makes one matmul plan per sixteen widths, not one per width); the
 * kernel's rows for them are copied likewise into a compact kernel with zero rows for the padding.
 * Forward: {@code z = bias + xc @ kc}. Backward: {@code xc^T @ dz}, copied into the used rows of
 * the kernel gradient, zeros into the others; the bias gradient is the column sums of {@code dz}.
 *
 * <p>Results equal the full product's up to float rounding (a left-out term is {@code 0 * w}, which
 * adds nothing), except that a non-finite kernel value in a left-out row, which the full product
 * would spread as NaN into the output, is left out too (as on {@link SparseInput}'s path).
 *
 * <p>Measured here (2-vCPU AMD EPYC, AVX-512, one thread, oneDNN's matmul) in the MNIST Dense 512
 * epoch, per batch of 128: the scan 0.06 ms, the compact input 0.05, the compact kernel 0.05 and its
 * product 0.70 (the full product about 1.0); the kernel gradient's product 0.69 and its scatter 0.07
 * (the full product about 1.0). The epoch took 1.18 s against 1.47 s with the path off, in one
 * sitting.
 *
 * <p>Taken for float32 inputs of rank 2 that take no gradient, with at least {@link #MIN_COLUMNS}
 * columns and {@link #MIN_WORK} multiply-adds, on the CPU backend with direct products
 * ({@link Gemm#directAvailable()}), where the used columns, rounded up, are at most
 * {@link #MAX_USED} of them; otherwise {@link #linear} returns null and the caller runs the full
 * product. Off with {@code -Dcornu.zeroColumns=false} ({@link FastPaths#ZERO_COLUMNS}).
 */
public final class ZeroColumns {
    /** Fewest input columns for which the scan is tried. */
    public static final int MIN_COLUMNS = 256;
    /** Fewest multiply-adds ({@code rows * columns * units}) for which the scan is tried. */
    public static final long MIN_WORK = 1L << 20;
    /**
     * Largest fraction of columns, used ones rounded up, for which the compact products are run. The
     * copies and the scan cost MNIST's layer about 0.24 ms a step, an eighth of its two full products
     * (2.0 ms): at 7/8 of the columns the paths are level, so the path stops at 4/5.
     */
    public static final double MAX_USED = 0.8;
    /** The compact width is a multiple of this. */
    static final int PAD = 16;
    /** Rows scanned between checks of whether too many columns are used already. */
    private static final int CHECK_ROWS = 16;

    private ZeroColumns() {}

    /** The used columns of a batch as runs {@code [start[i], start[i] + len[i])}; {@code width}: their count rounded up to {@link #PAD}. */
    record Runs(int[] start, int[] len, int used, int width) {}

    /** Per thread: the batch's bits, the compact input's, the compact kernel and its gradient. */
    private static final class Scratch {
        int[] bits = new int[0];
        int[] compact = new int[0];
        FloatBuffer kernel = direct(0);
        FloatBuffer grad = direct(0);
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static FloatBuffer direct(int floats) {
        return ByteBuffer.allocateDirect(floats * 4 + 64).alignedSlice(64).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /**
     * {@code x @ kernel + bias} ({@code bias} may be null) over the columns the batch uses, or null
     * where this path does not apply (see the class comment); the caller then computes it otherwise.
     *
     * @param x the input, shape {@code (rows, columns)}
     * @param kernel the kernel, shape {@code (columns, units)}
     * @param bias the bias, shape {@code (units,)}, or null
     * @return the output, shape {@code (rows, units)}, or null
     */
    public static Tensor linear(Tensor x, Tensor kernel, Tensor bias) {
        if (!FastPaths.ZERO_COLUMNS.enabled() || x.requiresGrad() || !Gemm.directAvailable()) return null;
        INDArray xv = x.value(), w = kernel.value();
        if (xv.rank() != 2 || w.rank() != 2 || xv.dataType() != DataType.FLOAT || w.dataType() != DataType.FLOAT) return null;
        long rowsL = xv.size(0), colsL = xv.size(1), unitsL = w.size(1);
        if (colsL < MIN_COLUMNS || w.size(0) != colsL || rowsL == 0 || rowsL * colsL * unitsL < MIN_WORK
                || rowsL * Math.max(colsL, unitsL) > Integer.MAX_VALUE || colsL * unitsL > Integer.MAX_VALUE) {
            return null;
        }
        if (!Elementwise.fusable(xv) || !Elementwise.fusable(w)) return null;
        INDArray b = bias == null ? null : bias.value();
        if (b != null && (!Elementwise.fusable(b) || b.dataType() != DataType.FLOAT || b.length() != unitsL)) return null;
        int rows = (int) rowsL, cols = (int) colsL, units = (int) unitsL;
        Scratch s = SCRATCH.get();
        Runs runs = usedColumns(xv, rows, cols, s);
        if (runs == null) return null;
        FastPaths.ZERO_COLUMNS.countRun();
        int k = runs.width;

        // the compact input: the used column runs of each row, then zeros up to the padded width
        INDArray xc = Nd4j.createUninitialized(DataType.FLOAT, rows, k);
        if (s.compact.length < rows * k) s.compact = new int[rows * k];
        int[] c = s.compact;
        for (int r = 0; r < rows; r++) {
            int from = r * cols, to = r * k;
            for (int i = 0; i < runs.start.length; i++) {
                System.arraycopy(s.bits, from + runs.start[i], c, to, runs.len[i]);
                to += runs.len[i];
            }
            Arrays.fill(c, to, r * k + k, 0);
        }
        ints(xc).put(0, c, 0, rows * k);
        FloatBuffer xcb = Elementwise.floats(xc);

        // the compact kernel: the used rows, then zero rows
        if (s.kernel.capacity() < k * units) s.kernel = direct(k * units);
        FloatBuffer kc = s.kernel, wb = Elementwise.floats(w);
        int at = 0;
        for (int i = 0; i < runs.start.length; i++) {
            kc.put(at * units, wb, runs.start[i] * units, runs.len[i] * units);
            at += runs.len[i];
        }
        zero(kc, at * units, k * units);

        INDArray z = Nd4j.createUninitialized(DataType.FLOAT, rows, units);
        if (b != null) Gemm.broadcastRows(z, b);
        Gemm.sgemmRaw(false, false, rows, units, k, 1f, xcb, k, kc, units, b != null ? 1f : 0f, Elementwise.floats(z), units);

        Tensor o = new Tensor(z, Tape.needsGrad(kernel, bias));
        return Tape.push(o, g -> {
            INDArray gc = Dnnl.operand(g);
            if (kernel.requiresGrad()) kernel.accumulate(kernelGrad(xc, gc, runs, rows, cols, units));
            if (bias != null && bias.requiresGrad()) bias.accumulate(Gemm.columnSums(gc, units));
        });
    }

    /** {@code x^T @ g} over the used columns, scattered into a {@code cols x units} gradient with zero rows for the others. */
    private static INDArray kernelGrad(INDArray xc, INDArray g, Runs runs, int rows, int cols, int units) {
        Scratch s = SCRATCH.get();
        int k = runs.width;
        if (s.grad.capacity() < k * units) s.grad = direct(k * units);
        FloatBuffer gcb = s.grad;
        Gemm.sgemmRaw(true, false, k, units, rows, 1f, Elementwise.floats(xc), k, Elementwise.floats(g), units, 0f, gcb, units);
        INDArray gw = Nd4j.createUninitialized(DataType.FLOAT, cols, units);
        FloatBuffer gwb = Elementwise.floats(gw);
        int row = 0, at = 0;
        for (int i = 0; i < runs.start.length; i++) {
            zero(gwb, row * units, runs.start[i] * units);
            gwb.put(runs.start[i] * units, gcb, at * units, runs.len[i] * units);
            at += runs.len[i];
            row = runs.start[i] + runs.len[i];
        }
        zero(gwb, row * units, cols * units);
        return gw;
    }

    /** {@link #usedColumns(INDArray, int, int, Scratch)} of a 2-D dense C-order float array, on this thread's scratch. */
    static Runs usedColumns(INDArray x) {
        return usedColumns(x, (int) x.size(0), (int) x.size(1), SCRATCH.get());
    }

    /**
     * The used columns of the {@code rows x cols} float array {@code x} as runs, its bits left in
     * {@code s.bits}; null as soon as more than {@link #MAX_USED} of the columns are used (checked
     * every {@value #CHECK_ROWS} rows).
     */
    static Runs usedColumns(INDArray x, int rows, int cols, Scratch s) {
        int n = rows * cols;
        if (s.bits.length < n) s.bits = new int[n];
        int[] bits = s.bits;
        IntBuffer src = ints(x);
        int[] or = new int[cols];
        int limit = (int) (MAX_USED * cols);
        // copied and scanned CHECK_ROWS rows at a time, so that a dense batch is given up on early
        for (int r0 = 0; r0 < rows; r0 += CHECK_ROWS) {
            int r1 = Math.min(rows, r0 + CHECK_ROWS);
            src.get(r0 * cols, bits, r0 * cols, (r1 - r0) * cols);
            for (int r = r0; r < r1; r++) {
                int o = r * cols;
                for (int j = 0; j < cols; j++) or[j] |= bits[o + j];
            }
            if (r1 < rows && count(or) > limit) return null;
        }
        int used = count(or);
        int width = (used + PAD - 1) / PAD * PAD;
        if (width > limit) return null;
        int runs = 0;
        for (int j = 0; j < cols; j++) {
            if (isUsed(or[j]) && (j == 0 || !isUsed(or[j - 1]))) runs++;
        }
        int[] start = new int[runs], len = new int[runs];
        int i = -1;
        for (int j = 0; j < cols; j++) {
            if (!isUsed(or[j])) continue;
            if (j == 0 || !isUsed(or[j - 1])) start[++i] = j;
            len[i]++;
        }
        return new Runs(start, len, used, Math.max(width, PAD));
    }

    private static boolean isUsed(int orBits) {
        return (orBits & 0x7fffffff) != 0;
    }

    private static int count(int[] or) {
        int n = 0;
        for (int v : or) {
            if (isUsed(v)) n++;
        }
        return n;
    }

    /** The elements of a dense C-order float array as their bits, indexed from 0. */
    private static IntBuffer ints(INDArray a) {
        ByteBuffer bb = a.data().asNio();
        return bb.position((int) (a.offset() * 4)).slice().order(ByteOrder.nativeOrder()).asIntBuffer();
    }

    private static final float[] ZEROS = new float[4096];

    /** {@code b[from, to) = 0}. */
    private static void zero(FloatBuffer b, int from, int to) {
        for (int i = from; i < to; i += ZEROS.length) b.put(i, ZEROS, 0, Math.min(ZEROS.length, to - i));
    }
}
