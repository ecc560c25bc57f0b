package org.cornu.core.kernels;

import org.cornu.core.FastPaths;
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
import org.cornu.core.autodiff.Tape;
import org.cornu.core.autodiff.Tensor;

/**
 * {@code x @ kernel + bias} for a sparse input that needs no gradient (a model input such as the
 * book's multi-hot vectors: 10000 columns, about 1% ones). The input is scanned once into
 * compressed rows; the forward sums, per output row, the kernel rows of its nonzeros; the backward
 * sums, per kernel row, {@code v * dY[row]} over the batch rows holding that column (the nonzeros
 * by column); no input gradient is computed, none being needed.
 * Both replace a gemm over all 10000 columns by work proportional to the nonzeros.
 *
 * <p>In {@code fit}, the {@code Batcher} gathers such inputs through {@link #gather}: each training
 * row is scanned once per fit, its nonzeros kept, and a batch buffer receives only nonzeros; Dense
 * then finds the batch's nonzeros recorded and scans nothing.
 *
 * <p>Taken only on the CPU backend for dense C-order float32/float64 arrays of rank 2 with at
 * least {@link #MIN_COLUMNS} columns and at most {@link #MAX_DENSITY} nonzeros; otherwise
 * {@link #linear} returns null and the caller runs the gemm ({@link org.cornu.core.ops.Ops#linear}). Results equal
 * the gemm's up to float rounding (the sums run in the array's own float type). Off with
 * {@code -Dcornu.sparseInput=false}.
 */
public final class SparseInput {
    /** Fewest input columns for which the scan is tried. */
    public static final int MIN_COLUMNS = 1024;
    /** Largest fraction of nonzeros for which the sparse products beat the gemm. */
    public static final double MAX_DENSITY = 0.15;

    /** Whether the float at the lower address is the low half of a native-order long. */
    private static final boolean LOW_FIRST = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private SparseInput() {}

    /** Batches are gathered from compressed rows only while both sparse switches are on. */
    private static boolean gatherOn() {
        return FastPaths.SPARSE_INPUT.enabled() && FastPaths.SPARSE_GATHER.enabled();
    }


    /** Compressed sparse rows of a {@code rows x cols} matrix. */
    private record Csr(int rows, int cols, int[] rowPtr, int[] col, float[] fv, double[] dv) {}

    /**
     * {@code x @ kernel + bias} ({@code bias} may be null) on the sparse path, or null where it does
     * not apply (see the class comment); the caller then computes it otherwise.
     */
    public static Tensor linear(Tensor x, Tensor kernel, Tensor bias) {
        if (!FastPaths.SPARSE_INPUT.enabled() || x.requiresGrad() || x.value().rank() != 2 || kernel.value().rank() != 2) return null;
        INDArray xv = x.value(), w = kernel.value();
        long cols = xv.size(1);
        if (cols < MIN_COLUMNS || w.size(0) != cols || xv.size(0) == 0) return null;
        DataType t = xv.dataType();
        if (!Elementwise.fusable(xv) || !Elementwise.fusable(w) || w.dataType() != t) return null;
        INDArray b = bias == null ? null : bias.value();
        if (b != null && (!Elementwise.fusable(b) || b.dataType() != t || b.length() != w.size(1))) return null;
        if ((long) xv.size(0) * w.size(1) > Integer.MAX_VALUE) return null;
        Known k = known(xv);
        Csr csr = k != null ? k.csr : scan(xv);
        if (csr == null) return null;
        FastPaths.SPARSE_INPUT.countRun();
        int units = (int) w.size(1);
        INDArray z = Nd4j.createUninitialized(t, csr.rows, units);
        if (t == DataType.FLOAT) forwardFloat(csr, w, b, z, units);
        else forwardDouble(csr, w, b, z, units);
        Tensor o = new Tensor(z, Tape.needsGrad(kernel, bias));
        return Tape.push(o, g -> {
            INDArray gc = Elementwise.fusable(g) && g.dataType() == t ? g : g.castTo(t).dup('c');
            INDArray gw = kernel.requiresGrad() ? Nd4j.createUninitialized(t, cols, units) : null;
            INDArray gb = bias != null && bias.requiresGrad() ? Nd4j.createUninitialized(t, units) : null;
            Csc csc = gw == null ? null : k != null ? k.csc() : Csc.of(csr, null);
            if (t == DataType.FLOAT) backwardFloat(csr.rows, csc, gc, gw, gb, units);
            else backwardDouble(csr.rows, csc, gc, gw, gb, units);
            if (gw != null) kernel.accumulate(gw);
            if (gb != null) bias.accumulate(gb);
        });
    }

    /**
     * A batch buffer filled by {@link #gather}, the nonzeros it holds, and their by-column form,
     * built by the first {@link #linear} on it (from the arrays of {@code spare}, the previous
     * batch's, whose step is over).
     */
    private static final class Known {
        final WeakReference<INDArray> array;
        final Csr csr;
        /** The previous batch's nonzeros, whose arrays the next batch's take (null if none). */
        final Csr spare;
        private Csc spareCsc;
        private Csc csc;

        Known(INDArray array, Csr csr, Csc spareCsc, Csr spare) {
            this.array = new WeakReference<>(array);
            this.csr = csr;
            this.spareCsc = spareCsc;
            this.spare = spare;
        }

        synchronized Csc csc() {
            if (csc == null) {
                csc = Csc.of(csr, spareCsc);
                spareCsc = null;
            }
            return csc;
        }
    }

    private static final List<Known> KNOWN = new ArrayList<>();

    /** What {@link #gather} recorded for {@code x}, or null. */
    private static Known known(INDArray x) {
        synchronized (KNOWN) {
            for (Known k : KNOWN) {
                if (k.array.get() == x) return k.csr.rows == x.size(0) && k.csr.cols == x.size(1) ? k : null;
            }
        }
        return null;
    }

    /** Drops what is recorded for {@code a} (and for collected arrays); returns what was recorded for {@code a}. */
    private static Known forget(INDArray a) {
        Known r = null;
        synchronized (KNOWN) {
            for (Iterator<Known> it = KNOWN.iterator(); it.hasNext(); ) {
                Known k = it.next();
                INDArray v = k.array.get();
                if (v == a) r = k;
                if (v == null || v == a) it.remove();
            }
        }
        return r;
    }

    /** Most nonzeros a {@link Rows} keeps (beyond, rows are scanned again at each use). */
    public static long maxCached = 16L << 20;

    /**
     * The nonzeros of a training input's rows, scanned when a row is first gathered and kept for
     * the rest of the fit (Keras too reads the arrays once, at the start of fit), in one store:
     * sample {@code s}'s columns are {@code col[start[s] .. start[s] + len[s])}. The Batcher's
     * prefetch thread and the gathering thread both keep rows ({@link #keepAll}, under this Rows'
     * lock); a sample's entries, once kept, never change.
     */
    public static final class Rows {
        /** The training input (null once the store is handed on: {@link #storeOnly}). */
        INDArray src;
        final boolean isFloat;
        /** Per sample, where its nonzeros start in the store, or -1 while not kept. */
        public final int[] start;
        public final int[] len;
        public int[] col = new int[0];
        public float[] fv;
        double[] dv;
        /** Nonzeros in the store, and the samples they belong to. */
        int used;
        int kept;
        /** Set once a batch was too dense: no more scans for this input. */
        public volatile boolean dense;
        /** Scan output, reused from scan to scan: of the gathering thread, and of the prefetch thread. */
        final Builder scratch;
        final Builder prefetchScratch;

        /** {@code spare}: a previous fit's store, whose arrays this one takes over (may be null). */
        private Rows(INDArray src, Rows spare) {
            this.src = src;
            int n = (int) src.size(0);
            isFloat = src.dataType() == DataType.FLOAT;
            boolean reuse = spare != null && spare.isFloat == isFloat;
            start = reuse && spare.start.length == n ? spare.start : new int[n];
            Arrays.fill(start, -1);
            len = reuse && spare.len.length == n ? spare.len : new int[n];
            if (reuse) {
                col = spare.col;
                fv = spare.fv;
                dv = spare.dv;
                scratch = spare.scratch;
                prefetchScratch = spare.prefetchScratch;
            } else {
                if (isFloat) fv = new float[0];
                else dv = new double[0];
                scratch = new Builder(isFloat);
                prefetchScratch = new Builder(isFloat);
            }
        }

        public boolean has(int s) {
            return start[s] >= 0;
        }

        /** This store without its training input, for a later fit to take over: a model keeping it keeps no input alive. */
        public Rows storeOnly() {
            src = null;
            return this;
        }

        /**
         * Keeps the rows of {@code fresh} (a scan of {@code samples}) as those samples' while the
         * store has room; or, where they are too dense for the sparse path, marks the input dense
         * and returns false.
         */
        synchronized boolean keepAll(int[] samples, Csr fresh) {
            int n = samples.length;
            if (fresh.rowPtr[n] > MAX_DENSITY * n * (double) fresh.cols) {
                dense = true;
                return false;
            }
            for (int f = 0; f < n; f++) keep(samples[f], fresh, f);
            return true;
        }

        /** Keeps row {@code f} of {@code fresh} as sample {@code s}'s, while the store has room. */
        private void keep(int s, Csr fresh, int f) {
            int from = fresh.rowPtr[f], n = fresh.rowPtr[f + 1] - from;
            if (start[s] >= 0) return;
            if (used + n > col.length) {
                if (used + (long) n > maxCached) return;
                // room for all samples at the density seen so far, and a tenth more
                double perRow = (used + n) / (double) (kept + 1);
                long want = Math.max((long) (1.1 * perRow * start.length) + 64, used + n + (long) col.length / 2);
                int cap = (int) Math.min(maxCached, want);
                col = Arrays.copyOf(col, cap);
                if (isFloat) fv = Arrays.copyOf(fv, cap);
                else dv = Arrays.copyOf(dv, cap);
            }
            System.arraycopy(fresh.col, from, col, used, n);
            if (isFloat) System.arraycopy(fresh.fv, from, fv, used, n);
            else System.arraycopy(fresh.dv, from, dv, used, n);
            start[s] = used;
            len[s] = n;
            used += n;
            kept++;
        }
    }

    /** A row store for the 2-D training input {@code src}, or null where the sparse path cannot apply. */
    public static Rows rows(INDArray src) {
        return rows(src, null);
    }

    /**
     * As {@link #rows(INDArray)}, taking over the arrays of {@code spare} (a previous fit's store of
     * the same model, which must not be used again; may be null): a new fit then writes into heap
     * memory already in use instead of new pages.
     */
    public static Rows rows(INDArray src, Rows spare) {
        if (!gatherOn() || src.rank() != 2 || src.size(1) < MIN_COLUMNS || src.size(0) > Integer.MAX_VALUE
                || !Elementwise.fusable(src)) {
            return null;
        }
        return new Rows(src, spare);
    }

    /**
     * The samples of {@code idx} not yet kept in {@code rows}, each once, in order of first
     * appearance; {@code at} (if not null) receives, per position of {@code idx}, the sample's index
     * in that list, or -1 for a kept sample.
     */
    private static int[] missing(Rows rows, int[] idx, int[] at) {
        int[] todo = new int[idx.length];
        int missing = 0;
        for (int r = 0; r < idx.length; r++) {
            int s = idx[r], st = rows.start[s];
            if (st >= 0) {
                if (at != null) at[r] = -1;
            } else if (st == -1) {
                // pending: marked -2 - (its index in todo) until the list is done
                rows.start[s] = -2 - missing;
                if (at != null) at[r] = missing;
                todo[missing++] = s;
            } else if (at != null) {
                at[r] = -2 - st;
            }
        }
        for (int f = 0; f < missing; f++) rows.start[todo[f]] = -1;
        return Arrays.copyOf(todo, missing);
    }

    /**
     * The scan of an epoch's coming batches: their rows not yet kept, in chunks of at most
     * {@value #CHUNK} rows (a chunk never spans two batches), in batch order. The Batcher's prefetch
     * thread claims chunk after chunk, running ahead of training as far as it can; the training
     * thread, when it needs a batch, claims that batch's unclaimed chunks itself, then waits for the
     * ones in progress. Each thread scans with its own builder; the store takes the rows under the
     * Rows' lock.
     */
    public static final class Prefetch {
        static final int CHUNK = 32;
        final Rows rows;
        private final int[] todo;
        /** Chunk {@code c} is {@code todo[chunkStart[c] .. chunkStart[c + 1])}. */
        private final int[] chunkStart;
        /** Batch {@code b}'s chunks are those before {@code batchEnd[b]} (and after the previous batch's). */
        private final int[] batchEnd;
        private final java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        private final java.util.concurrent.atomic.AtomicIntegerArray done;
        private volatile boolean cancelled;
        private volatile Throwable failure;

        /**
         * The scan of batches {@code order[b * batchSize ..]}, {@code b = 0, 1, ...}; made on the thread
         * that gathers from {@code rows}, while no other scan of it runs.
         */
        public Prefetch(Rows rows, int[] order, int batchSize) {
            this.rows = rows;
            int batches = (order.length + batchSize - 1) / batchSize;
            batchEnd = new int[batches];
            int[] at = new int[order.length];
            todo = rows == null || rows.dense || !gatherOn() ? new int[0] : missing(rows, order, at);
            int[] starts = new int[todo.length + batches + 1];
            int chunks = 0, t = 0;
            for (int b = 0; b < batches; b++) {
                int first = t;
                // todo entries are made in order of position: position p made entry t if at[p] == t
                for (int p = b * batchSize, to = Math.min(order.length, p + batchSize); p < to && t < todo.length; p++) {
                    if (at[p] == t) t++;
                }
                for (int c = first; c < t; c += CHUNK) starts[chunks++] = c;
                batchEnd[b] = chunks;
            }
            starts[chunks] = t;
            chunkStart = Arrays.copyOf(starts, chunks + 1);
            done = new java.util.concurrent.atomic.AtomicIntegerArray(chunks);
        }

        /** Scans unclaimed chunks in order until none is left (the prefetch thread). */
        public void run() {
            try {
                int c;
                while (!cancelled && !rows.dense && (c = next.getAndIncrement()) < done.length()) scan(c, rows.prefetchScratch);
            } catch (Throwable e) {
                failure = e;
                throw e;
            }
        }

        /**
         * Returns once batch {@code b}'s rows are scanned and kept (or the input proved dense):
         * scans its unclaimed chunks on this thread, then waits for those in progress.
         */
        public void awaitBatch(int b) {
            int end = batchEnd[b];
            int c;
            while (!rows.dense && (c = next.get()) < end) {
                if (next.compareAndSet(c, c + 1)) scan(c, rows.scratch);
            }
            for (int q = 0; q < end; q++) {
                for (int spins = 0; done.get(q) == 0 && !rows.dense; spins++) {
                    if (failure != null) throw new IllegalStateException("scanning a sparse input failed", failure);
                    if (spins < 1000) Thread.onSpinWait();
                    else Thread.yield();
                }
            }
        }

        /** Stops the prefetch thread after its current chunk. */
        public void cancel() {
            cancelled = true;
        }

        private void scan(int c, Builder b) {
            int from = chunkStart[c], n = chunkStart[c + 1] - from;
            int[] part = Arrays.copyOfRange(todo, from, from + n);
            rows.keepAll(part, scanRows(rows.src, part, n, false, b));
            done.set(c, 1);
        }
    }

    /**
     * Copies rows {@code idx} of {@code rows.src} into the batch buffer {@code dst} ({@code idx.length x
     * cols}, which only this method writes while it holds sparse rows), and records their nonzeros so
     * that {@link #linear} on {@code dst} needs no scan. Only nonzeros are written: those of the
     * previous batch are cleared first. Returns false, leaving the copy to the caller, where the
     * path does not apply or the rows are not sparse.
     */
    public static boolean gather(Rows rows, INDArray dst, int[] idx) {
        Known prevK = forget(dst);
        if (rows == null || rows.dense || !gatherOn()) return false;
        INDArray src = rows.src;
        if (dst.rank() != 2 || src.size(1) != dst.size(1) || dst.size(0) != idx.length || src.dataType() != dst.dataType()
                || !Elementwise.fusable(dst)) {
            return false;
        }
        boolean isFloat = rows.isFloat;
        int cols = (int) src.size(1);
        // scan the rows seen for the first time, and keep them while the store has room
        int[] at = new int[idx.length];
        int[] todo = missing(rows, idx, at);
        Csr fresh = null;
        if (todo.length > 0) {
            fresh = scanRows(src, todo, todo.length, false, rows.scratch);
            if (!rows.keepAll(todo, fresh)) return false;
        }
        // the store's arrays as of now (the prefetch thread may replace them as it grows the store;
        // this batch's rows are in these, written before it let this thread go on)
        int[] storeCol;
        float[] storeF;
        double[] storeD;
        synchronized (rows) {
            storeCol = rows.col;
            storeF = rows.fv;
            storeD = rows.dv;
        }
        // where each batch row's nonzeros are: the store, else the fresh scan (a full store)
        int[] srcCol = new int[idx.length];
        boolean[] inFresh = new boolean[idx.length];
        long total = 0;
        for (int r = 0; r < idx.length; r++) {
            int s = idx[r];
            if (rows.has(s)) {
                srcCol[r] = s;
                total += rows.len[s];
            } else {
                int f = at[r];
                srcCol[r] = f;
                inFresh[r] = true;
                total += fresh.rowPtr[f + 1] - fresh.rowPtr[f];
            }
        }
        if (total > MAX_DENSITY * idx.length * (double) cols) return false;
        // the previous batch's arrays take this batch's nonzeros; its own are cleared as they are written
        Csr prev = prevK == null ? null : prevK.csr;
        boolean same = prev != null && prev.cols == cols && prev.rows == idx.length;
        if (!same) dst.assign(0);
        int n = (int) total;
        // the arrays of the batch before the previous one take this batch's nonzeros (the previous
        // batch's are read while its nonzeros are cleared)
        Csr spare = same ? prevK.spare : null;
        boolean reuse = spare != null && spare.rowPtr.length == idx.length + 1 && spare.col.length >= n;
        int[] rowPtr = reuse ? spare.rowPtr : new int[idx.length + 1];
        int[] col = reuse ? spare.col : new int[n + n / 4];
        float[] fv = isFloat ? (reuse ? spare.fv : new float[col.length]) : null;
        double[] dv = isFloat ? null : (reuse ? spare.dv : new double[col.length]);
        int o = 0;
        for (int r = 0; r < idx.length; r++) {
            int from, len;
            int[] sc;
            if (inFresh[r]) {
                from = fresh.rowPtr[srcCol[r]];
                len = fresh.rowPtr[srcCol[r] + 1] - from;
                sc = fresh.col;
                if (isFloat) System.arraycopy(fresh.fv, from, fv, o, len);
                else System.arraycopy(fresh.dv, from, dv, o, len);
            } else {
                from = rows.start[srcCol[r]];
                len = rows.len[srcCol[r]];
                sc = storeCol;
                if (isFloat) System.arraycopy(storeF, from, fv, o, len);
                else System.arraycopy(storeD, from, dv, o, len);
            }
            System.arraycopy(sc, from, col, o, len);
            rowPtr[r] = o;
            o += len;
            rowPtr[r + 1] = o;
        }
        Csr csr = new Csr(idx.length, cols, rowPtr, col, fv, dv);
        if (isFloat) writeFloats(Elementwise.floats(dst), same ? prev : null, csr);
        else writeDoubles(Elementwise.doubles(dst), same ? prev : null, csr);
        synchronized (KNOWN) {
            KNOWN.add(new Known(dst, csr, prevK == null ? null : prevK.csc, same ? prev : null));
        }
        FastPaths.SPARSE_GATHER.countRun();
        return true;
    }

    /**
     * Writes the nonzeros of {@code csr} into the row-major {@code d}, row by row, each row's after
     * zeros in the places of {@code prev}'s (the same rows' previous nonzeros; may be null): the
     * clearing and the writing of a row then touch the same pages, which are scattered over a
     * 20 MB buffer.
     */
    private static void writeFloats(FloatBuffer d, Csr prev, Csr csr) {
        int cols = csr.cols;
        int[] c = csr.col, p = csr.rowPtr;
        float[] v = csr.fv;
        for (int r = 0; r < csr.rows; r++) {
            int o = r * cols;
            if (prev != null && r < prev.rows) {
                for (int k = prev.rowPtr[r]; k < prev.rowPtr[r + 1]; k++) d.put(o + prev.col[k], 0f);
            }
            for (int k = p[r]; k < p[r + 1]; k++) d.put(o + c[k], v[k]);
        }
    }

    private static void writeDoubles(DoubleBuffer d, Csr prev, Csr csr) {
        int cols = csr.cols;
        int[] c = csr.col, p = csr.rowPtr;
        double[] v = csr.dv;
        for (int r = 0; r < csr.rows; r++) {
            int o = r * cols;
            if (prev != null && r < prev.rows) {
                for (int k = prev.rowPtr[r]; k < prev.rowPtr[r + 1]; k++) d.put(o + prev.col[k], 0.0);
            }
            for (int k = p[r]; k < p[r + 1]; k++) d.put(o + c[k], v[k]);
        }
    }

    /** The nonzeros of {@code x}, or null as soon as they exceed {@link #MAX_DENSITY}. */
    private static Csr scan(INDArray x) {
        return scanRows(x, null, (int) x.size(0), true, new Builder(x.dataType() == DataType.FLOAT));
    }

    /**
     * The nonzeros of rows {@code idx} of the 2-D {@link Elementwise#fusable} array {@code src} (rows
     * {@code 0..rows-1} when {@code idx} is null) in {@code out}'s arrays (valid until its next
     * scan), or null as soon as they exceed {@link #MAX_DENSITY} ({@code limited}). Rows are read
     * from native memory in bulk as longs (two floats or one double each) and tested eight longs at a
     * time: multi-hot rows are mostly zero. A zero is {@code == 0} (so -0.0 too); NaN is a nonzero.
     */
    private static Csr scanRows(INDArray src, int[] idx, int rows, boolean limited, Builder out) {
        int cols = (int) src.size(1);
        boolean isFloat = src.dataType() == DataType.FLOAT;
        out.reset(rows, cols, limited);
        long start = src.offset() * (isFloat ? 4 : 8);
        // longs need every row to start on 8 bytes: float rows of even length from an even offset
        boolean viaLongs = start % 8 == 0 && (!isFloat || cols % 2 == 0) && start <= Integer.MAX_VALUE;
        if (viaLongs) {
            // each row is bulk-copied into a heap long[] (a memcpy) and tested there eight longs at a
            // time: direct-buffer reads cost a bounds-checked call each (4 GB/s against ~2.5x that)
            LongBuffer lb = src.data().asNio().position((int) start).slice().order(ByteOrder.nativeOrder()).asLongBuffer();
            int words = isFloat ? cols / 2 : cols;
            long[] row = Elementwise.scratchLongs(words);
            for (int r = 0; r < rows; r++) {
                lb.get((idx == null ? r : idx[r]) * words, row, 0, words);
                out.ensure(cols);
                if (isFloat) out.floatWords(row, words);
                else out.doubleWords(row, words);
                if (!out.endRow(r)) return null;
            }
        } else if (isFloat) {
            FloatBuffer fb = Elementwise.floats(src);
            float[] row = Elementwise.scratch(0, cols);
            for (int r = 0; r < rows; r++) {
                fb.get((idx == null ? r : idx[r]) * cols, row, 0, cols);
                out.ensure(cols);
                for (int c = 0; c < cols; c++) {
                    if (row[c] != 0f) out.add(c, row[c]);
                }
                if (!out.endRow(r)) return null;
            }
        } else {
            DoubleBuffer db = Elementwise.doubles(src);
            double[] row = Elementwise.scratchDoubles(0, cols);
            for (int r = 0; r < rows; r++) {
                db.get((idx == null ? r : idx[r]) * cols, row, 0, cols);
                out.ensure(cols);
                for (int c = 0; c < cols; c++) {
                    if (row[c] != 0) out.add(c, row[c]);
                }
                if (!out.endRow(r)) return null;
            }
        }
        return out.nnz > out.limit ? null : new Csr(rows, cols, Arrays.copyOf(out.rowPtr, rows + 1), out.col, out.fv, out.dv);
    }

    /** Collects nonzeros row by row into arrays kept from scan to scan, giving up beyond {@link #MAX_DENSITY}. */
    private static final class Builder {
        final boolean isFloat;
        long limit;
        int[] rowPtr = new int[1];
        int[] col = new int[0];
        float[] fv;
        double[] dv;
        int nnz;
        double earlyLimit;

        Builder(boolean isFloat) {
            this.isFloat = isFloat;
            if (isFloat) fv = new float[0];
            else dv = new double[0];
        }

        /** Starts a scan of {@code rows} rows; {@code limited}: give up beyond {@link #MAX_DENSITY}, else collect everything. */
        void reset(int rows, int cols, boolean limited) {
            limit = limited ? (long) (MAX_DENSITY * rows * (double) cols) : (long) rows * cols;
            earlyLimit = limited ? 4 * MAX_DENSITY * cols : Double.POSITIVE_INFINITY;
            if (rowPtr.length < rows + 1) rowPtr = new int[rows + 1];
            nnz = 0;
        }

        /** Room for {@code n} more nonzeros (a row's worth). */
        void ensure(int n) {
            if (nnz + (long) n <= col.length) return;
            int cap = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(2L * col.length, (long) nnz + n + 1024));
            col = Arrays.copyOf(col, cap);
            if (isFloat) fv = Arrays.copyOf(fv, cap);
            else dv = Arrays.copyOf(dv, cap);
        }

        /** Adds the nonzero floats of a row read as {@code words} native-order longs (room ensured). */
        void floatWords(long[] row, int words) {
            int[] c = col;
            float[] v = fv;
            int k = nnz;
            int body = words & ~7, w = 0;
            for (; w < body; w += 8) {
                if ((row[w] | row[w + 1] | row[w + 2] | row[w + 3] | row[w + 4] | row[w + 5] | row[w + 6] | row[w + 7]) == 0) continue;
                for (int q = w; q < w + 8; q++) k = floatPair(row[q], q, c, v, k);
            }
            for (; w < words; w++) k = floatPair(row[w], w, c, v, k);
            nnz = k;
        }

        /** Appends the nonzero floats of long {@code w} of a row ({@code bits}) at {@code k}; returns the new count. */
        private static int floatPair(long bits, int w, int[] c, float[] v, int k) {
            if (bits == 0) return k;
            int first = LOW_FIRST ? (int) bits : (int) (bits >>> 32);
            int second = LOW_FIRST ? (int) (bits >>> 32) : (int) bits;
            if ((first & 0x7fffffff) != 0) {
                c[k] = 2 * w;
                v[k++] = Float.intBitsToFloat(first);
            }
            if ((second & 0x7fffffff) != 0) {
                c[k] = 2 * w + 1;
                v[k++] = Float.intBitsToFloat(second);
            }
            return k;
        }

        /** Adds the nonzero doubles of a row read as {@code words} longs (room ensured). */
        void doubleWords(long[] row, int words) {
            int[] c = col;
            double[] v = dv;
            int k = nnz;
            int body = words & ~7, w = 0;
            for (; w < body; w += 8) {
                if ((row[w] | row[w + 1] | row[w + 2] | row[w + 3] | row[w + 4] | row[w + 5] | row[w + 6] | row[w + 7]) == 0) continue;
                for (int q = w; q < w + 8; q++) {
                    if ((row[q] & 0x7fffffffffffffffL) != 0) {
                        c[k] = q;
                        v[k++] = Double.longBitsToDouble(row[q]);
                    }
                }
            }
            for (; w < words; w++) {
                if ((row[w] & 0x7fffffffffffffffL) != 0) {
                    c[k] = w;
                    v[k++] = Double.longBitsToDouble(row[w]);
                }
            }
            nnz = k;
        }

        /** Ends row {@code r}; false (give up) where the rows so far are far denser than the limit allows. */
        boolean endRow(int r) {
            rowPtr[r + 1] = nnz;
            return nnz <= earlyLimit * (r + 1) && nnz <= limit;
        }

        /** Appends {@code v} at column {@code c} (room ensured). */
        void add(int c, double v) {
            col[nnz] = c;
            if (isFloat) fv[nnz] = (float) v;
            else dv[nnz] = v;
            nnz++;
        }
    }

    /**
     * The nonzeros of {@code s} by column (within a column by row): the products then walk the
     * kernel and its gradient row after row once, instead of jumping between their rows.
     */
    private record Csc(int rows, int cols, int[] colPtr, int[] row, float[] fv, double[] dv) {
        /** The by-column form of {@code s}, in the arrays of {@code spare} where they are large enough ({@code spare} may be null). */
        static Csc of(Csr s, Csc spare) {
            int nnz = s.rowPtr[s.rows];
            boolean reuse = spare != null && spare.cols == s.cols && spare.row.length >= nnz
                    && (s.fv == null ? spare.dv != null : spare.fv != null);
            int[] colPtr = reuse ? spare.colPtr : new int[s.cols + 1];
            if (reuse) Arrays.fill(colPtr, 0);
            for (int k = 0; k < nnz; k++) colPtr[s.col[k] + 1]++;
            for (int c = 0; c < s.cols; c++) colPtr[c + 1] += colPtr[c];
            int[] next = Arrays.copyOf(colPtr, s.cols);
            int cap = nnz + nnz / 4;
            int[] row = reuse ? spare.row : new int[cap];
            float[] fv = s.fv == null ? null : reuse ? spare.fv : new float[cap];
            double[] dv = s.dv == null ? null : reuse ? spare.dv : new double[cap];
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

    /** Fewest units for which {@link #sumRows} adds whole copied rows (see there). */
    static final int COPIED_ROWS_MIN_UNITS = 64;
    /** Per-thread sum and row buffers for {@link #sumRows}. */
    private static final ThreadLocal<float[][]> ROW_BUFFERS = ThreadLocal.withInitial(() -> new float[2][0]);

    /** This thread's two row buffers of at least {@code units} floats, or null below {@link #COPIED_ROWS_MIN_UNITS}. */
    static float[][] rowBuffers(int units) {
        if (units < COPIED_ROWS_MIN_UNITS) return null;
        float[][] b = ROW_BUFFERS.get();
        if (b[0].length < units) {
            b[0] = new float[units];
            b[1] = new float[units];
        }
        return b;
    }

    /**
     * {@code out[o + j] = start[j] + sum over k in [from, to) of v[k] * table[index[k] * units + j]}
     * for {@code j < units} ({@code start} null: zeros), added in order of {@code k}. The forward
     * sums a row's kernel rows, the kernel gradient a column's rows of the output gradient.
     *
     * <p>With {@code rows} (two buffers of {@code units} floats, from {@link #rowBuffers}), each
     * table row is first copied into {@code rows[1]} and then added into the sum {@code rows[0]}
     * at the same index: C2 (JDK 17) vectorizes that loop, where it leaves an add from
     * {@code table[g + j]} into another offset scalar (the two arrays might overlap). Reuters'
     * 64 units: 0.25 against 0.31-0.37 ns per multiply-add, the reuters epoch 0.13-0.15 against
     * 0.15-0.18 s of CPU time. Without, units go in blocks of eight held in locals across the
     * {@code k} (twice the speed of adding each table row into the output in memory), the better
     * way below 64 units (IMDB's 16: 0.36 against 0.94 ns). The same float operations in the same
     * order either way, so the same results.
     */
    static void sumRows(int[] index, float[] v, int from, int to, float[] table, int units, float[] start,
                        float[] out, int o, float[][] rows) {
        if (rows != null) {
            float[] acc = rows[0], row = rows[1];
            if (start != null) System.arraycopy(start, 0, acc, 0, units);
            else Arrays.fill(acc, 0, units, 0f);
            for (int k = from; k < to; k++) {
                float x = v[k];
                System.arraycopy(table, index[k] * units, row, 0, units);
                for (int j = 0; j < units; j++) acc[j] += x * row[j];
            }
            System.arraycopy(acc, 0, out, o, units);
            return;
        }
        int body = units & ~7, j = 0;
        for (; j < body; j += 8) {
            float a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
            if (start != null) {
                a0 = start[j];
                a1 = start[j + 1];
                a2 = start[j + 2];
                a3 = start[j + 3];
                a4 = start[j + 4];
                a5 = start[j + 5];
                a6 = start[j + 6];
                a7 = start[j + 7];
            }
            for (int k = from; k < to; k++) {
                float x = v[k];
                int g = index[k] * units + j;
                a0 += x * table[g];
                a1 += x * table[g + 1];
                a2 += x * table[g + 2];
                a3 += x * table[g + 3];
                a4 += x * table[g + 4];
                a5 += x * table[g + 5];
                a6 += x * table[g + 6];
                a7 += x * table[g + 7];
            }
            out[o + j] = a0;
            out[o + j + 1] = a1;
            out[o + j + 2] = a2;
            out[o + j + 3] = a3;
            out[o + j + 4] = a4;
            out[o + j + 5] = a5;
            out[o + j + 6] = a6;
            out[o + j + 7] = a7;
        }
        for (; j < units; j++) {
            float a = start == null ? 0 : start[j];
            for (int k = from; k < to; k++) a += v[k] * table[index[k] * units + j];
            out[o + j] = a;
        }
    }

    /** {@code z = x @ w + b} ({@code b} may be null), row by row; each output starts at its bias and adds its terms in column order. */
    private static void forwardFloat(Csr s, INDArray w, INDArray b, INDArray z, int units) {
        int n = s.cols * units;
        float[] wa = Elementwise.scratch(1, n);
        Elementwise.floats(w).get(0, wa, 0, n);
        float[] za = Elementwise.scratch(2, s.rows * units);
        float[] ba = new float[units];
        if (b != null) Elementwise.floats(b).get(0, ba, 0, units);
        float[][] bufs = rowBuffers(units);
        for (int r = 0; r < s.rows; r++) sumRows(s.col, s.fv, s.rowPtr[r], s.rowPtr[r + 1], wa, units, ba, za, r * units, bufs);
        Elementwise.floats(z).put(0, za, 0, s.rows * units);
    }

    private static void forwardDouble(Csr s, INDArray w, INDArray b, INDArray z, int units) {
        int n = s.cols * units;
        double[] wa = Elementwise.scratchDoubles(1, n);
        Elementwise.doubles(w).get(0, wa, 0, n);
        double[] za = Elementwise.scratchDoubles(2, s.rows * units);
        double[] ba = new double[units];
        if (b != null) Elementwise.doubles(b).get(0, ba, 0, units);
        for (int r = 0; r < s.rows; r++) {
            int o = r * units;
            for (int j = 0; j < units; j++) {
                double a = ba[j];
                for (int k = s.rowPtr[r]; k < s.rowPtr[r + 1]; k++) a += s.dv[k] * wa[s.col[k] * units + j];
                za[o + j] = a;
            }
        }
        Elementwise.doubles(z).put(0, za, 0, s.rows * units);
    }

    /**
     * {@code gw = x^T g} (each kernel row summed over the batch in row order) and {@code gb} = column
     * sums of {@code g}; either may be null ({@code s} with {@code gw}).
     */
    private static void backwardFloat(int rows, Csc s, INDArray g, INDArray gw, INDArray gb, int units) {
        float[] ga = Elementwise.scratch(2, rows * units);
        Elementwise.floats(g).get(0, ga, 0, rows * units);
        if (gw != null) {
            int n = s.cols * units;
            float[] wa = Elementwise.scratch(1, n);
            float[][] bufs = rowBuffers(units);
            for (int c = 0; c < s.cols; c++) sumRows(s.row, s.fv, s.colPtr[c], s.colPtr[c + 1], ga, units, null, wa, c * units, bufs);
            Elementwise.floats(gw).put(0, wa, 0, n);
        }
        if (gb != null) {
            float[] ba = new float[units];
            for (int r = 0; r < rows; r++) {
                int o = r * units;
                for (int j = 0; j < units; j++) ba[j] += ga[o + j];
            }
            Elementwise.floats(gb).put(0, ba, 0, units);
        }
    }

    private static void backwardDouble(int rows, Csc s, INDArray g, INDArray gw, INDArray gb, int units) {
        double[] ga = Elementwise.scratchDoubles(2, rows * units);
        Elementwise.doubles(g).get(0, ga, 0, rows * units);
        if (gw != null) {
            int n = s.cols * units;
            double[] wa = Elementwise.scratchDoubles(1, n);
            for (int c = 0; c < s.cols; c++) {
                int o = c * units;
                for (int j = 0; j < units; j++) {
                    double a = 0;
                    for (int k = s.colPtr[c]; k < s.colPtr[c + 1]; k++) a += s.dv[k] * ga[s.row[k] * units + j];
                    wa[o + j] = a;
                }
            }
            Elementwise.doubles(gw).put(0, wa, 0, n);
        }
        if (gb != null) {
            double[] ba = new double[units];
            for (int r = 0; r < rows; r++) {
                int o = r * units;
                for (int j = 0; j < units; j++) ba[j] += ga[o + j];
            }
            Elementwise.doubles(gb).put(0, ba, 0, units);
        }
    }
}
