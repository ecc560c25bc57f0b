package org.cornu.core.training;

import org.cornu.core.FastPaths;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.cornu.core.Cornu;
import org.cornu.core.kernels.Elementwise;
import org.cornu.core.Model;
import org.cornu.core.kernels.SparseInput;

/**
 * Gathers training batches through an index permutation into buffers that are reused from
 * batch to batch (one set for full batches, one for the last, shorter batch). Sparse inputs
 * (multi-hot vectors) are gathered through {@link SparseInput}: only their nonzeros are written,
 * and recorded for Dense.
 */
public final class Batcher {
    /**
     * One batch.
     *
     * @param x the inputs, one array per model input
     * @param y the targets, one array per model output
     * @param sw the sample weights, or null
     * @param size the number of samples
     */
    public record Batch(INDArray[] x, INDArray[] y, INDArray sw, int size) {}

    private final INDArray[] xs2d;
    /** Per input, the nonzeros of its rows where it may be sparse (multi-hot vectors), else null. */
    private final SparseInput.Rows[] sparse;
    private final INDArray[] ys2d;
    private final INDArray sw;
    private final INDArray[] xsOrig;
    private final INDArray[] ysOrig;
    private final int batchSize;
    private final long n;
    private final java.util.Map<Integer, INDArray[]> buffers = new java.util.HashMap<>();
    /**
     * Batch buffers of the previous fit of the same model, by shape and slot: taken over where they
     * fit, so that a new fit writes into memory that is already mapped (fresh buffers of a
     * multi-hot batch are 20 MB of page faults per fit) and only the nonzeros a sparse gather
     * recorded need clearing.
     */
    private final java.util.Map<String, INDArray> reusable;

    /**
     * What a fit's Batcher leaves to the model's next fit: its batch buffers by shape and slot, its sparse row stores.
     *
     * @param buffers batch buffers by shape and slot
     * @param rows the sparse row stores, per input
     */
    public record Leftovers(java.util.Map<String, INDArray> buffers, SparseInput.Rows[] rows) {
        /** Nothing left: the first fit of a model. */
        public static final Leftovers NONE = new Leftovers(java.util.Map.of(), new SparseInput.Rows[0]);
    }
    /** The scan of this epoch's coming batches' sparse rows on the prefetch thread, running ahead of training; or null. */
    private java.util.concurrent.Future<?> prefetching;
    /** Its jobs, per input (null where none), which this thread joins for the batch it needs. */
    private SparseInput.Prefetch[] jobs;
    /** Prefetches sparse rows on a second core (off with {@code -Dcornu.sparsePrefetch=false}). */
    private static final boolean PREFETCH = Runtime.getRuntime().availableProcessors() > 1;
    private static java.util.concurrent.ExecutorService prefetcher;

    private static synchronized java.util.concurrent.ExecutorService prefetcher() {
        if (prefetcher == null) {
            // oneDNN's libraries load on this thread, never while the prefetch thread makes direct
            // buffers (see Cornu.chooseThreads)
            org.cornu.core.kernels.Dnnl.present();
            prefetcher = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "cornu-sparse-prefetch");
                t.setDaemon(true);
                return t;
            });
        }
        return prefetcher;
    }

    /**
     * Batches of the given data, with fresh buffers.
     *
     * @param xs the inputs, samples along axis 0
     * @param ys the targets
     * @param sw the sample weights, or null
     * @param batchSize the batch size
     */
    public Batcher(INDArray[] xs, INDArray[] ys, INDArray sw, int batchSize) {
        this(xs, ys, sw, batchSize, Leftovers.NONE);
    }

    /**
     * {@code from}: what a previous Batcher of the same model left ({@link #leftovers()}), taken over where it fits.
     *
     * @param xs the inputs, samples along axis 0
     * @param ys the targets
     * @param sw the sample weights, or null
     * @param batchSize the batch size
     * @param from the previous Batcher's leftovers
     */
    public Batcher(INDArray[] xs, INDArray[] ys, INDArray sw, int batchSize, Leftovers from) {
        this.reusable = new java.util.HashMap<>(from.buffers());
        this.xsOrig = xs;
        this.ysOrig = ys;
        this.xs2d = as2d(xs);
        this.sparse = new SparseInput.Rows[xs2d.length];
        for (int i = 0; i < xs2d.length; i++) {
            sparse[i] = SparseInput.rows(xs2d[i], i < from.rows().length ? from.rows()[i] : null);
        }
        this.ys2d = as2d(ys);
        this.sw = sw == null ? null : sw.reshape(sw.length(), 1);
        this.batchSize = batchSize;
        this.n = xs[0].size(0);
    }

    private static INDArray[] as2d(INDArray[] a) {
        INDArray[] r = new INDArray[a.length];
        for (int i = 0; i < a.length; i++) {
            INDArray c = a[i].isView() || a[i].ordering() != 'c' ? a[i].dup('c') : a[i];
            r[i] = c.reshape('c', c.size(0), c.length() / c.size(0));
        }
        return r;
    }

    /**
     * A random permutation of {@code 0..n-1} from Cornu's seeded generator.
     *
     * @param n the number of samples
     * @return the permutation
     */
    public static int[] permutation(int n) {
        return permutation(n, Cornu.nextSeed());
    }

    /**
     * The permutation {@link #permutation(int)} draws when Cornu's generator gives {@code seed}:
     * after {@code Cornu.setSeed(s)}, epoch {@code e} of {@code fit} shuffles with the {@code e}-th
     * {@code nextLong()} of {@code new SplittableRandom(s)} (data-parallel trainers reproduce it).
     *
     * @param n the number of samples
     * @param seed the seed of the shuffle
     * @return the permutation
     */
    public static int[] permutation(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /**
     * Batch number {@code step} of an epoch.
     *
     * @param order the epoch's sample order, or null for the data's order
     * @param step the batch index, from 0
     * @return the batch; its arrays may be reused by the next call
     */
    public Batch batch(int[] order, int step) {
        long from = (long) step * batchSize;
        int size = (int) Math.min(batchSize, n - from);
        if (order == null) {
            INDArray[] x = new INDArray[xsOrig.length];
            INDArray[] y = new INDArray[ysOrig.length];
            for (int i = 0; i < x.length; i++) x[i] = org.cornu.core.training.DataAdapter.rows(xsOrig[i], from, from + size);
            for (int i = 0; i < y.length; i++) y[i] = org.cornu.core.training.DataAdapter.rows(ysOrig[i], from, from + size);
            return new Batch(x, y, sw == null ? null : org.cornu.core.training.DataAdapter.rows(sw, from, from + size).reshape(size), size);
        }
        if (step == 0) {
            stopPrefetch();
            prefetch(order);
        } else if (jobs != null) {
            for (SparseInput.Prefetch j : jobs) if (j != null) j.awaitBatch(step - 1);
        }
        int[] idx = new int[size];
        System.arraycopy(order, (int) from, idx, 0, size);
        INDArray[] buf = buffers.computeIfAbsent(size, this::allocate);
        int k = 0;
        INDArray[] x = new INDArray[xs2d.length];
        for (int i = 0; i < xs2d.length; i++, k++) {
            // sparse rows: write only the nonzeros and record them for Dense
            if (!SparseInput.gather(sparse[i], buf[k], idx)) gather(xs2d[i], buf[k], idx);
            x[i] = reshapeLike(buf[k], xsOrig[i], size);
        }
        INDArray[] y = new INDArray[ys2d.length];
        for (int i = 0; i < ys2d.length; i++, k++) {
            gather(ys2d[i], buf[k], idx);
            y[i] = reshapeLike(buf[k], ysOrig[i], size);
        }
        INDArray w = null;
        if (sw != null) {
            gather(sw, buf[k], idx);
            w = buf[k].reshape(size);
        }
        return new Batch(x, y, w, size);
    }

    /** Starts scanning the sparse rows of the epoch's batches after the first (of {@code order}) on the prefetch thread. */
    private void prefetch(int[] order) {
        if (!PREFETCH || !FastPaths.SPARSE_PREFETCH.enabled() || batchSize >= n) return;
        boolean any = false;
        for (SparseInput.Rows r : sparse) any |= r != null && !r.dense;
        if (!any) return;
        int[] rest = java.util.Arrays.copyOfRange(order, batchSize, (int) n);
        SparseInput.Prefetch[] js = new SparseInput.Prefetch[sparse.length];
        for (int i = 0; i < js.length; i++) js[i] = sparse[i] == null ? null : new SparseInput.Prefetch(sparse[i], rest, batchSize);
        jobs = js;
        prefetching = prefetcher().submit(() -> {
            for (SparseInput.Prefetch j : js) if (j != null) j.run();
        });
    }

    /** Stops the prefetch scan after its current chunk and waits for it (what it kept is then visible to this thread). */
    private void stopPrefetch() {
        if (prefetching == null) return;
        try {
            for (SparseInput.Prefetch j : jobs) if (j != null) j.cancel();
            prefetching.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while prefetching sparse rows", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("prefetching sparse rows failed", e.getCause());
        } finally {
            prefetching = null;
            jobs = null;
        }
    }

    /**
     * Copies rows {@code idx} of {@code src} into {@code dst}: bulk Java copies on the CPU backend
     * (5x ND4J's pullRows for 512 rows of 10000 floats), pullRows otherwise.
     */
    private static void gather(INDArray src, INDArray dst, int[] idx) {
        int w = (int) src.size(1);
        if (src.dataType() == DataType.FLOAT && Elementwise.fusable(src) && Elementwise.fusable(dst)) {
            java.nio.FloatBuffer s = Elementwise.floats(src), d = Elementwise.floats(dst);
            for (int r = 0; r < idx.length; r++) d.put(r * w, s, idx[r] * w, w);
        } else if (src.dataType() == DataType.DOUBLE && Elementwise.fusable(src) && Elementwise.fusable(dst)) {
            java.nio.DoubleBuffer s = Elementwise.doubles(src), d = Elementwise.doubles(dst);
            for (int r = 0; r < idx.length; r++) d.put(r * w, s, idx[r] * w, w);
        } else {
            Nd4j.pullRows(src, dst, 1, idx);
        }
    }

    private INDArray[] allocate(int size) {
        int count = xs2d.length + ys2d.length + (sw == null ? 0 : 1);
        INDArray[] b = new INDArray[count];
        int k = 0;
        for (INDArray a : xs2d) b[k] = buffer(k++, a.dataType(), size, a.size(1));
        for (INDArray a : ys2d) b[k] = buffer(k++, a.dataType(), size, a.size(1));
        if (sw != null) b[k] = buffer(k, sw.dataType(), size, 1);
        return b;
    }

    private INDArray buffer(int slot, DataType t, int rows, long cols) {
        INDArray r = reusable.remove(key(slot, t, rows, cols));
        return r != null ? r : Nd4j.createUninitialized(t, rows, cols);
    }

    private static String key(int slot, DataType t, long rows, long cols) {
        return slot + ":" + t + ":" + rows + "x" + cols;
    }

    /**
     * The batch buffers and sparse row stores this Batcher used, for the model's next fit (after this one's last batch).
     *
     * @return the leftovers
     */
    public Leftovers leftovers() {
        stopPrefetch();
        java.util.Map<String, INDArray> m = new java.util.HashMap<>();
        for (INDArray[] b : buffers.values()) {
            for (int k = 0; k < b.length; k++) m.put(key(k, b[k].dataType(), b[k].size(0), b[k].size(1)), b[k]);
        }
        SparseInput.Rows[] rows = new SparseInput.Rows[sparse.length];
        for (int i = 0; i < rows.length; i++) rows[i] = sparse[i] == null ? null : sparse[i].storeOnly();
        return new Leftovers(m, rows);
    }

    private static INDArray reshapeLike(INDArray buf, INDArray orig, int size) {
        if (orig.rank() == 2) return buf;
        long[] s = orig.shape().clone();
        s[0] = size;
        return buf.reshape('c', s);
    }
}
