package org.cornu.core;

import java.lang.ref.WeakReference;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code x @ kernel + bias} for a sparse input that needs no gradient (a model input such as the
 * book's multi-hot vectors: 10000 columns, about 1% ones). The input is scanned once into
 * compressed rows; the forward sums the kernel rows of the nonzeros, the backward scatters
 * {@code v * dY[row]} into the kernel gradient; no input gradient is computed, none being needed.
 * Both replace a gemm over all 10000 columns by work proportional to the nonzeros.
 *
 * <p>In {@code fit}, the {@link Batcher} gathers such inputs through {@link #gather}: each training
 * row is scanned once per fit, its nonzeros kept, and a batch buffer receives only nonzeros; Dense
 * then finds the batch's nonzeros recorded and scans nothing.
 *
 * <p>Taken only on the CPU backend for dense C-order float32/float64 arrays of rank 2 with at
 * least {@link #MIN_COLUMNS} columns and at most {@link #MAX_DENSITY} nonzeros; otherwise
 * {@link #linear} returns null and the caller runs the gemm ({@link Ops#linear}). Results equal
 * the gemm's up to float rounding (the sums run in the array's own float type). Off with
 * {@code -Dcornu.sparseInput=false}.
 */
public final class SparseInput {
    /** Fewest input columns for which the scan is tried. */
    static final int MIN_COLUMNS = 1024;
    /** Largest fraction of nonzeros for which the sparse products beat the gemm. */
    static final double MAX_DENSITY = 0.15;

    private static volatile boolean enabled = !"false".equals(System.getProperty("cornu.sparseInput"));
    /** Calls that took the sparse path (for tests). */
    static long callsRun;
    /** Batches gathered with their nonzeros recorded (for tests). */
    static long gathersRun;


    /** Whether the float at the lower address is the low half of a native-order long. */
    private static final boolean LOW_FIRST = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private SparseInput() {}

    static void setEnabled(boolean e) {
        enabled = e;
    }

    /** Compressed sparse rows of a {@code rows x cols} matrix. */
    private record Csr(int rows, int cols, int[] rowPtr, int[] col, float[] fv, double[] dv) {}

    /**
     * {@code x @ kernel + bias} ({@code bias} may be null) on the sparse path, or null where it does
     * not apply (see the class comment); the caller then computes it otherwise.
     */
    public static Tensor linear(Tensor x, Tensor kernel, Tensor bias) {
        if (!enabled || x.requiresGrad || x.value.rank() != 2 || kernel.value.rank() != 2) return null;
        INDArray xv = x.value, w = kernel.value;
        long cols = xv.size(1);
        if (cols < MIN_COLUMNS || w.size(0) != cols || xv.size(0) == 0) return null;
        DataType t = xv.dataType();
        if (!Elementwise.fusable(xv) || !Elementwise.fusable(w) || w.dataType() != t) return null;
        INDArray b = bias == null ? null : bias.value;
        if (b != null && (!Elementwise.fusable(b) || b.dataType() != t || b.length() != w.size(1))) return null;
        if ((long) xv.size(0) * w.size(1) > Integer.MAX_VALUE) return null;
        Csr k = known(xv);
        Csr csr = k != null ? k : scan(xv);
        if (csr == null) return null;
        callsRun++;
        int units = (int) w.size(1);
        Csc csc = Csc.of(csr);
        INDArray z = Nd4j.createUninitialized(t, csr.rows, units);
        if (t == DataType.FLOAT) forwardFloat(csc, w, b, z, units);
        else forwardDouble(csc, w, b, z, units);
        Tensor o = new Tensor(z, Tape.needsGrad(kernel, bias));
        return Tape.push(o, g -> {
            INDArray gc = Elementwise.fusable(g) && g.dataType() == t ? g : g.castTo(t).dup('c');
            INDArray gw = kernel.requiresGrad ? Nd4j.createUninitialized(t, cols, units) : null;
            INDArray gb = bias != null && bias.requiresGrad ? Nd4j.createUninitialized(t, units) : null;
            if (t == DataType.FLOAT) backwardFloat(csc, gc, gw, gb, units);
            else backwardDouble(csc, gc, gw, gb, units);
            if (gw != null) kernel.accumulate(gw);
            if (gb != null) bias.accumulate(gb);
        });
    }

    /** A batch buffer filled by {@link #gather} and the nonzeros it holds. */
    private record Known(WeakReference<INDArray> array, Csr csr) {}

    private static final List<Known> KNOWN = new ArrayList<>();

    /** The nonzeros recorded for {@code x} by {@link #gather}, or null. */
    private static Csr known(INDArray x) {
        synchronized (KNOWN) {
            for (Known k : KNOWN) {
                if (k.array.get() == x) return k.csr.rows == x.size(0) && k.csr.cols == x.size(1) ? k.csr : null;
            }
        }
        return null;
    }

    /** Drops what is recorded for {@code a} (and for collected arrays); returns what was recorded for {@code a}. */
    private static Csr forget(INDArray a) {
        Csr r = null;
        synchronized (KNOWN) {
            for (Iterator<Known> it = KNOWN.iterator(); it.hasNext(); ) {
                Known k = it.next();
                INDArray v = k.array.get();
                if (v == a) r = k.csr;
                if (v == null || v == a) it.remove();
            }
        }
        return r;
    }

    /** Most nonzeros a {@link Rows} keeps (beyond, rows are scanned again at each use). */
    static final long MAX_CACHED = 16L << 20;

    /**
     * The nonzeros of a training input's rows, scanned when a row is first gathered and kept for
     * the rest of the fit (Keras too reads the arrays once, at the start of fit).
     */
    static final class Rows {
        final INDArray src;
        final int[][] col;
        final float[][] fv;
        final double[][] dv;
        long cached;
        /** Set once a batch was too dense: no more scans for this input. */
        boolean dense;

        private Rows(INDArray src) {
            this.src = src;
            int n = (int) src.size(0);
            col = new int[n][];
            fv = src.dataType() == DataType.FLOAT ? new float[n][] : null;
            dv = fv == null ? new double[n][] : null;
        }
    }

    /** A row store for the 2-D training input {@code src}, or null where the sparse path cannot apply. */
    static Rows rows(INDArray src) {
        if (!enabled || src.rank() != 2 || src.size(1) < MIN_COLUMNS || src.size(0) > Integer.MAX_VALUE
                || !Elementwise.fusable(src)) {
            return null;
        }
        return new Rows(src);
    }

    /**
     * Scans and keeps the rows {@code idx} of {@code rows.src} not yet kept (a coming batch, on the
     * Batcher's prefetch thread while the current step trains). The caller makes sure no
     * {@link #gather} on {@code rows} runs meanwhile.
     */
    static void prefetch(Rows rows, int[] idx) {
        if (rows == null || rows.dense || !enabled) return;
        boolean isFloat = rows.fv != null;
        int[] todo = new int[idx.length];
        int missing = 0;
        for (int s : idx) if (rows.col[s] == null) todo[missing++] = s;
        if (missing == 0) return;
        Csr fresh = scanRows(rows.src, Arrays.copyOf(todo, missing), missing, false);
        if (fresh.rowPtr[missing] > MAX_DENSITY * missing * (double) fresh.cols) {
            rows.dense = true;
            return;
        }
        for (int f = 0; f < missing; f++) {
            int s = todo[f], from = fresh.rowPtr[f], to = fresh.rowPtr[f + 1];
            if (rows.col[s] != null || rows.cached + (to - from) > MAX_CACHED) continue;
            rows.cached += to - from;
            rows.col[s] = Arrays.copyOfRange(fresh.col, from, to);
            if (isFloat) rows.fv[s] = Arrays.copyOfRange(fresh.fv, from, to);
            else rows.dv[s] = Arrays.copyOfRange(fresh.dv, from, to);
        }
    }

    /**
     * Copies rows {@code idx} of {@code rows.src} into the batch buffer {@code dst} ({@code idx.length x
     * cols}, which only this method writes while it holds sparse rows), and records their nonzeros so
     * that {@link #linear} on {@code dst} needs no scan. Only nonzeros are written: those of the
     * previous batch are cleared first. Returns false, leaving the copy to the caller, where the
     * path does not apply or the rows are not sparse.
     */
    static boolean gather(Rows rows, INDArray dst, int[] idx) {
        Csr prev = forget(dst);
        if (rows == null || rows.dense || !enabled) return false;
        INDArray src = rows.src;
        if (dst.rank() != 2 || src.size(1) != dst.size(1) || dst.size(0) != idx.length || src.dataType() != dst.dataType()
                || !Elementwise.fusable(dst)) {
            return false;
        }
        boolean isFloat = rows.fv != null;
        int cols = (int) src.size(1);
        // scan the rows seen for the first time
        int missing = 0;
        int[] todo = new int[idx.length];
        int[] at = new int[idx.length];
        for (int r = 0; r < idx.length; r++) {
            at[r] = rows.col[idx[r]] == null ? missing : -1;
            if (at[r] >= 0) todo[missing++] = idx[r];
        }
        Csr fresh = null;
        if (missing > 0) {
            fresh = scanRows(src, Arrays.copyOf(todo, missing), missing, false);
            long nnz = fresh.rowPtr[missing];
            if (nnz > MAX_DENSITY * missing * (double) cols) {
                rows.dense = true;
                return false;
            }
        }
        // the batch's rows: cached, else fresh (and cached while there is room)
        int[][] rc = new int[idx.length][];
        float[][] rf = isFloat ? new float[idx.length][] : null;
        double[][] rd = isFloat ? null : new double[idx.length][];
        int f;
        long total = 0;
        for (int r = 0; r < idx.length; r++) {
            int s = idx[r];
            if (at[r] < 0) {
                rc[r] = rows.col[s];
                if (isFloat) rf[r] = rows.fv[s];
                else rd[r] = rows.dv[s];
            } else {
                f = at[r];
                int from = fresh.rowPtr[f], to = fresh.rowPtr[f + 1];
                rc[r] = Arrays.copyOfRange(fresh.col, from, to);
                if (isFloat) rf[r] = Arrays.copyOfRange(fresh.fv, from, to);
                else rd[r] = Arrays.copyOfRange(fresh.dv, from, to);
                if (rows.col[s] == null && rows.cached + (to - from) <= MAX_CACHED) {
                    rows.cached += to - from;
                    rows.col[s] = rc[r];
                    if (isFloat) rows.fv[s] = rf[r];
                    else rows.dv[s] = rd[r];
                }
            }
            total += rc[r].length;
        }
        if (total > MAX_DENSITY * idx.length * (double) cols) return false;
        int[] rowPtr = new int[idx.length + 1];
        int[] col = new int[(int) total];
        float[] fv = isFloat ? new float[(int) total] : null;
        double[] dv = isFloat ? null : new double[(int) total];
        for (int r = 0; r < idx.length; r++) {
            int o = rowPtr[r], n = rc[r].length;
            System.arraycopy(rc[r], 0, col, o, n);
            if (isFloat) System.arraycopy(rf[r], 0, fv, o, n);
            else System.arraycopy(rd[r], 0, dv, o, n);
            rowPtr[r + 1] = o + n;
        }
        Csr csr = new Csr(idx.length, cols, rowPtr, col, fv, dv);
        boolean same = prev != null && prev.cols == cols && prev.rows == csr.rows;
        if (!same) dst.assign(0);
        if (isFloat) writeFloats(Elementwise.floats(dst), same ? prev : null, csr);
        else writeDoubles(Elementwise.doubles(dst), same ? prev : null, csr);
        synchronized (KNOWN) {
            KNOWN.add(new Known(new WeakReference<>(dst), csr));
        }
        gathersRun++;
        return true;
    }

    /** Clears the nonzeros of {@code prev} (if not null) in {@code d}, then writes those of {@code csr}. */
    private static void writeFloats(FloatBuffer d, Csr prev, Csr csr) {
        int cols = csr.cols;
        if (prev != null) {
            int[] pc = prev.col, pp = prev.rowPtr;
            for (int r = 0; r < prev.rows; r++) {
                int o = r * cols;
                for (int k = pp[r]; k < pp[r + 1]; k++) d.put(o + pc[k], 0f);
            }
        }
        int[] c = csr.col, p = csr.rowPtr;
        float[] v = csr.fv;
        for (int r = 0; r < csr.rows; r++) {
            int o = r * cols;
            for (int k = p[r]; k < p[r + 1]; k++) d.put(o + c[k], v[k]);
        }
    }

    private static void writeDoubles(DoubleBuffer d, Csr prev, Csr csr) {
        int cols = csr.cols;
        if (prev != null) {
            int[] pc = prev.col, pp = prev.rowPtr;
            for (int r = 0; r < prev.rows; r++) {
                int o = r * cols;
                for (int k = pp[r]; k < pp[r + 1]; k++) d.put(o + pc[k], 0.0);
            }
        }
        int[] c = csr.col, p = csr.rowPtr;
        double[] v = csr.dv;
        for (int r = 0; r < csr.rows; r++) {
            int o = r * cols;
            for (int k = p[r]; k < p[r + 1]; k++) d.put(o + c[k], v[k]);
        }
    }

    /** The nonzeros of {@code x}, or null as soon as they exceed {@link #MAX_DENSITY}. */
    private static Csr scan(INDArray x) {
        return scanRows(x, null, (int) x.size(0), true);
    }

    /**
     * The nonzeros of rows {@code idx} of the 2-D {@link Elementwise#fusable} array {@code src} (rows
     * {@code 0..rows-1} when {@code idx} is null), or null as soon as they exceed {@link #MAX_DENSITY}.
     * Rows are read from native memory in bulk as longs (two floats or one double each) and tested
     * four longs at a time: multi-hot rows are mostly zero.
     */
    private static Csr scanRows(INDArray src, int[] idx, int rows, boolean limited) {
        int cols = (int) src.size(1);
        boolean isFloat = src.dataType() == DataType.FLOAT;
        Builder out = new Builder(rows, cols, isFloat, limited);
        long start = src.offset() * (isFloat ? 4 : 8);
        // longs need every row to start on 8 bytes: float rows of even length from an even offset
        boolean viaLongs = start % 8 == 0 && (!isFloat || cols % 2 == 0) && start <= Integer.MAX_VALUE;
        if (viaLongs) {
            // each row is bulk-copied into a heap long[] (a memcpy) and tested there eight longs at a
            // time: direct-buffer reads cost a bounds-checked call each (4 GB/s against ~2.5x that)
            LongBuffer lb = src.data().asNio().position((int) start).slice().order(ByteOrder.nativeOrder()).asLongBuffer();
            int words = isFloat ? cols / 2 : cols;
            int body = words & ~7;
            long[] row = Elementwise.scratchLongs(words);
            for (int r = 0; r < rows; r++) {
                lb.get((idx == null ? r : idx[r]) * words, row, 0, words);
                for (int w = 0; w < body; w += 8) {
                    if ((row[w] | row[w + 1] | row[w + 2] | row[w + 3] | row[w + 4] | row[w + 5] | row[w + 6] | row[w + 7]) == 0) continue;
                    for (int q = w; q < w + 8; q++) {
                        if (!out.word(q, row[q])) return null;
                    }
                }
                for (int q = body; q < words; q++) {
                    if (!out.word(q, row[q])) return null;
                }
                if (!out.endRow(r)) return null;
            }
        } else if (isFloat) {
            FloatBuffer fb = Elementwise.floats(src);
            float[] row = Elementwise.scratch(0, cols);
            for (int r = 0; r < rows; r++) {
                fb.get((idx == null ? r : idx[r]) * cols, row, 0, cols);
                for (int c = 0; c < cols; c++) {
                    if (row[c] != 0f && !out.add(c, row[c])) return null;
                }
                if (!out.endRow(r)) return null;
            }
        } else {
            DoubleBuffer db = Elementwise.doubles(src);
            double[] row = Elementwise.scratchDoubles(0, cols);
            for (int r = 0; r < rows; r++) {
                db.get((idx == null ? r : idx[r]) * cols, row, 0, cols);
                for (int c = 0; c < cols; c++) {
                    if (row[c] != 0 && !out.add(c, row[c])) return null;
                }
                if (!out.endRow(r)) return null;
            }
        }
        return out.nnz > out.limit ? null : new Csr(rows, cols, out.rowPtr, out.col, out.fv, out.dv);
    }

    /** Collects nonzeros row by row, giving up beyond {@link #MAX_DENSITY}. */
    private static final class Builder {
        final boolean isFloat;
        final long limit;
        final int[] rowPtr;
        int[] col;
        float[] fv;
        double[] dv;
        int nnz;

        final double earlyLimit;

        /** {@code limited}: give up beyond {@link #MAX_DENSITY}, else collect everything. */
        Builder(int rows, int cols, boolean isFloat, boolean limited) {
            this.isFloat = isFloat;
            limit = limited ? (long) (MAX_DENSITY * rows * (double) cols) : (long) rows * cols;
            earlyLimit = limited ? 4 * MAX_DENSITY * cols : Double.POSITIVE_INFINITY;
            int cap = (int) Math.min(limit + 1, Math.max(1024, (long) rows * cols / 64));
            rowPtr = new int[rows + 1];
            col = new int[cap];
            if (isFloat) fv = new float[cap];
            else dv = new double[cap];
        }

        /** Adds the nonzeros of long {@code w} of a row (floats {@code 2w, 2w+1} or double {@code w}). */
        boolean word(int w, long bits) {
            if (bits == 0) return true;
            if (!isFloat) {
                double v = Double.longBitsToDouble(bits);
                return v == 0 || add(w, v);
            }
            float lo = Float.intBitsToFloat((int) bits), hi = Float.intBitsToFloat((int) (bits >>> 32));
            float first = LOW_FIRST ? lo : hi, second = LOW_FIRST ? hi : lo;
            return (first == 0f || add(2 * w, first)) && (second == 0f || add(2 * w + 1, second));
        }

        /** Ends row {@code r}; false (give up) where the rows so far are far denser than the limit allows. */
        boolean endRow(int r) {
            rowPtr[r + 1] = nnz;
            return nnz <= earlyLimit * (r + 1);
        }

        /** Appends {@code v} at column {@code c}; false once past the limit. */
        boolean add(int c, double v) {
            if (nnz == col.length) {
                if (nnz >= limit) return false;
                int n = (int) Math.min(limit + 1, 2L * nnz);
                col = Arrays.copyOf(col, n);
                if (isFloat) fv = Arrays.copyOf(fv, n);
                else dv = Arrays.copyOf(dv, n);
            }
            col[nnz] = c;
            if (isFloat) fv[nnz] = (float) v;
            else dv[nnz] = v;
            nnz++;
            return true;
        }
    }

    /**
     * The nonzeros of {@code s} by column (within a column by row): the products then walk the
     * kernel and its gradient row after row once, instead of jumping between their rows.
     */
    private record Csc(int rows, int cols, int[] colPtr, int[] row, float[] fv, double[] dv) {
        static Csc of(Csr s) {
            int nnz = s.rowPtr[s.rows];
            int[] colPtr = new int[s.cols + 1];
            for (int k = 0; k < nnz; k++) colPtr[s.col[k] + 1]++;
            for (int c = 0; c < s.cols; c++) colPtr[c + 1] += colPtr[c];
            int[] next = Arrays.copyOf(colPtr, s.cols);
            int[] row = new int[nnz];
            float[] fv = s.fv == null ? null : new float[nnz];
            double[] dv = s.dv == null ? null : new double[nnz];
            for (int r = 0; r < s.rows; r++) {
                for (int k = s.rowPtr[r]; k < s.rowPtr[r + 1]; k++) {
                    int at = next[s.col[k]]++;
                    row[at] = r;
                    if (fv != null) fv[at] = s.fv[k];
                    else dv[at] = s.dv[k];
                }
            }
            return new Csc(s.rows, s.cols, colPtr, row, fv, dv);
        }
    }

    /** {@code z = x @ w + b} ({@code b} may be null); each output row sums its terms in column order. */
    private static void forwardFloat(Csc s, INDArray w, INDArray b, INDArray z, int units) {
        float[] za = Elementwise.scratch(2, s.rows * units);
        float[] ba = new float[units];
        if (b != null) Elementwise.floats(b).get(0, ba, 0, units);
        for (int r = 0; r < s.rows; r++) System.arraycopy(ba, 0, za, r * units, units);
        FloatBuffer wb = Elementwise.floats(w);
        float[] wr = Elementwise.scratch(1, units);
        for (int c = 0; c < s.cols; c++) {
            int from = s.colPtr[c], to = s.colPtr[c + 1];
            if (from == to) continue;
            wb.get(c * units, wr, 0, units);
            for (int k = from; k < to; k++) axpy(s.fv[k], wr, 0, za, s.row[k] * units, units);
        }
        Elementwise.floats(z).put(0, za, 0, s.rows * units);
    }

    private static void forwardDouble(Csc s, INDArray w, INDArray b, INDArray z, int units) {
        double[] za = Elementwise.scratchDoubles(2, s.rows * units);
        double[] ba = new double[units];
        if (b != null) Elementwise.doubles(b).get(0, ba, 0, units);
        for (int r = 0; r < s.rows; r++) System.arraycopy(ba, 0, za, r * units, units);
        DoubleBuffer wb = Elementwise.doubles(w);
        double[] wr = Elementwise.scratchDoubles(1, units);
        for (int c = 0; c < s.cols; c++) {
            int from = s.colPtr[c], to = s.colPtr[c + 1];
            if (from == to) continue;
            wb.get(c * units, wr, 0, units);
            for (int k = from; k < to; k++) {
                double v = s.dv[k];
                int o = s.row[k] * units;
                for (int j = 0; j < units; j++) za[o + j] += v * wr[j];
            }
        }
        Elementwise.doubles(z).put(0, za, 0, s.rows * units);
    }

    /** {@code gw = x^T g} (each kernel row summed over the batch in row order) and {@code gb} = column sums of {@code g}; either may be null. */
    private static void backwardFloat(Csc s, INDArray g, INDArray gw, INDArray gb, int units) {
        float[] ga = Elementwise.scratch(2, s.rows * units);
        Elementwise.floats(g).get(0, ga, 0, s.rows * units);
        if (gw != null) {
            int n = s.cols * units;
            float[] wa = Elementwise.scratch(1, n);
            Arrays.fill(wa, 0, n, 0f);
            for (int c = 0; c < s.cols; c++) {
                int o = c * units;
                for (int k = s.colPtr[c]; k < s.colPtr[c + 1]; k++) axpy(s.fv[k], ga, s.row[k] * units, wa, o, units);
            }
            Elementwise.floats(gw).put(0, wa, 0, n);
        }
        if (gb != null) {
            float[] ba = new float[units];
            for (int r = 0; r < s.rows; r++) {
                int o = r * units;
                for (int j = 0; j < units; j++) ba[j] += ga[o + j];
            }
            Elementwise.floats(gb).put(0, ba, 0, units);
        }
    }

    private static void backwardDouble(Csc s, INDArray g, INDArray gw, INDArray gb, int units) {
        double[] ga = Elementwise.scratchDoubles(2, s.rows * units);
        Elementwise.doubles(g).get(0, ga, 0, s.rows * units);
        if (gw != null) {
            int n = s.cols * units;
            double[] wa = Elementwise.scratchDoubles(1, n);
            Arrays.fill(wa, 0, n, 0.0);
            for (int c = 0; c < s.cols; c++) {
                int o = c * units;
                for (int k = s.colPtr[c]; k < s.colPtr[c + 1]; k++) {
                    double v = s.dv[k];
                    int go = s.row[k] * units;
                    for (int j = 0; j < units; j++) wa[o + j] += v * ga[go + j];
                }
            }
            Elementwise.doubles(gw).put(0, wa, 0, n);
        }
        if (gb != null) {
            double[] ba = new double[units];
            for (int r = 0; r < s.rows; r++) {
                int o = r * units;
                for (int j = 0; j < units; j++) ba[j] += ga[o + j];
            }
            Elementwise.doubles(gb).put(0, ba, 0, units);
        }
    }

    /**
     * {@code y[yo..yo+n) += v * x[xo..xo+n)}, in blocks of eight written out: rows of 16 or 64
     * units are too short for the JIT's vectorized main loop, the blocks it packs into vectors.
     */
    private static void axpy(float v, float[] x, int xo, float[] y, int yo, int n) {
        int j = 0;
        for (; j + 8 <= n; j += 8) {
            y[yo + j] += v * x[xo + j];
            y[yo + j + 1] += v * x[xo + j + 1];
            y[yo + j + 2] += v * x[xo + j + 2];
            y[yo + j + 3] += v * x[xo + j + 3];
            y[yo + j + 4] += v * x[xo + j + 4];
            y[yo + j + 5] += v * x[xo + j + 5];
            y[yo + j + 6] += v * x[xo + j + 6];
            y[yo + j + 7] += v * x[xo + j + 7];
        }
        for (; j < n; j++) y[yo + j] += v * x[xo + j];
    }
}
