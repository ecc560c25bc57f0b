package org.cornu.core.kernels;

import org.cornu.core.autodiff.StatelessScope;
import org.cornu.core.autodiff.GradientTape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.cornu.layers.Dense;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.cornu.core.training.Batcher;
import org.cornu.core.ops.Ops;
import org.cornu.core.autodiff.Tape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.utils.Utils;
import org.cornu.core.Cornu;
import org.cornu.core.Evaluate;
import org.cornu.core.FastPaths;
import org.cornu.core.Fit;
import org.cornu.core.Sequential;
import org.cornu.core.Shape;
import org.cornu.core.Weight;
import org.cornu.testing.Float64Test;
import org.cornu.testing.GradCheck;

/**
 * The sparse-input path of Dense ({@link SparseInput}) computes what the gemm path
 * ({@link Ops#linear}) computes, in float64: outputs and kernel/bias gradients, against
 * finite differences, and whole trainings through {@code fit}; and it is taken exactly for
 * sparse inputs that need no gradient.
 */
class SparseInputTest extends Float64Test {
    @AfterEach
    void enable() {
        FastPaths.SPARSE_INPUT.setEnabled(true);
        SparseInput.maxCached = 16L << 20;
    }

    /** A {@code rows x cols} float64 matrix with about {@code density} nonzeros in (-2, 2), rows {@code empty} all zero. */
    static INDArray sparse(long seed, int rows, int cols, double density, int... empty) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) if (r.nextDouble() < density) v[i] = r.nextDouble(-2, 2);
        for (int e : empty) java.util.Arrays.fill(v, e * cols, (e + 1) * cols, 0.0);
        return Nd4j.create(v, new long[] {rows, cols}, DataType.DOUBLE);
    }

    private record Result(INDArray y, INDArray gk, INDArray gb) {}

    /** {@code x @ k + b} on one path, and the gradients of {@code sum(y * probe)} w.r.t. k and b. */
    private static Result run(boolean sparse, INDArray x, INDArray k, INDArray b, INDArray probe) {
        Tensor kt = Tensor.variable(k), bt = b == null ? null : Tensor.variable(b);
        Tensor y;
        long before = FastPaths.SPARSE_INPUT.runs();
        try (Tape tape = Tape.record()) {
            y = sparse ? SparseInput.linear(Tensor.constant(x), kt, bt) : Ops.linearGemm(Tensor.constant(x), kt, bt);
            assertNotNull(y);
            tape.backward(Ops.sum(Ops.mul(y, Tensor.constant(probe))));
        }
        assertEquals(before + (sparse ? 1 : 0), FastPaths.SPARSE_INPUT.runs());
        return new Result(y.value(), kt.grad(), bt == null ? null : bt.grad());
    }

    private static void assertClose(INDArray a, INDArray b, double tol) {
        assertEquals(a.shapeInfoToString(), b.shapeInfoToString());
        assertEquals(0.0, a.sub(b).amaxNumber().doubleValue(), tol);
    }

    private static void compare(INDArray x, int units, boolean bias) {
        int cols = (int) x.size(1);
        INDArray k = GradCheck.rand(11, -1, 1, cols, units);
        INDArray b = bias ? GradCheck.rand(12, -1, 1, units) : null;
        INDArray probe = GradCheck.rand(13, -1, 1, x.size(0), units);
        Result s = run(true, x, k, b, probe), d = run(false, x, k, b, probe);
        assertClose(d.y, s.y, 1e-12);
        assertClose(d.gk, s.gk, 1e-12);
        if (bias) assertClose(d.gb, s.gb, 1e-12);
    }

    @Test
    void outputsAndGradientsEqualTheGemmPath() {
        compare(sparse(1, 9, 1500, 0.02, 0, 4, 8), 7, true);
        compare(sparse(2, 5, 1024, 0.1), 3, false);
        compare(sparse(3, 1, 2000, 0.01), 64, true);
        // an all-zero batch: outputs are the bias, the kernel gradient is zero
        INDArray zeros = Nd4j.zeros(DataType.DOUBLE, 6, 1300);
        compare(zeros, 5, true);
        // odd column count and a view at an odd offset (no long-wise reading)
        compare(sparse(4, 4, 1501, 0.03, 2), 4, true);
        INDArray wide = sparse(5, 6, 1201, 0.03, 1);
        compare(wide.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 5), org.nd4j.linalg.indexing.NDArrayIndex.all()), 3, true);
    }

    @Test
    void float32MatchesTheGemmPathWithinFloatRounding() {
        INDArray x = sparse(6, 8, 3000, 0.012, 3).castTo(DataType.FLOAT);
        INDArray k = GradCheck.rand(11, -1, 1, 3000, 16).castTo(DataType.FLOAT);
        INDArray b = GradCheck.rand(12, -1, 1, 16).castTo(DataType.FLOAT);
        INDArray probe = GradCheck.rand(13, -1, 1, 8, 16).castTo(DataType.FLOAT);
        Result s = run(true, x, k, b, probe), d = run(false, x, k, b, probe);
        assertClose(d.y, s.y, 1e-4);
        assertClose(d.gk, s.gk, 1e-5);
        assertClose(d.gb, s.gb, 1e-5);
    }

    @Test
    void denseGradientsOnASparseInputMatchFiniteDifferences() {
        Dense d = new Dense(2, "tanh").biasInitializer("random_normal");
        INDArray x = sparse(7, 3, 1100, 0.02, 1);
        d.build(Shape.of(Shape.NONE, 1100));
        List<Weight> ws = d.weights();
        INDArray probe = GradCheck.rand(8, -1, 1, 3, 2);
        long before = FastPaths.SPARSE_INPUT.runs();
        GradCheck.check(t -> {
            try (StatelessScope scope = new StatelessScope(ws, t)) {
                return Ops.mul(d.invoke(List.of(Tensor.constant(x)), true).get(0), Tensor.constant(probe));
            }
        }, 1e-6, ws.get(0).value(), ws.get(1).value());
        assertTrue(FastPaths.SPARSE_INPUT.runs() > before, "the check ran on the sparse path");
    }

    @Test
    void takenOnlyForSparseInputsWithoutGradient() {
        INDArray k = GradCheck.rand(1, -1, 1, 1200, 3);
        Tensor kt = Tensor.constant(k);
        assertNotNull(SparseInput.linear(Tensor.constant(sparse(1, 4, 1200, 0.05)), kt, null));
        // dense input, too narrow an input, an input that needs a gradient, the switch off
        assertNull(SparseInput.linear(Tensor.constant(GradCheck.rand(2, -1, 1, 4, 1200)), kt, null));
        assertNull(SparseInput.linear(Tensor.constant(sparse(3, 4, 1000, 0.05)), Tensor.constant(GradCheck.rand(1, -1, 1, 1000, 3)), null));
        assertNull(SparseInput.linear(Tensor.variable(sparse(4, 4, 1200, 0.05)), kt, null));
        FastPaths.SPARSE_INPUT.setEnabled(false);
        assertNull(SparseInput.linear(Tensor.constant(sparse(1, 4, 1200, 0.05)), kt, null));
        FastPaths.SPARSE_INPUT.setEnabled(true);

        // in a model: the first Dense on the sparse input, never the second (its input needs a gradient)
        Sequential m = new Sequential(new Dense(1100, "relu").inputShape(1200), new Dense(2));
        INDArray x = sparse(5, 4, 1200, 0.02);
        long before = FastPaths.SPARSE_INPUT.runs();
        try (GradientTape tape = new GradientTape()) {
            Tensor y = m.forward(List.of(Tensor.constant(x)), true).get(0);
            tape.gradient(Ops.sum(y), m.trainableWeights());
        }
        assertEquals(before + 1, FastPaths.SPARSE_INPUT.runs());
        // a dense input of the same width is not
        m.predict(GradCheck.rand(9, 0, 1, 4, 1200));
        assertEquals(before + 1, FastPaths.SPARSE_INPUT.runs());
    }

    private static List<INDArray> fit(boolean sparse, INDArray x, INDArray y, boolean shuffle) {
        FastPaths.SPARSE_INPUT.setEnabled(sparse);
        Cornu.setSeed(21);
        Sequential m = new Sequential(new Dense(16, "relu").inputShape(x.size(1)), new Dense(3, "softmax"));
        m.compile("rmsprop", "categorical_crossentropy", "accuracy");
        m.fit(x, y, Fit.epochs(3).batchSize(32).shuffle(shuffle).verbose(0).validationData(x, y));
        List<INDArray> w = m.getWeights();
        w.add(Nd4j.createFromArray(m.evaluate(x, y, Evaluate.batchSize(32).verbose(0))));
        return w;
    }

    @Test
    void fitOnMultiHotDataEqualsTheGemmPath() {
        // multi-hot rows (ones at about 2% of 1500 columns, two samples empty), 3 classes; 100 samples:
        // three full batches of 32 and a last batch of 4, so both gather buffers are reused
        INDArray x = sparse(31, 100, 1500, 0.02, 5, 77);
        x = x.neq(0).castTo(DataType.DOUBLE);
        int[] labels = new int[100];
        for (int i = 0; i < labels.length; i++) labels[i] = (i * 7) % 3;
        INDArray y = Utils.toCategorical(Nd4j.createFromArray(labels), 3).castTo(DataType.DOUBLE);
        for (boolean shuffle : new boolean[] {true, false}) {
            long calls = FastPaths.SPARSE_INPUT.runs(), gathers = FastPaths.SPARSE_GATHER.runs();
            List<INDArray> dense = fit(false, x, y, shuffle);
            assertEquals(calls, FastPaths.SPARSE_INPUT.runs(), "the switch turns the path off");
            List<INDArray> sparse = fit(true, x, y, shuffle);
            // 4 training steps per epoch, plus validation and evaluate batches
            assertTrue(FastPaths.SPARSE_INPUT.runs() - calls >= 3 * 4 * 2, "steps on the sparse path: " + (FastPaths.SPARSE_INPUT.runs() - calls));
            if (shuffle) assertEquals(gathers + 3 * 4, FastPaths.SPARSE_GATHER.runs(), "every shuffled batch gathered sparsely");
            for (int i = 0; i < dense.size(); i++) assertClose(dense.get(i), sparse.get(i), 1e-10);
        }
    }

    @Test
    void gatherWritesTheRowsAndRecordsTheirNonzeros() {
        for (DataType t : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            INDArray src = sparse(41, 20, 1200, 0.03, 3, 9).castTo(t);
            INDArray dst = Nd4j.createUninitialized(t, 5, 1200);
            // rows seen again come from the store of the first scan
            SparseInput.Rows rows = SparseInput.rows(src);
            int[][] orders = {{3, 0, 19, 7, 9}, {1, 2, 3, 4, 5}, {9, 9, 3, 18, 0}};
            for (int[] idx : orders) {
                assertTrue(SparseInput.gather(rows, dst, idx));
                assertClose(Nd4j.pullRows(src, 1, idx), dst, 0);
                // the recorded nonzeros give the gemm's product
                INDArray k = GradCheck.rand(2, -1, 1, 1200, 3).castTo(t);
                Tensor y = SparseInput.linear(Tensor.constant(dst), Tensor.constant(k), null);
                assertClose(dst.mmul(k), y.value(), t == DataType.DOUBLE ? 1e-12 : 1e-4);
            }
            // dense rows: left to the caller, and nothing stale stays recorded for the buffer
            INDArray dense = GradCheck.rand(3, 1, 2, 20, 1200).castTo(t);
            int[] idx = {0, 1, 2, 3, 4};
            SparseInput.Rows denseRows = SparseInput.rows(dense);
            assertTrue(!SparseInput.gather(denseRows, dst, idx));
            assertTrue(denseRows.dense, "no further scans of a dense input");
            dst.assign(Nd4j.pullRows(dense, 1, idx));
            assertNull(SparseInput.linear(Tensor.constant(dst), Tensor.constant(GradCheck.rand(2, -1, 1, 1200, 3).castTo(t)), null));
        }
    }

    /**
     * One model fit three times, as a loop of {@code fit(epochs=1)} does: on multi-hot data, on the
     * same array changed in place (its rows shifted and one row emptied), then on a dense input of
     * the same shape. The later fits take over the first one's batch buffers and row store; each
     * must train as the gemm path does, so nothing of an earlier fit's rows or buffer contents may
     * survive into a later one. Batches of 64 rows: the coming batch's rows are scanned in two
     * chunks, by the prefetch thread and the training thread.
     */
    private static List<INDArray> refits(boolean sparse, long storeLimit) {
        FastPaths.SPARSE_INPUT.setEnabled(sparse);
        SparseInput.maxCached = storeLimit;
        INDArray x = sparse(51, 150, 1300, 0.03, 4).neq(0).castTo(DataType.DOUBLE);
        int[] labels = new int[150];
        for (int i = 0; i < labels.length; i++) labels[i] = (i * 5) % 3;
        INDArray y = Utils.toCategorical(Nd4j.createFromArray(labels), 3).castTo(DataType.DOUBLE);
        Cornu.setSeed(33);
        Sequential m = new Sequential(new Dense(16, "relu").inputShape(1300), new Dense(3, "softmax"));
        m.compile("rmsprop", "categorical_crossentropy");
        List<INDArray> out = new java.util.ArrayList<>();
        long gathers = FastPaths.SPARSE_GATHER.runs();
        m.fit(x, y, Fit.epochs(2).batchSize(64).verbose(0));
        out.addAll(m.getWeights());
        INDArray shifted = x.dup();
        for (int r = 0; r < 150; r++) x.putRow(r, shifted.getRow((r + 1) % 150));
        x.putRow(9, Nd4j.zeros(DataType.DOUBLE, 1300));
        m.fit(x, y, Fit.epochs(2).batchSize(64).verbose(0));
        out.addAll(m.getWeights());
        if (sparse) assertEquals(gathers + 2 * 2 * 3, FastPaths.SPARSE_GATHER.runs(), "every batch of both fits gathered sparsely");
        m.fit(GradCheck.rand(52, 0, 1, 150, 1300), y, Fit.epochs(1).batchSize(64).verbose(0));
        out.addAll(m.getWeights());
        return out;
    }

    @Test
    void laterFitsOfAModelTrainOnTheirOwnRows() {
        List<INDArray> dense = refits(false, 16L << 20);
        // a store for all rows, and one that keeps about a third of them (the rest scanned at each use)
        for (long limit : new long[] {16L << 20, 800}) {
            List<INDArray> sparse = refits(true, limit);
            for (int i = 0; i < dense.size(); i++) assertClose(dense.get(i), sparse.get(i), 1e-10);
        }
        // in float32, whose scan reads two floats per long: near the gemm path
        Cornu.setFloatx("float32");
        List<INDArray> gemm32 = refits(false, 16L << 20);
        List<INDArray> sparse32 = refits(true, 800);
        for (int i = 0; i < gemm32.size(); i++) {
            assertEquals(DataType.FLOAT, sparse32.get(i).dataType());
            assertClose(gemm32.get(i), sparse32.get(i), 2e-4);
        }
    }

    @Test
    void prefetchKeepsEachBatchsRowsByTheTimeItIsNeeded() throws Exception {
        // 300 rows in a shuffled order, batches of 70 (chunks of 32: 32 + 32 + 6 per batch); the
        // prefetch job runs on another thread while this one awaits the batches in turn, helping
        INDArray src = sparse(61, 300, 1200, 0.03, 7, 250).castTo(DataType.FLOAT);
        int[] order = Batcher.permutation(300);
        for (boolean help : new boolean[] {true, false}) {
            SparseInput.Rows rows = SparseInput.rows(src);
            SparseInput.Prefetch job = new SparseInput.Prefetch(rows, order, 70);
            Thread t = new Thread(job::run);
            if (!help) t.start();
            for (int b = 0; b * 70 < 300; b++) {
                job.awaitBatch(b);
                for (int p = b * 70; p < Math.min(300, (b + 1) * 70); p++) {
                    int s = order[p];
                    assertTrue(rows.has(s), "row " + s + " of batch " + b + " kept");
                    float[] dense = new float[1200];
                    for (int k = 0; k < rows.len[s]; k++) dense[rows.col[rows.start[s] + k]] = rows.fv[rows.start[s] + k];
                    assertClose(src.getRow(s).dup(), Nd4j.create(dense), 0);
                }
            }
            if (help) t.start();
            t.join();
        }
        // a dense input: the job gives up, and waiting for a batch returns
        SparseInput.Rows denseRows = SparseInput.rows(GradCheck.rand(62, 1, 2, 100, 1200).castTo(DataType.FLOAT));
        SparseInput.Prefetch job = new SparseInput.Prefetch(denseRows, Batcher.permutation(100), 40);
        Thread t = new Thread(job::run);
        t.start();
        job.awaitBatch(2);
        t.join();
        assertTrue(denseRows.dense);
    }

    @Test
    void concurrentScansKeepRowsSafely() {
        // the training thread keeps batch 0's rows while the prefetch thread keeps the coming
        // batches' rows in the same store; rows of very different lengths (one in five 12% dense,
        // the rest 0.5%) make the store's size estimate miss, so both threads grow it again and
        // again. Each fit, eight times over, must train as the gemm path does (a race on the store
        // fails with an index error or trains on other rows' nonzeros)
        SplittableRandom r = new SplittableRandom(71);
        double[] v = new double[2000 * 4000];
        for (int i = 0; i < 2000; i++) {
            double d = r.nextInt(5) == 0 ? 0.12 : 0.005;
            for (int j = 0; j < 4000; j++) if (r.nextDouble() < d) v[i * 4000 + j] = 1;
        }
        INDArray x = Nd4j.create(v, new long[] {2000, 4000}, DataType.DOUBLE);
        int[] labels = new int[2000];
        for (int i = 0; i < labels.length; i++) labels[i] = (i * 11) % 3;
        INDArray y = Utils.toCategorical(Nd4j.createFromArray(labels), 3).castTo(DataType.DOUBLE);
        List<INDArray> expected = null;
        for (boolean sparse : new boolean[] {false, true}) {
            FastPaths.SPARSE_INPUT.setEnabled(sparse);
            Cornu.setSeed(5);
            Sequential m = new Sequential(new Dense(16, "relu").inputShape(4000), new Dense(3, "softmax"));
            m.compile("rmsprop", "categorical_crossentropy");
            List<INDArray> init = m.getWeights();
            for (int rep = 0; rep < (sparse ? 8 : 1); rep++) {
                m.setWeights(init);
                m.compile("rmsprop", "categorical_crossentropy");
                Cornu.setSeed(6);
                m.fit(x, y, Fit.epochs(1).batchSize(512).verbose(0));
                List<INDArray> w = m.getWeights();
                if (expected == null) expected = w;
                else for (int i = 0; i < w.size(); i++) assertClose(expected.get(i), w.get(i), 1e-10);
            }
        }
    }

    /** The copied-rows form of the float sums (64 units and more) adds the same floats in the same order as the blocked form: equal to the bit. */
    @Test
    void copiedRowSumsEqualTheBlockedSumsToTheBit() {
        SplittableRandom r = new SplittableRandom(11);
        int units = 70, tableRows = 50, nnz = 23;
        float[] table = new float[tableRows * units], start = new float[units], v = new float[nnz];
        int[] index = new int[nnz];
        for (int i = 0; i < table.length; i++) table[i] = (float) r.nextDouble(-3, 3);
        for (int j = 0; j < units; j++) start[j] = (float) r.nextDouble(-1, 1);
        for (int k = 0; k < nnz; k++) {
            index[k] = r.nextInt(tableRows);
            v[k] = (float) r.nextDouble(-2, 2);
        }
        assertNull(SparseInput.rowBuffers(SparseInput.COPIED_ROWS_MIN_UNITS - 1), "below the threshold: blocked sums");
        float[][] bufs = SparseInput.rowBuffers(units);
        assertNotNull(bufs);
        for (float[] st : new float[][] {start, null}) {
            float[] blocked = new float[units + 5], copied = new float[units + 5];
            SparseInput.sumRows(index, v, 2, nnz, table, units, st, blocked, 5, null);
            SparseInput.sumRows(index, v, 2, nnz, table, units, st, copied, 5, bufs);
            for (int j = 0; j < units + 5; j++) {
                assertEquals(Float.floatToIntBits(blocked[j]), Float.floatToIntBits(copied[j]), "unit " + j + (st == null ? ", zero start" : ""));
            }
            // and the sums are the sums: unit 3 in double
            double want = st == null ? 0 : st[3];
            for (int k = 2; k < nnz; k++) want += (double) v[k] * table[index[k] * units + 3];
            assertEquals(want, copied[5 + 3], 1e-4);
        }
    }
}
